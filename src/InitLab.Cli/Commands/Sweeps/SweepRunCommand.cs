using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using InitLab.Cli.Errors;
using InitLab.Sweeps;
using InitLab.Sweeps.Definition;
using InitLab.Sweeps.Running;
using InitLab.Sweeps.Store;
using Spectre.Console;

namespace InitLab.Cli.Commands.Sweeps;

/// <summary><c>initlab sweep run</c>: defines a sweep (flags, spec file or preset), adds its trials to the store (only the
/// new ones: re-running resumes), and runs them with N worker processes.</summary>
internal static class SweepRunCommand
{
    public static Command Create(CliContext context)
    {
        var definition = new SweepDefinitionFlags();
        var store = new Option<string?>("--store") { Description = "the results store: an SQLite file (created if missing); required unless --dry-run" };
        var name = new Option<string?>("--name") { Description = "the sweep's name in the store (default: the preset's name); required unless --dry-run" };
        var workers = new Option<int>("--workers", "-w") { Description = "worker processes (1: in this process)", DefaultValueFactory = _ => 1 }
            .Check(n => n is >= 1 and <= 256 ? null : $"got {n}; it must be a whole number from 1 to 256 (this machine has {Environment.ProcessorCount} cores).");
        var dryRun = new Option<bool>("--dry-run") { Description = "print the number of trials and an estimate of the time (one trial is run and timed); touch no store" };
        Option<double> lease = SweepStoreFlags.Lease();
        Option<int> maxAttempts = SweepStoreFlags.MaxAttempts();
        Option<int> threads = SweepStoreFlags.TrialThreads();
        var command = new Command("run",
            "Run a sweep: every combination of the comma-separated setting values × the seeds, each trial one training, results in a store. " +
            "Re-running the same command skips the finished trials; extending the grid adds only the new ones.\n\nExamples:\n" +
            "  initlab sweep run --init he_normal,glorot_uniform --activation relu,tanh --depth 2,5,10 --seeds 3 --data digits --epochs 20 --store sweep.db --name depth\n" +
            "  initlab sweep run --spec sweep.yaml --store sweep.db --name mine --workers 2\n" +
            "  initlab sweep run --preset phase-diagram --store phase.db --workers 2\n" +
            "  initlab sweep run --preset depth-vs-init --dry-run")
        {
            store, name, workers, dryRun, lease, maxAttempts, threads,
        };
        definition.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            SweepDefinition sweep = definition.Build(parse);
            WorkerOptions options = SweepStoreFlags.Options(parse, lease, maxAttempts, threads);
            int workerCount = parse.GetValue(workers);
            if (parse.GetValue(dryRun))
            {
                return DryRun(context, sweep, workerCount, options.Threads);
            }
            string storePath = parse.GetValue(store) ?? throw new CliUsageException("--store: required (an SQLite file, e.g. --store sweep.db), unless --dry-run.");
            string sweepName = parse.GetValue(name) ?? definition.PresetName(parse)
                ?? throw new CliUsageException("--name: required (the sweep's name in the store, e.g. --name depth), unless --dry-run.");
            SweepInfo info;
            using (ISweepStore opened = SweepStoreFlags.Open(storePath))
            {
                info = opened.EnsureSweep(sweepName, sweep.ToJson());
                int added = opened.AddTrials(info.Id, sweep.Expand());
                SweepProgress before = SweepProgress.Of(opened.Trials(info.Id));
                context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"sweep '{sweepName}' in {opened.Location}: {sweep.TrialCount} trials in this definition ({added} new); the store holds {before.Total}: {before.Done} done, {before.Failed.Count} failed, {before.Pending + before.Running} to run"));
                if (workerCount == 1)
                {
                    SweepWorkerCommand.Work(context, opened, info, SweepWorker.DefaultName, options);
                }
            }
            if (workerCount > 1)
            {
                RunProcesses(context, storePath, sweepName, workerCount, options);
            }
            using (ISweepStore opened = SweepStoreFlags.Open(storePath))
            {
                SweepStatusCommand.Print(context, info, SweepProgress.Of(opened.Trials(info.Id)));
            }
            return context.Cancellation.IsCancellationRequested ? ExitCodes.Interrupted : 0;
        }));
        return command;
    }

    private static int DryRun(CliContext context, SweepDefinition sweep, int workers, int threads)
    {
        context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sweep.TrialCount} trials = {string.Join(" × ", sweep.Axes.Select(a => $"{a.Values.Count} {a.Name}").Append($"{sweep.Seeds.Count} seed(s)"))}"));
        foreach (SweepAxis axis in sweep.Axes)
        {
            context.Console.WriteLine($"  {axis.Name}: {string.Join(", ", axis.Values)}");
        }
        if (sweep.Fixed.Count > 0)
        {
            context.Console.WriteLine("  fixed: " + string.Join(" ", sweep.Fixed.Select(kv => $"{kv.Key}={kv.Value}")));
        }
        context.Console.WriteLine("  seeds: " + string.Join(",", sweep.Seeds));
        TrialSpec first = sweep.Expand().First();
        var clock = Stopwatch.StartNew();
        TrialResult result = TrialRunner.Run(first, threads, context.Cancellation);
        double seconds = clock.Elapsed.TotalSeconds;
        double total = seconds * sweep.TrialCount / workers;
        context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one trial ({first}) took {seconds:F2} s (test accuracy {result.TestAccuracy:0.####}, {result.Verdict}); " +
            $"about {total / 60:F1} min for all with {workers} worker(s), if every trial costs the same (deeper and wider ones cost more)"));
        return 0;
    }

    private static void RunProcesses(CliContext context, string store, string name, int count, WorkerOptions options)
    {
        (string file, string[] prefix) = SelfCommand();
        var processes = new List<Process>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var start = new ProcessStartInfo(file) { UseShellExecute = false };
                foreach (string arg in prefix.Concat(
                [
                    "sweep", "worker", "--store", store, "--name", name,
                    "--lease", options.Lease.TotalSeconds.ToString("R", CultureInfo.InvariantCulture),
                    "--max-attempts", options.MaxAttempts.ToString(CultureInfo.InvariantCulture),
                    "--trial-threads", options.Threads.ToString(CultureInfo.InvariantCulture),
                ]))
                {
                    start.ArgumentList.Add(arg);
                }
                processes.Add(Process.Start(start) ?? throw new InvalidOperationException($"could not start worker {i + 1} ({file})."));
            }
            context.Console.WriteLine($"{count} worker processes started: {string.Join(", ", processes.Select(p => p.Id))} (runner {Environment.ProcessId})");
            foreach (Process process in processes)
            {
                // Ctrl+C reaches the workers too (same process group); SIGTERM to this process alone ends them here.
                while (!process.WaitForExit(500))
                {
                    if (context.Cancellation.IsCancellationRequested)
                    {
                        process.WaitForExit(TimeSpan.FromSeconds(10));
                        if (!process.HasExited)
                        {
                            process.Kill();
                        }
                    }
                }
                if (process.ExitCode is not (0 or ExitCodes.Interrupted))
                {
                    context.Error.WriteLine($"worker {process.Id} ended with exit code {process.ExitCode}; its trial (if any) is reclaimed after the lease");
                }
            }
        }
        finally
        {
            foreach (Process process in processes)
            {
                process.Dispose();
            }
        }
    }

    /// <summary>How to start this same program again: the apphost itself, or <c>dotnet initlab.dll</c>.</summary>
    private static (string File, string[] Prefix) SelfCommand()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path to start workers.");
        string entry = typeof(SweepRunCommand).Assembly.Location;
        return string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.OrdinalIgnoreCase)
            ? (process, [entry])
            : (process, []);
    }
}
