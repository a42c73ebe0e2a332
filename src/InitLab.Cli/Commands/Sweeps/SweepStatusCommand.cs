using System.CommandLine;
using System.Globalization;
using InitLab.Sweeps;
using InitLab.Sweeps.Running;
using InitLab.Sweeps.Store;
using Spectre.Console;

namespace InitLab.Cli.Commands.Sweeps;

/// <summary><c>initlab sweep status</c>: counts, verdicts, failures with their reasons, and the time left.</summary>
internal static class SweepStatusCommand
{
    public static Command Create(CliContext context)
    {
        Option<string> store = SweepStoreFlags.Store();
        Option<string> name = SweepStoreFlags.Name(required: false);
        var command = new Command("status",
            "Show how far a sweep is: trials pending, running, done and failed (with the reasons), verdicts, and an estimate of the time left. " +
            "Without --name, every sweep in the store.\n\nExample:\n  initlab sweep status --store sweep.db --name depth")
        {
            store, name,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            using ISweepStore opened = SweepStoreFlags.Open(parse.GetValue(store)!);
            IReadOnlyList<SweepInfo> sweeps = parse.GetValue(name) is string one ? [SweepStoreFlags.Find(opened, one)] : opened.Sweeps();
            if (sweeps.Count == 0)
            {
                context.Console.WriteLine($"no sweep in '{opened.Location}' yet");
            }
            foreach (SweepInfo sweep in sweeps)
            {
                Print(context, sweep, SweepProgress.Of(opened.Trials(sweep.Id)));
            }
            return 0;
        }));
        return command;
    }

    public static void Print(CliContext context, SweepInfo sweep, SweepProgress p)
    {
        context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep '{sweep.Name}': {p.Total} trials: {p.Done} done, {p.Failed.Count} failed, {p.Running} running, {p.Pending} pending"));
        if (p.Verdicts.Count > 0)
        {
            context.Console.WriteLine("verdicts: " + string.Join(", ", p.Verdicts.Select(v => $"{v.Key} {v.Value}")));
        }
        if (!double.IsNaN(p.MedianTrialSeconds))
        {
            string left = p.Pending + p.Running == 0 ? "finished"
                : string.Create(CultureInfo.InvariantCulture, $"about {Duration(p.Remaining!.Value)} left with {Math.Max(1, p.ActiveWorkers)} worker(s)");
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median trial {p.MedianTrialSeconds:F2} s; {left}"));
        }
        foreach (IGrouping<string, TrialRecord> reason in p.Failed.GroupBy(t => t.Error ?? "?", StringComparer.Ordinal))
        {
            TrialRecord first = reason.First();
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"failed ×{reason.Count()} (e.g. #{first.Id} {first.Spec}): {reason.Key}"));
        }
    }

    private static string Duration(TimeSpan span) => span.TotalMinutes < 2
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:F0} s")
        : span.TotalHours < 2 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:F0} min")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:F1} h");
}
