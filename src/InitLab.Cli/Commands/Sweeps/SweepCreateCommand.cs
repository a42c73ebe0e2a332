using System.CommandLine;
using System.Globalization;
using InitLab.Cli.Errors;
using InitLab.Sweeps;
using InitLab.Sweeps.Definition;
using InitLab.Sweeps.Store;
using Spectre.Console;

namespace InitLab.Cli.Commands.Sweeps;

/// <summary><c>initlab sweep create</c>: adds a sweep and its trials to a store and runs none, for workers started elsewhere
/// (other machines, a Kubernetes Indexed Job, a Slurm array submitted by hand).</summary>
internal static class SweepCreateCommand
{
    public static Command Create(CliContext context)
    {
        var definition = new SweepDefinitionFlags();
        var store = new Option<string>("--store") { Description = "the results store: an SQLite file, or PostgreSQL (postgresql://user@host:port/db) for workers on many machines", Required = true };
        var name = new Option<string?>("--name") { Description = "the sweep's name in the store (default: the preset's name)" };
        var command = new Command("create",
            "Add a sweep and its trials to a store without running any (re-running adds only new trials). Then start workers anywhere " +
            "that reaches the store: 'initlab sweep worker --store … --name …', a Kubernetes Indexed Job (deploy/k8s/sweep-job.yaml) or 'sweep slurm'.\n\n" +
            "Example:\n  initlab sweep create --store postgresql://alice@db:5432/sweeps --preset depth-vs-init")
        {
            store, name,
        };
        definition.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            SweepDefinition sweep = definition.Build(parse);
            string sweepName = parse.GetValue(name) ?? definition.PresetName(parse)
                ?? throw new CliUsageException("--name: required (the sweep's name in the store, e.g. --name depth) unless --preset names it.");
            using ISweepStore opened = SweepStoreFlags.Open(parse.GetValue(store)!);
            SweepInfo info = opened.EnsureSweep(sweepName, sweep.ToJson());
            int added = opened.AddTrials(info.Id, sweep.Expand());
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sweep '{sweepName}' in {opened.Location}: {sweep.TrialCount} trials ({added} new); start workers with: initlab sweep worker --store … --name {sweepName}"));
            return 0;
        }));
        return command;
    }
}
