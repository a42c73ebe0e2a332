using System.CommandLine;
using System.Globalization;
using InitLab.Sweeps;
using InitLab.Sweeps.Cluster;
using InitLab.Sweeps.Running;
using InitLab.Sweeps.Store;
using Spectre.Console;

namespace InitLab.Cli.Commands.Sweeps;

/// <summary><c>initlab sweep worker</c>: claims and runs the trials of a sweep until none is left (on this or any machine
/// that reaches the store).</summary>
internal static class SweepWorkerCommand
{
    public static Command Create(CliContext context)
    {
        Option<string> store = SweepStoreFlags.Store();
        Option<string> name = SweepStoreFlags.Name();
        Option<double> lease = SweepStoreFlags.Lease();
        Option<int> maxAttempts = SweepStoreFlags.MaxAttempts();
        Option<int> threads = SweepStoreFlags.TrialThreads();
        var workerName = new Option<string?>("--worker-name") { Description = "this worker's name in the store (default host:pid)" };
        var shards = new SweepShardFlags();
        var command = new Command("worker",
            "Claim the trials of a sweep one at a time, run them and record the results, until none is left. Several workers " +
            "(processes, machines) can share one store; a worker that dies loses only its trial, which another reclaims after the lease.\n\n" +
            "Example:\n  initlab sweep worker --store sweep.db --name depth")
        {
            store, name, lease, maxAttempts, threads, workerName,
        };
        shards.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            WorkerOptions options = SweepStoreFlags.Options(parse, lease, maxAttempts, threads);
            SweepShard? shard = shards.Check(parse, parse.GetValue(store)!);
            using ISweepStore opened = SweepStoreFlags.Open(parse.GetValue(store)!);
            shards.Prepare(context, parse, shard, opened, parse.GetValue(name)!);
            SweepInfo sweep = SweepStoreFlags.Find(opened, parse.GetValue(name)!);
            string me = parse.GetValue(workerName) ?? SweepWorker.DefaultName;
            WorkerSummary summary = Work(context, opened, sweep, me, options);
            return context.Cancellation.IsCancellationRequested ? ExitCodes.Interrupted : 0;
        }));
        return command;
    }

    /// <summary>Runs one worker in this process, printing one line per trial.</summary>
    public static WorkerSummary Work(CliContext context, ISweepStore store, SweepInfo sweep, string worker, WorkerOptions options)
    {
        int total = store.Trials(sweep.Id).Count;
        var runner = new SweepWorker(store, sweep.Id, worker, options);
        bool idleShown = false;
        WorkerSummary summary = runner.Run(e =>
        {
            string id = e.Trial is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"#{e.Trial.Id}/{total} {e.Trial.Spec}");
            switch (e.Kind)
            {
                case "done":
                    TrialResult r = e.Result!;
                    context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"[{worker}] done {id}: test accuracy {r.TestAccuracy:0.####}, loss {r.TestLoss:G4}, {r.Verdict} ({r.Seconds:F2} s)"));
                    idleShown = false;
                    break;
                case "failed":
                    context.Console.WriteLine($"[{worker}] failed {id}: {e.Message}");
                    break;
                case "lost":
                case "stopped":
                    context.Console.WriteLine($"[{worker}] {e.Kind} {id}: {e.Message}");
                    break;
                case "idle" when !idleShown:
                    context.Console.WriteLine($"[{worker}] nothing pending; waiting for trials other workers hold (a dead worker's trial is reclaimed after {options.Lease.TotalSeconds:0.#} s)");
                    idleShown = true;
                    break;
            }
        }, context.Cancellation);
        context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{worker}] {summary.Done} done, {summary.Failed} failed, {summary.Lost} lost; {summary.TrialSeconds:F1} s in trials, {summary.StoreSeconds:F3} s in {summary.StoreCalls} store calls ({summary.StoreOverhead:P2} overhead)"));
        return summary;
    }
}
