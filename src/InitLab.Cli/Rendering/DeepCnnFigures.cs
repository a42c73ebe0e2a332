using InitLab.Practicals.Papers;

namespace InitLab.Cli.Rendering;

/// <summary>The deep-cnn practical's figures: per depth, the pre-activation std of every convolution for the three
/// inits (measured vs the exact expectation), and the training loss per epoch.</summary>
internal static class DeepCnnFigures
{
    public static IEnumerable<ReportFigure> Draw(string folder, IReadOnlyList<PaperCheck> checks)
    {
        foreach (var depth in checks.Where(c => c.Variant.EndsWith(" signal", StringComparison.Ordinal)).GroupBy(c => Depth(c.Variant)))
        {
            var list = depth.ToList();
            var curves = list.Select(c => new LogCurves.Curve(Init(c.Variant), Layers(c.MeasuredTrajectory.Count), c.MeasuredTrajectory, c.PredictedTrajectory)).ToList();
            yield return LogCurves.Draw(folder, $"deep-cnn-signal-{depth.Key}.png",
                $"deep-cnn: pre-activation std per convolution, depth {depth.Key} (geometric mean over seeds)", "layer", "√ mean z² (log scale)", curves,
                $"Depth {depth.Key}, {DeepCnnPractical.Channels} channels, 3×3 same-padded ReLU convolutions. Dashed: the exact expectation iterated from the input (He A/9 per layer: flat inside the image, the zero border leaks ×0.92; Glorot A/18: half of that; delta-orthogonal √2: flat, pixel by pixel). " +
                LogCurves.Verdicts(list));
        }
        var training = checks.Where(c => c.Variant.EndsWith(" training", StringComparison.Ordinal) && c.MeasuredTrajectory.Count > 0).ToList();
        if (training.Count > 0)
        {
            var curves = training.Select(c => new LogCurves.Curve(c.Variant.Split(' ')[0], Layers(c.MeasuredTrajectory.Count), c.MeasuredTrajectory, [])).ToList();
            yield return LogCurves.Draw(folder, "deep-cnn-training.png",
                FormattableString.Invariant($"deep-cnn: training loss per epoch (mean over seeds; Adam {DeepCnnPractical.LearningRate:0.###}, {DeepCnnPractical.TrainingRows} rows)"),
                "epoch", "training loss (log scale)", curves,
                FormattableString.Invariant($"A net trains when its last epoch's loss is ≤ ½·ln 10 = {DeepCnnPractical.TrainedLoss:0.###}; Glorot at depth 30 stalls when it stays ≥ 0.98·ln 10. ") + LogCurves.Verdicts(training));
        }
    }

    private static double[] Layers(int count) => [.. Enumerable.Range(1, count).Select(l => (double)l)];

    private static string Depth(string variant) => variant.Split(' ')[0].Split('@')[1];

    private static string Init(string variant) => variant.Split('@')[0];
}
