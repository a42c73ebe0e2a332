using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using InitLab.Cli.Rendering;
using InitLab.Common;
using InitLab.Diagnostics;
using InitLab.Practicals;
using InitLab.Practicals.Papers;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab practicals</c>: every claim of the tutorial, run over seeds, with a table, results.json and report.html.</summary>
internal static class PracticalsCommand
{
    private const int BandWidth = 256;
    private const int BandDepth = 30;

    public static Command Create(CliContext context)
    {
        var cases = new Option<string[]>("--case", "-c") { Description = "run only these cases (repeatable): " + string.Join(", ", PracticalCatalog.Names.Concat(PaperCatalog.Names)) }.Check(CaseProblem);
        var output = new Option<string>("--out", "-o") { Description = "folder for results.json, report.html and the PNG plots", DefaultValueFactory = _ => "initlab-report" };
        var seeds = new Option<int?>("--seeds") { Description = "weight seeds per run (default 3; 1 with --quick)" }.Check(n => n is int s ? Flags.AtLeastProblem(s, 1) : null);
        var quick = new Option<bool>("--quick", "-q") { Description = "1 seed, 30 epochs, depth sweep at 5 and 30 only (about 6 s here)" };
        var papers = new Option<bool>("--papers") { Description = "also run the papers' practicals (" + string.Join(", ", PaperCatalog.Names) + "); without --case, the tutorial's too" };
        var force = new Option<bool>("--force") { Description = "also replace report files initlab did not mark as its own (a report it wrote is replaced anyway; other files never)" };
        var threads = new Option<int>("--threads") { Description = "kernel threads (results are identical for any count)", DefaultValueFactory = _ => Environment.ProcessorCount }.Check(Flags.ThreadsProblem);
        var command = new Command("practicals",
            "Run the tutorial's practicals (zero, constant, small and large random, Xavier, He, depth sweep, Glorot & Bengio), " +
            "measure each run, compare the observed verdict with the tutorial's, and write a report.\n\n" +
            "Examples:\n  initlab practicals --out initlab-report\n  initlab practicals --quick\n  initlab practicals --case zero-relu --case he --seeds 5 --out he-report")
        {
            cases, output, seeds, quick, force, threads, papers,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            bool isQuick = parse.GetValue(quick);
            string[] names = parse.GetValue(cases) is { Length: > 0 } chosen
                ? [.. chosen.Select(n => n.Trim().ToLowerInvariant())]
                : [.. PracticalCatalog.Names];
            // The papers' practicals run only when asked for (by --case or --papers), so the default run stays short.
            string[] paperNames = [.. PaperCatalog.Names.Where(n => names.Contains(n) || parse.GetValue(papers))];
            names = [.. names.Where(n => !PaperCatalog.Names.Contains(n))];
            var variants = names.SelectMany(n => PracticalCatalog.Variants(n.Trim().ToLowerInvariant(), isQuick)).ToList();
            string folder = parse.GetValue(output)!;
            OutputPaths.NotStdout(new("--out", folder), "a report folder");
            // Checked and locked before the work; the report is written aside and swapped in at the end (issue 9).
            using ReportFolder report = ReportFolder.Open("--out", folder, parse.GetValue(force));
            int seedCount = parse.GetValue(seeds) ?? (isQuick ? 1 : 3);
            var options = new PracticalOptions { Seeds = seedCount, Quick = isQuick, Threads = parse.GetValue(threads) };
            var clock = Stopwatch.StartNew();
            var runner = new PracticalRunner(options);
            var results = new List<PracticalResult>();
            RunAll(context, variants, v => results.Add(runner.Run(v)));
            PropagationBands? he = null, glorot = null;
            if (names.Contains("depth-sweep"))
            {
                int bandSeeds = isQuick ? 4 : 10;
                he = PropagationBands.Measure("relu", "he_normal", BandDepth, BandWidth, bandSeeds);
                glorot = PropagationBands.Measure("relu", "glorot_uniform", BandDepth, BandWidth, bandSeeds);
            }
            var paperChecks = new List<PaperCheck>();
            foreach (string name in paperNames)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                context.Error.WriteLine($"running {name}");
                paperChecks.AddRange(PaperCatalog.Run(name, seedCount, isQuick));
            }
            PracticalReport.Write(report.WorkingPath, options, results, he, glorot, BandWidth, paperChecks);
            report.Commit();
            if (results.Count > 0)
            {
                RenderTable(context, results);
            }
            if (paperChecks.Count > 0)
            {
                RenderPaperTable(context, paperChecks);
            }
            int matches = results.Count(r => r.Matches) + paperChecks.Count(c => c.Passed);
            context.Console.MarkupLineInterpolated(
                $"{matches} of {results.Count + paperChecks.Count} runs match the expected verdict ({seedCount} seed(s) each) in {clock.Elapsed.TotalSeconds:F1} s.");
            context.Console.MarkupLineInterpolated($"report: [bold]{Path.Combine(folder, "report.html")}[/], results: [bold]{Path.Combine(folder, "results.json")}[/]");
            return 0;
        }));
        return command;
    }

    /// <summary>Each case once, and only known ones (with the nearest name for a typo).</summary>
    private static string? CaseProblem(string[] names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names.Select(n => n.Trim().ToLowerInvariant()))
        {
            if (!PracticalCatalog.Names.Contains(name) && !PaperCatalog.Names.Contains(name))
            {
                return NameLookup.UnknownMessage("practical case", name, [.. PracticalCatalog.Names, .. PaperCatalog.Names]);
            }
            if (!seen.Add(name))
            {
                return $"'{name}' is given twice; give each case once.";
            }
        }
        return null;
    }

    private static void RunAll(CliContext context, List<PracticalCase> variants, Action<PracticalCase> run)
    {
        if (context.Interactive)
        {
            context.Console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(progress =>
                {
                    var task = progress.AddTask("practicals", maxValue: variants.Count);
                    foreach (var v in variants)
                    {
                        context.Cancellation.ThrowIfCancellationRequested();
                        task.Description = $"practicals: {Markup.Escape(v.Id)}";
                        run(v);
                        task.Increment(1);
                    }
                    task.Description = "practicals";
                });
            return;
        }
        foreach (var v in variants)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            context.Error.WriteLine($"running {v.Id}");
            run(v);
        }
    }

    private static void RenderPaperTable(CliContext context, List<PaperCheck> checks)
    {
        var table = new FittedTable().Text("paper case", "criterion").Numbers("predicted", "measured").Text("").Numbers("seconds");
        foreach (PaperCheck c in checks)
        {
            table.AddMarkupRow(Markup.Escape(c.Id), Markup.Escape(c.Criterion), double.IsNaN(c.Predicted) ? "—" : c.Predicted.ToString("G3", CultureInfo.InvariantCulture),
                c.Measured.ToString("G3", CultureInfo.InvariantCulture), c.Passed ? "[green]✓[/]" : "[red]✗[/]", c.Seconds.ToString("F2", CultureInfo.InvariantCulture));
        }
        table.Write(context.Console);
    }

    private static void RenderTable(CliContext context, List<PracticalResult> results)
    {
        var table = new FittedTable().Text("case", "initializer", "activation").Numbers("depth").Text("expected", "observed", "")
            .Numbers("final loss", "accuracy", "seconds");
        foreach (var r in results)
        {
            table.AddMarkupRow(
                Markup.Escape(r.Case.Id),
                Markup.Escape(r.Case.KernelInitializer),
                Markup.Escape(r.Case.Activation),
                r.Case.HiddenLayers.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(VerdictClassifier.Name(r.Case.Expected)),
                Markup.Escape(VerdictClassifier.Name(r.Observed)),
                r.Matches ? "[green]✓[/]" : "[red]✗[/]",
                Markup.Escape(TrainCommand.Format(r.MeanOfFinite(s => s.FinalLoss))),
                Markup.Escape(TrainCommand.Percent(r.MeanOfFinite(s => s.TestAccuracy))),
                r.Seconds.ToString("F2", CultureInfo.InvariantCulture));
        }
        table.Write(context.Console);
    }
}
