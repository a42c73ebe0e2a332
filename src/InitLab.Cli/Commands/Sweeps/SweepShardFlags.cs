using System.CommandLine;
using System.Globalization;
using InitLab.Cli.Errors;
using InitLab.Sweeps;
using InitLab.Sweeps.Cluster;
using InitLab.Sweeps.Definition;
using InitLab.Sweeps.Store;
using Spectre.Console;

namespace InitLab.Cli.Commands.Sweeps;

/// <summary><c>sweep worker --shard i/N|auto [--shard-count N] [--definition FILE]</c>: run one shard of a sweep into its own
/// SQLite store, for clusters without a shared database (joined afterwards by <c>sweep merge</c>).</summary>
internal sealed class SweepShardFlags
{
    private readonly Option<string?> shard = new("--shard")
    {
        Description = "run only shard I/N of the sweep (the trials at positions ≡ I mod N of its order) into this --store, an SQLite file of its own; " +
            "'auto' takes it from SLURM_ARRAY_TASK_ID/_COUNT or JOB_COMPLETION_INDEX + INITLAB_SHARD_COUNT. Join the shards with 'sweep merge'",
    };

    private readonly Option<int?> shardCount = new("--shard-count") { Description = "with --shard auto: the number of shards (overrides SLURM_ARRAY_TASK_COUNT / INITLAB_SHARD_COUNT)" };

    private readonly Option<string?> definition = new("--definition")
    {
        Description = "with --shard: the sweep's definition file (JSON, written by 'sweep slurm'), used when this shard's store is new",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(shard);
        command.Options.Add(shardCount);
        command.Options.Add(definition);
    }

    /// <summary>Checks the shard flags before the store is opened: --shard with a shared PostgreSQL store is refused, the
    /// flags that need --shard are refused without it, and the shard itself is resolved.</summary>
    public SweepShard? Check(ParseResult parse, string storeText)
    {
        string? shardText = parse.GetValue(shard);
        int? count = parse.GetValue(shardCount);
        if (shardText is null)
        {
            if (parse.GetValue(definition) is not null || count is not null)
            {
                throw new CliUsageException($"{(parse.GetValue(definition) is not null ? "--definition" : "--shard-count")}: only used with --shard.");
            }
            return null;
        }
        if (SweepStores.IsPostgres(storeText))
        {
            throw new CliUsageException("--shard: the store is PostgreSQL, which every worker shares and claims from; drop --shard " +
                "(shards are for clusters without a shared database: one SQLite file per shard, joined by 'sweep merge').");
        }
        if (count is int given && given < 1)
        {
            throw new CliUsageException(string.Create(CultureInfo.InvariantCulture, $"--shard-count: got {given}; it must be a whole number >= 1."));
        }
        return Resolve(shardText, count);
    }

    /// <summary>With <c>--shard</c>: creates the sweep in the shard's store (from <c>--definition</c> or the store's own copy)
    /// and adds this shard's trials; prints which shard runs. Without it: nothing (the sweep must already be in the store).</summary>
    public void Prepare(CliContext context, ParseResult parse, SweepShard? part, ISweepStore store, string name)
    {
        if (part is null)
        {
            return;
        }
        string? definitionPath = parse.GetValue(definition);

        string definitionJson;
        SweepInfo? existing = store.FindSweep(name);
        if (definitionPath is not null)
        {
            if (!File.Exists(definitionPath))
            {
                throw new FileNotFoundException($"--definition: no file '{definitionPath}'.", definitionPath);
            }
            if (new FileInfo(definitionPath).Length > SweepSpecFile.MaxBytes)
            {
                throw new CliUsageException($"--definition: '{definitionPath}' is larger than {SweepSpecFile.MaxBytes} bytes; is it the right file?");
            }
            definitionJson = File.ReadAllText(definitionPath).Trim();
            if (existing is not null && existing.DefinitionJson != definitionJson)
            {
                throw new CliUsageException($"--definition: '{definitionPath}' differs from the definition of sweep '{name}' already in " +
                    $"'{store.Location}'; a shard store holds one sweep definition (use a new --store for a new definition).");
            }
        }
        else
        {
            definitionJson = existing?.DefinitionJson ?? throw new CliUsageException(
                $"--definition: required with --shard while '{store.Location}' has no sweep '{name}' yet (give the file 'sweep slurm' wrote).");
        }
        SweepDefinition sweep;
        try
        {
            sweep = StoredDefinition.Parse(definitionJson);
        }
        catch (ArgumentException error)
        {
            throw new CliUsageException($"--definition: {ExceptionText.OneLine(error)}");
        }
        SweepInfo info = store.EnsureSweep(name, definitionJson);
        int added = store.AddTrials(info.Id, part.Select(sweep.Expand()));
        int mine = store.Trials(info.Id).Count;
        context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"shard {part} of sweep '{name}': {mine} of its {sweep.TrialCount} trials in {store.Location} ({added} new)"));
    }

    // The library's errors name its parameters (shard, count, environment); ErrorReport names the flags (LibraryFlags).
    private static SweepShard Resolve(string text, int? count)
    {
        if (text == "auto")
        {
            return SweepShard.FromEnvironment(Environment.GetEnvironmentVariable, count)
                ?? throw new CliUsageException("--shard auto: none of SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX is set; outside a job array give --shard I/N.");
        }
        if (count is not null)
        {
            throw new CliUsageException("--shard-count: only used with --shard auto (--shard I/N gives the count).");
        }
        return SweepShard.Parse(text);
    }
}
