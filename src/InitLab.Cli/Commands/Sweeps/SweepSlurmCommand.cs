using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using InitLab.Cli.Errors;
using InitLab.Persistence;
using InitLab.Sweeps;
using InitLab.Sweeps.Cluster;
using InitLab.Sweeps.Definition;
using InitLab.Sweeps.Store;
using Spectre.Console;

namespace InitLab.Cli.Commands.Sweeps;

/// <summary><c>initlab sweep slurm</c>: an sbatch script that runs a sweep's workers as a Slurm job array (printed, written
/// or submitted). With a PostgreSQL store every task claims from the shared database; with an SQLite store each task runs
/// one shard into its own file, joined afterwards by <c>sweep merge</c>.</summary>
internal static partial class SweepSlurmCommand
{
    public static Command Create(CliContext context)
    {
        var definition = new SweepDefinitionFlags();
        var store = new Option<string>("--store")
        {
            Description = "PostgreSQL (postgresql://user@host:port/db): every task shares it; or an SQLite file: each task writes its shard " +
                "next to it (NAME.shardI.db) to be merged into it",
            Required = true,
        };
        Option<string> name = SweepStoreFlags.Name();
        var array = new Option<string>("--array") { Description = "task ids and concurrency, as sbatch takes them: FIRST-LAST[:STEP][%LIMIT], e.g. 0-31%8", Required = true };
        var submit = new Option<bool>("--submit") { Description = "submit the script with sbatch (written to --script, or NAME.sbatch beside an SQLite store / here)" };
        var script = new Option<string?>("--script") { Description = "write the script to this file instead of standard output" };
        var time = new Option<string?>("--time") { Description = "time limit per task, as sbatch takes it: MINUTES, HH:MM:SS or D-HH:MM:SS" };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition (default: the cluster's default)" };
        var initlab = new Option<string?>("--initlab") { Description = "how the tasks start initlab (default: this initlab, by absolute path)" };
        Option<double> lease = SweepStoreFlags.Lease();
        Option<int> maxAttempts = SweepStoreFlags.MaxAttempts();
        var command = new Command("slurm",
            "Write an sbatch script that runs a sweep as a Slurm job array, one 'sweep worker' per task, or submit it (--submit). " +
            "With definition flags (--preset, --spec or settings) the sweep is created first (in PostgreSQL; for SQLite, as NAME.definition.json " +
            "beside the store); without them it must already be in the store.\n\nExamples:\n" +
            "  initlab sweep slurm --store postgresql://alice@db:5432/sweeps --name depth --preset depth-vs-init --array 0-31%8 --submit\n" +
            "  initlab sweep slurm --store runs/depth.db --name depth --preset depth-vs-init --array 0-15 --script depth.sbatch\n" +
            "  (then, for SQLite: initlab sweep merge --out runs/depth.db runs/depth.shard*.db)")
        {
            store, name, array, submit, script, time, partition, initlab, lease, maxAttempts,
        };
        definition.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            string storeText = parse.GetValue(store)!;
            string sweepName = parse.GetValue(name)!;
            SlurmArray tasks = SlurmArray.Parse(parse.GetValue(array)!); // "array: …" is shown as "--array: …" (LibraryFlags)
            TimeSpan? limit = parse.GetValue(time) is string timeText ? ParseTime(timeText) : null;
            WorkerOptionsText options = new(
                parse.GetValue(lease).ToString("R", CultureInfo.InvariantCulture),
                parse.GetValue(maxAttempts).ToString(CultureInfo.InvariantCulture));
            SweepDefinition? given = DefinitionGiven(parse) ? definition.Build(parse) : null;
            string self = parse.GetValue(initlab) ?? SelfCommand();

            (List<string> words, List<string> comments, string folder) = SweepStores.IsPostgres(storeText)
                ? Shared(context, storeText, sweepName, given, options)
                : Sharded(context, storeText, sweepName, given, options, tasks);
            words.InsertRange(0, [self, "sweep", "worker"]);
            words.AddRange(["--worker-name", "\"slurm-${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\""]);
            comments.Insert(0, $"initlab sweep '{sweepName}' as a Slurm job array of {tasks.TaskCount} task(s) (written by 'initlab sweep slurm').");
            comments.Insert(1, "Submit: sbatch THIS-FILE   Watch: squeue --me; initlab sweep status --store … --name " + sweepName);
            var batch = new SlurmBatchScript("initlab-" + sweepName, tasks, words,
                Path.Combine(folder, $"slurm-{SafeFileName(sweepName)}-%A_%a.out"), comments, limit, parse.GetValue(partition));
            string text = batch.Render();

            string? scriptPath = parse.GetValue(script);
            if (parse.GetValue(submit))
            {
                scriptPath ??= Path.Combine(folder, SafeFileName(sweepName) + ".sbatch");
            }
            if (scriptPath is null)
            {
                context.Stdout.Write(text);
                return 0;
            }
            AtomicFile.WriteAllText(scriptPath, text);
            context.Error.WriteLine($"sbatch script written to {scriptPath}");
            if (parse.GetValue(submit))
            {
                Submit(context, scriptPath);
            }
            return 0;
        }));
        return command;
    }

    private sealed record WorkerOptionsText(string Lease, string MaxAttempts);

    /// <summary>PostgreSQL: create the sweep if a definition is given; every task claims from the shared store.</summary>
    private static (List<string>, List<string>, string) Shared(CliContext context, string storeText, string name, SweepDefinition? given,
        WorkerOptionsText options)
    {
        using ISweepStore store = SweepStoreFlags.Open(storeText);
        if (given is not null)
        {
            SweepInfo created = store.EnsureSweep(name, given.ToJson());
            int added = store.AddTrials(created.Id, given.Expand());
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sweep '{name}' in {store.Location}: {given.TrialCount} trials ({added} new)"));
        }
        else
        {
            SweepStoreFlags.Find(store, name);
        }
        (string connection, bool hadPassword) = SweepStores.WithoutPassword(storeText);
        if (hadPassword)
        {
            context.Error.WriteLine("note: the password is not written into the script; the tasks read it from PGPASSWORD or ~/.pgpass " +
                "(sbatch passes the submitting shell's environment by default).");
        }
        List<string> words = ["--store", SlurmBatchScript.Quote(connection), "--name", SlurmBatchScript.Quote(name),
            "--lease", options.Lease, "--max-attempts", options.MaxAttempts];
        List<string> comments = [$"Every task claims trials from the shared PostgreSQL store {store.Location}; a task that dies loses only its trial, reclaimed after the lease."];
        return (words, comments, Directory.GetCurrentDirectory());
    }

    /// <summary>SQLite: each task runs its shard into NAME.shardID.db beside the store; the definition goes to NAME.definition.json.</summary>
    private static (List<string>, List<string>, string) Sharded(CliContext context, string storeText, string name, SweepDefinition? given,
        WorkerOptionsText options, SlurmArray tasks)
    {
        string path = Path.GetFullPath(SweepStores.SqlitePath(storeText)!);
        string folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"--store: the folder '{folder}' does not exist.");
        }
        string json;
        if (given is not null)
        {
            json = given.ToJson();
        }
        else if (File.Exists(path))
        {
            using ISweepStore store = SweepStoreFlags.Open(path);
            json = SweepStoreFlags.Find(store, name).DefinitionJson;
        }
        else
        {
            throw new CliUsageException($"--store: '{storeText}' does not exist and no definition was given; add --preset, --spec or setting flags.");
        }
        SweepDefinition sweep = StoredDefinition.Parse(json);
        string stem = Path.Combine(folder, Path.GetFileNameWithoutExtension(path));
        string definitionPath = stem + ".definition.json";
        if (File.Exists(definitionPath) && File.ReadAllText(definitionPath).Trim() != json)
        {
            throw new CliUsageException($"--store: '{definitionPath}' holds another definition (from an earlier 'sweep slurm'); its shards " +
                "could not be merged with new ones. Use another --store name, or delete it and its shard files.");
        }
        AtomicFile.WriteAllText(definitionPath, json);
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep '{name}': {sweep.TrialCount} trials in {tasks.TaskCount} shard(s); definition written to {definitionPath}"));
        List<string> words = ["--store", SlurmBatchScript.Quote(stem + ".shard") + "\"${SLURM_ARRAY_TASK_ID}\".db",
            "--name", SlurmBatchScript.Quote(name), "--shard", "auto", "--definition", SlurmBatchScript.Quote(definitionPath),
            "--lease", options.Lease, "--max-attempts", options.MaxAttempts];
        List<string> comments =
        [
            $"Each task runs shard (task id − {tasks.First}) / {tasks.Step} of {tasks.TaskCount} into its own SQLite file; afterwards join them:",
            $"  initlab sweep merge --out {SlurmBatchScript.Quote(path)} {SlurmBatchScript.Quote(stem + ".shard")}*.db",
        ];
        return (words, comments, folder);
    }

    private static void Submit(CliContext context, string scriptPath)
    {
        var start = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--parsable");
        start.ArgumentList.Add(scriptPath);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("sbatch did not start.");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new CliUsageException($"--submit: cannot run sbatch ({error.Message}); is this a Slurm login node? The script is in {scriptPath}.");
        }
        using (process)
        {
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"sbatch refused {scriptPath} (exit {process.ExitCode}): {error.Trim()}");
            }
            context.Console.WriteLine($"submitted job array {output.Trim().Split(';')[0]}");
        }
    }

    /// <summary>Whether any definition flag was typed (then the sweep is created from them).</summary>
    private static bool DefinitionGiven(ParseResult parse)
    {
        var names = new HashSet<string>(SweepSettings.Names.Select(n => "--" + n).Concat(["--spec", "--preset", "--seeds", "--seed-list"]), StringComparer.Ordinal);
        return parse.Tokens.Any(t => names.Contains(t.Value));
    }

    /// <summary>sbatch's MINUTES, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (MM:SS is minutes:seconds).</summary>
    private static TimeSpan ParseTime(string text)
    {
        Match match = TimePattern().Match(text);
        if (!match.Success)
        {
            throw new CliUsageException($"--time: got '{text}'; give MINUTES, HH:MM:SS or D-HH:MM:SS (e.g. 90, 01:30:00, 1-00:00:00).");
        }
        int Part(string group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        TimeSpan limit = match.Groups["days"].Success
            ? new TimeSpan(Part("days"), Part("a"), Part("b"), Part("c"))
            : match.Groups["c"].Success ? new TimeSpan(Part("a"), Part("b"), Part("c"))
            : match.Groups["b"].Success ? new TimeSpan(0, Part("a"), Part("b"))
            : TimeSpan.FromMinutes(Part("a"));
        return limit > TimeSpan.Zero ? limit : throw new CliUsageException($"--time: got '{text}'; it must be longer than zero.");
    }

    [GeneratedRegex(@"^(?:(?<days>\d{1,3})-)?(?<a>\d{1,5})(?::(?<b>\d{1,2}))?(?::(?<c>\d{1,2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();

    private static string SafeFileName(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_')]);

    /// <summary>This initlab, by absolute path: the apphost, or <c>dotnet initlab.dll</c> when run through the dotnet host.</summary>
    private static string SelfCommand()
    {
        string process = Environment.ProcessPath ?? "initlab";
        return string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.OrdinalIgnoreCase)
            ? SlurmBatchScript.Quote(process) + " " + SlurmBatchScript.Quote(typeof(SweepSlurmCommand).Assembly.Location)
            : SlurmBatchScript.Quote(process);
    }
}
