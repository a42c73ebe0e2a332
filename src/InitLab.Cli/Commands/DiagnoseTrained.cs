using System.Globalization;
using InitLab.Cli.Errors;
using InitLab.Cli.Rendering;
using InitLab.Data;
using InitLab.Diagnostics;
using InitLab.Experiments;
using InitLab.Models;
using InitLab.Persistence;
using InitLab.Tensors;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>diagnose --model M --data FILE</c>: the training monitor's per-layer statistics for a trained model, on
/// rows of a data set passed through the model's stored preprocessing (feature scaler, class labels by text, target
/// scaler).</summary>
internal static class DiagnoseTrained
{
    public static int Run(CliContext context, string modelPath, string? dataSpec, int rows, string? jsonPath)
    {
        if (dataSpec is null)
        {
            throw new CliUsageException("--data: diagnosing a trained model (--model) needs the data to run it on, e.g. --data iris or --data test.csv.");
        }
        OutputPaths.Check([new("--model", modelPath), new("--data", File.Exists(dataSpec) ? dataSpec : null)], [new("--json", jsonPath)]);
        OutputPaths.RequireFileLocation(new("--json", jsonPath), folderIsCreated: true);
        bool builtIn = ModelInput.IsBuiltIn(dataSpec);
        TrainedModel trained = ModelInput.Load(context, modelPath);
        (Tensor x, Tensor y) = builtIn ? FromDataset(trained, DataSource.LoadAll(dataSpec, ModelInput.Options(trained)), rows) : FromTable(trained, RawTable.Load(dataSpec), rows);
        MonitorSample sample = TrainingMonitor.Measure(trained.Network, x, y);
        context.Console.WriteLine(trained.Network.ToString());
        var table = new FittedTable().Text("layer").Text("activation").Numbers("act. mean", "act. std", "saturated", "dead", "grad std", "weight std", "grad:data");
        foreach (LayerMonitorSample l in sample.Layers)
        {
            table.AddRow(l.Layer, l.Activation, G(l.ActivationMean), G(l.ActivationStd), l.SaturatedFraction.ToString("P1", CultureInfo.InvariantCulture),
                l.DeadFraction.ToString("P1", CultureInfo.InvariantCulture), G(l.GradientStd), G(l.WeightStd), G(l.GradientToData));
        }
        table.Write(context.Console);
        DiagnosisReport.WriteBlocks(context, sample);
        context.Console.MarkupLineInterpolated(
            $"loss {G(sample.Loss)} on {x.Shape[0]} rows of {dataSpec} (after the model's preprocessing); saturated: tanh |a| > {TrainingMonitor.TanhSaturation}, sigmoid outside [[{TrainingMonitor.SigmoidSaturation}, {1 - TrainingMonitor.SigmoidSaturation}]]; dead: zero on every row");
        foreach (LayerMonitorSample l in sample.Layers.SkipLast(1))
        {
            if (l.DeadFraction >= 0.5)
            {
                context.Console.MarkupLineInterpolated($"[yellow]warning:[/] {l.Layer}: {l.DeadFraction:P0} of its units are zero on every row: they no longer learn.");
            }
            if (l.SaturatedFraction >= 0.5)
            {
                context.Console.MarkupLineInterpolated($"[yellow]warning:[/] {l.Layer}: {l.SaturatedFraction:P0} of its activations are saturated: little gradient passes.");
            }
        }
        if (jsonPath is not null)
        {
            var json = new Dictionary<string, object?>
            {
                ["model"] = trained.Network.ToString(),
                ["data"] = dataSpec,
                ["rows"] = x.Shape[0],
                ["loss"] = sample.Loss,
                ["layers"] = sample.Layers.Select(MonitorReport.LayerJson).ToList(),
            };
            DiagnosisReport.AddBlocks(json, [.. sample.Blocks.Select(b => new DiagnosedBlock(b, null))], sample.Normalizations);
            JsonOutput.Write(context, jsonPath, json, "diagnosis");
        }
        return 0;
    }

    private static (Tensor X, Tensor Y) FromDataset(TrainedModel trained, Dataset raw, int rows)
    {
        Tensor features = trained.Align(raw);
        if (trained.Task == ModelTask.Regression)
        {
            if (raw.RegressionTargets is null)
            {
                throw new CliUsageException($"--data: '{raw.Name}' has class labels; the model predicts numbers for '{trained.LabelName}'.");
            }
            return Batch(trained, features, raw.RegressionTargets, rows);
        }
        if (raw.Labels is null)
        {
            throw new CliUsageException($"--data: '{raw.Name}' has numeric targets; the model predicts classes ({string.Join(", ", trained.ClassLabels)}).");
        }
        return Classes(trained, features, [.. raw.Labels.Select(l => raw.ClassNames[l])], rows);
    }

    private static (Tensor X, Tensor Y) FromTable(TrainedModel trained, RawTable table, int rows)
    {
        IReadOnlyList<string> names = trained.FeaturesByPosition && table.Columns.Count >= trained.FeatureNames.Count
            ? [.. table.Columns.Take(trained.FeatureNames.Count)] : trained.FeatureNames;
        Tensor features = table.Features(names);
        IReadOnlyList<string> labels = table.Column(trained.FeaturesByPosition && table.Columns.Count > names.Count ? table.Columns[names.Count] : trained.LabelName);
        if (trained.Task == ModelTask.Classification)
        {
            return Classes(trained, features, labels, rows);
        }
        var targets = new float[labels.Count];
        for (int r = 0; r < targets.Length; r++)
        {
            if (!float.TryParse(labels[r], NumberStyles.Float, CultureInfo.InvariantCulture, out targets[r]) || !float.IsFinite(targets[r]))
            {
                throw new CliUsageException($"--data: row {r + 1}, column '{trained.LabelName}': '{labels[r]}' is not a finite number.");
            }
        }
        return Batch(trained, features, new Tensor(targets, labels.Count, 1), rows);
    }

    private static (Tensor X, Tensor Y) Classes(TrainedModel trained, Tensor features, IReadOnlyList<string> labels, int rows)
    {
        var index = trained.ClassLabels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        int n = Math.Min(rows, labels.Count);
        var classes = new int[n];
        for (int r = 0; r < n; r++)
        {
            if (!index.TryGetValue(labels[r].Trim(), out classes[r]))
            {
                throw new CliUsageException($"--data: row {r + 1} has label '{labels[r]}', which is not one of the model's classes ({string.Join(", ", trained.ClassLabels)}).");
            }
        }
        Tensor x = trained.Transform(Head(features, n));
        var data = new Dataset("diagnose", x, classes, trained.ClassLabels.Count, trained.FeatureNames, trained.ClassLabels, trained.LabelName);
        return (x, data.TargetsFor(trained.Network.Loss!, trained.Network.OutputDim));
    }

    private static (Tensor X, Tensor Y) Batch(TrainedModel trained, Tensor features, Tensor targets, int rows)
    {
        int n = Math.Min(rows, features.Shape[0]);
        Tensor y = Head(targets, n);
        return (trained.Transform(Head(features, n)), trained.TargetScaler?.Transform(y) ?? y);
    }

    private static Tensor Head(Tensor t, int rows)
    {
        int width = t.Rank == 1 ? 1 : t.Shape[1];
        return new Tensor(t.Data[..(rows * width)], rows, width);
    }

    private static string G(double value) => double.IsFinite(value) ? value.ToString("G3", CultureInfo.InvariantCulture) : NonFiniteStatistic.Symbol(value);
}
