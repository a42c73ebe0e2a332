using System.CommandLine;
using System.Globalization;
using InitLab.Cli.Errors;
using InitLab.Sweeps;
using InitLab.Sweeps.Cluster;
using InitLab.Sweeps.Definition;
using InitLab.Sweeps.Store;
using Spectre.Console;

namespace InitLab.Cli.Commands.Sweeps;

/// <summary><c>initlab sweep merge</c>: joins the per-shard stores of a sharded sweep (Slurm array tasks or Kubernetes
/// indexes without a shared database) into one SQLite store.</summary>
internal static class SweepMergeCommand
{
    /// <summary>Conflicts listed one per line; the rest are counted.</summary>
    private const int ConflictsShown = 20;

    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out", "-o") { Description = "the merged SQLite store to write (a new file; --force replaces one)", Required = true };
        var force = new Option<bool>("--force") { Description = "replace --out if it exists (never an input)" };
        var inputs = new Argument<string[]>("stores") { Description = "the shard stores: SQLite files (shard*.db) or PostgreSQL URIs", Arity = ArgumentArity.OneOrMore };
        var command = new Command("merge",
            "Join the stores of a sharded sweep (one per Slurm array task or Kubernetes index, from 'sweep worker --shard') into one " +
            "store, in the sweep's order. Each sweep must have the same definition in every store. A trial found in several stores " +
            "is kept once: done before failed before unfinished, ties to the file whose name sorts first; different metrics for " +
            "the same trial are reported as conflicts. Trials no shard finished stay pending: 'sweep run' on the merged store runs them.\n\n" +
            "Example:\n  initlab sweep merge --out depth.db runs/depth.shard*.db")
        {
            output, force, inputs,
        };
        command.SetAction(parse => CommandRunner.Run(context, () => Run(context, parse.GetValue(inputs)!, parse.GetValue(output)!, parse.GetValue(force))));
        return command;
    }

    private static int Run(CliContext context, string[] inputs, string output, bool force)
    {
        string outPath = SweepStores.SqlitePath(output)
            ?? throw new CliUsageException($"--out: '{SweepStores.Describe(output)}' is a PostgreSQL store; merge writes an SQLite file (e.g. --out merged.db).");
        string outFull = Path.GetFullPath(outPath);
        foreach (string input in inputs)
        {
            if (SweepStores.SqlitePath(input) is string path)
            {
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException($"merge: no store '{path}'.", path);
                }
                if (Path.GetFullPath(path) == outFull)
                {
                    throw new CliUsageException($"--out: '{outPath}' is also an input; write the merged store to a new file.");
                }
            }
        }
        if (File.Exists(outFull) && !force)
        {
            throw new CliUsageException($"--out: '{outPath}' exists; give a new file, or --force to replace it.");
        }
        string? folder = Path.GetDirectoryName(outFull);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"--out: the folder '{folder}' does not exist.");
        }

        var opened = new List<(string Label, ISweepStore Store)>();
        string temp = Path.Combine(folder ?? ".", $"{Path.GetFileName(outFull)}.{Guid.NewGuid():N}.tmp");
        SweepMergeReport report;
        try
        {
            foreach (string input in inputs)
            {
                ISweepStore store = SweepStores.Open(input);
                // Labels decide ties and name files in messages: the path as given, or the server without its password.
                opened.Add((SweepStores.SqlitePath(input) ?? store.Location, store));
            }
            using (var merged = new SqliteSweepStore(temp))
            {
                report = SweepMerge.Merge(opened, merged, Expansion(context));
            }
            // The store is closed (WAL checkpointed into the file), so moving the one file moves everything.
            File.Move(temp, outFull, overwrite: force);
        }
        finally
        {
            foreach ((_, ISweepStore store) in opened)
            {
                store.Dispose();
            }
            foreach (string leftover in new[] { temp, temp + "-wal", temp + "-shm" })
            {
                File.Delete(leftover);
            }
        }

        string extra = report.NotInDefinition > 0
            ? string.Create(CultureInfo.InvariantCulture, $"; {report.NotInDefinition} trial(s) not in the sweep's definition (kept at the end)")
            : "";
        context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"merged {inputs.Length} store(s) into {outPath}: {report.Sweeps} sweep(s), {report.Done} done, {report.Failed} failed, " +
            $"{report.Pending} still to run; {report.Duplicates} duplicate(s) with identical results; {report.Conflicts.Count} conflict(s){extra}"));
        foreach (SweepMergeConflict conflict in report.Conflicts.Take(ConflictsShown))
        {
            context.Error.WriteLine($"conflict: sweep '{conflict.SweepName}', {conflict.Spec}: kept {conflict.Kept}, differs in " +
                $"{string.Join(", ", conflict.Others)}: {conflict.Difference}");
        }
        if (report.Conflicts.Count > ConflictsShown)
        {
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"… and {report.Conflicts.Count - ConflictsShown} more conflict(s)."));
        }
        return 0;
    }

    /// <summary>The sweep's trials in its definition's order; a definition this initlab cannot read keeps the stores' order.</summary>
    private static Func<string, IReadOnlyList<TrialSpec>?> Expansion(CliContext context) => definition =>
    {
        try
        {
            return [.. StoredDefinition.Parse(definition).Expand()];
        }
        catch (ArgumentException error)
        {
            context.Error.WriteLine($"warning: {ExceptionText.OneLine(error)} The merged trials keep the shards' order.");
            return null;
        }
    };

}
