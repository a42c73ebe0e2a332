using System.CommandLine;
using System.Globalization;
using InitLab.Cli.Errors;
using InitLab.Cli.Rendering;
using InitLab.Common;
using InitLab.Experiments;
using InitLab.Sweeps;
using InitLab.Sweeps.Analysis;
using InitLab.Sweeps.Store;
using Spectre.Console;

namespace InitLab.Cli.Commands.Sweeps;

/// <summary><c>initlab sweep report</c>: figures, tables and an interactive page from a sweep's results store.</summary>
internal static class SweepReportCommand
{
    public static Command Create(CliContext context)
    {
        var store = new Option<string>("--store") { Description = "the results store 'initlab sweep run' wrote (an SQLite file; only read)", Required = true };
        var name = new Option<string?>("--name") { Description = "the sweep to report on (optional when the store holds one sweep)" };
        var output = new Option<string>("--out", "-o") { Description = "folder for report.html, results.json and the PNG figures", DefaultValueFactory = _ => "sweep-report" };
        var force = new Option<bool>("--force") { Description = "also replace report files initlab did not mark as its own (a report it wrote is replaced anyway; other files never)" };
        var chance = new Option<double?>("--chance") { Description = "accuracy of guessing (default: the majority class's share of the sweep's data set)" }
            .Check(x => x is double v ? Flags.FractionProblem(v, allowZero: true) : null);
        var trainable = new Option<double?>("--trainable-accuracy") { Description = "mean test accuracy from which a depth counts as trainable in the phase diagram (default: halfway from chance to 100 %)" };
        var thresholdMetric = new Option<string>("--threshold-metric") { Description = "history metric for the time to threshold: accuracy, loss, val_accuracy, val_loss", DefaultValueFactory = _ => "accuracy" };
        var threshold = new Option<double?>("--threshold") { Description = "level the threshold metric must reach (accuracies from below, losses from above); default for accuracies: the trainable accuracy" };
        var command = new Command("report",
            "Report on a sweep: heatmaps of test accuracy over depth × initializer per activation and over σ_w² × depth, accuracy over depth " +
            "with the seeds' min–max band, epochs to a threshold, the best configuration per cell, the trainability phase diagram with the " +
            "mean-field critical σ_w² and 6ξ_c, and report.html whose heatmap follows drop-downs (metric, activation, width, …).\n\n" +
            "Examples:\n  initlab sweep report --store sweeps.db --name phase --out phase-report\n" +
            "  initlab sweep report --store sweeps.db --threshold-metric val_accuracy --threshold 0.8 --force")
        {
            store, name, output, force, chance, trainable, thresholdMetric, threshold,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            string storePath = parse.GetValue(store)!;
            string folder = parse.GetValue(output)!;
            string key = parse.GetValue(thresholdMetric)!.Trim();
            if (!HistoryKeys.Contains(key, StringComparer.Ordinal))
            {
                throw new CliUsageException(NameLookup.UnknownMessage("--threshold-metric", key, HistoryKeys));
            }
            double? givenLevel = parse.GetValue(threshold);
            if (givenLevel is double g && !double.IsFinite(g))
            {
                throw new CliUsageException(string.Create(CultureInfo.InvariantCulture, $"--threshold: got {g}; give a finite number (e.g. 0.9 for 90 % accuracy)."));
            }
            if (givenLevel is null && key.Contains("loss", StringComparison.Ordinal))
            {
                throw new CliUsageException($"--threshold: --threshold-metric {key} is a loss, which has no natural level; give one (e.g. --threshold 0.5).");
            }
            OutputPaths.NotStdout(new("--out", folder), "a report folder");
            OutputPaths.Check([new("--store", storePath)], [new("--out", folder)]);
            // Reading must not create a store: an SQLite path (not a database URL) has to exist.
            if (!storePath.Contains("://", StringComparison.Ordinal) && !File.Exists(storePath))
            {
                throw new CliUsageException($"--store: '{storePath}' does not exist; give the SQLite file 'initlab sweep run --store' wrote (nothing was created).");
            }
            (SweepInfo sweep, IReadOnlyList<TrialRecord> trials) = Load(storePath, parse.GetValue(name));
            if (!trials.Any(t => t.Status == TrialStatus.Done))
            {
                throw new CliUsageException($"--name: sweep '{sweep.Name}' has no finished trial yet ({trials.Count} trials); run 'initlab sweep run' or wait for the workers.");
            }
            double chanceLevel = parse.GetValue(chance) ?? ChanceOf(trials);
            double trainableLevel = parse.GetValue(trainable) ?? chanceLevel + 0.5 * (1 - chanceLevel);
            if (!(trainableLevel > chanceLevel && trainableLevel <= 1))
            {
                throw new CliUsageException(string.Create(CultureInfo.InvariantCulture,
                    $"--trainable-accuracy: got {trainableLevel}; it must be above chance ({chanceLevel:G3}) and at most 1."));
            }
            // By default the time to threshold is the time to reach the trainable accuracy, so both figures ask the same question.
            var options = new SweepReportOptions(chanceLevel, trainableLevel, key, givenLevel ?? trainableLevel);
            using ReportFolder report = ReportFolder.Open("--out", folder, parse.GetValue(force));
            SweepReport.Outcome outcome;
            try
            {
                outcome = SweepReport.Write(report.WorkingPath, sweep, trials, options);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException)
            {
                throw new InvalidDataException($"sweep '{sweep.Name}' in '{storePath}': a trial's per-epoch history is not the JSON array the runner writes ({ExceptionText.OneLine(ex)}); nothing was written.", ex);
            }
            report.Commit();
            Summarize(context, sweep, trials, outcome, report.TargetPath);
            return 0;
        }));
        return command;
    }

    private static readonly string[] HistoryKeys = ["accuracy", "loss", "val_accuracy", "val_loss"];

    private static (SweepInfo Sweep, IReadOnlyList<TrialRecord> Trials) Load(string path, string? name)
    {
        using ISweepStore store = Sweeps.SweepStoreFlags.Open(path);
        IReadOnlyList<SweepInfo> sweeps = store.Sweeps();
        SweepInfo sweep = name is not null ? Sweeps.SweepStoreFlags.Find(store, name) : sweeps.Count switch
        {
            0 => throw new CliUsageException($"--store: '{path}' holds no sweep yet; run 'initlab sweep run --store {path} …' first."),
            1 => sweeps[0],
            _ => throw new CliUsageException($"--name: '{path}' holds {sweeps.Count} sweeps; choose one with --name: {string.Join(", ", sweeps.Select(s => s.Name))}."),
        };
        return (sweep, store.Trials(sweep.Id));
    }

    /// <summary>The majority class's share of the sweep's data set: what always guessing the most frequent class scores.</summary>
    private static double ChanceOf(IReadOnlyList<TrialRecord> trials)
    {
        string[] data = [.. trials.Select(t => t.Spec["data"] ?? "digits").Distinct(StringComparer.Ordinal)];
        if (data.Length != 1)
        {
            throw new CliUsageException($"--chance: the sweep mixes data sets ({string.Join(", ", data)}), so there is no one chance level; give --chance.");
        }
        try
        {
            int[] labels = DataSource.LoadAll(data[0]).Labels
                ?? throw new CliUsageException($"--chance: data '{data[0]}' is a regression set; the report's accuracies need a classification set.");
            return labels.GroupBy(l => l).Max(g => g.Count()) / (double)labels.Length;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or Data.DataFormatException)
        {
            throw new CliUsageException($"--chance: could not load the sweep's data '{data[0]}' to find the chance level ({ExceptionText.OneLine(ex)}); give --chance.");
        }
    }

    private static void Summarize(CliContext context, SweepInfo sweep, IReadOnlyList<TrialRecord> trials, SweepReport.Outcome outcome, string folder)
    {
        IAnsiConsole console = context.Console;
        console.MarkupLineInterpolated($"sweep [bold]{sweep.Name}[/]: {trials.Count(t => t.Status == TrialStatus.Done)} of {trials.Count} trials done in {outcome.Configurations} configurations");
        foreach (TrainabilityDiagram diagram in outcome.Diagrams)
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"phase diagram {diagram.Activation}, σ_b² = {diagram.BiasVariance:G3}: critical σ_w² = {diagram.CriticalWeightVariance:F3}; trainable = mean test accuracy ≥ {diagram.Threshold:P1} (chance {diagram.Chance:P1})");
            var table = new Table().AddColumns("σ_w²", "χ₁", $"{diagram.Factor:G3}ξ_c", "largest trainable depth", "first untrainable", "ratio");
            foreach (TrainabilityColumn c in diagram.Columns)
            {
                table.AddRow(Invariant($"{c.WeightVariance:G4}"), Invariant($"{c.Chi1:F3}"), double.IsFinite(c.TheoryDepth) ? Invariant($"{c.TheoryDepth:F1}") : "∞",
                    c.MaxTrainableDepth is double m ? Invariant($"{m}") : "none", c.FirstUntrainableDepth is double f ? Invariant($"{f}") : "beyond grid",
                    double.IsFinite(c.Ratio) ? Invariant($"{c.Ratio:F2}") : "—");
            }
            console.Write(table);
        }
        console.MarkupLineInterpolated($"report written to [bold]{Path.Combine(folder, "report.html")}[/] ({outcome.Figures.Count} figures)");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
