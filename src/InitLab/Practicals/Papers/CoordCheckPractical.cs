using System.Diagnostics;
using InitLab.Architectures;
using InitLab.Data;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Practicals.Papers;

/// <summary>
/// The coordinate check of Tensor Programs V (Yang et al. 2021, Fig. 5; microsoft/mup's <c>get_coord_data</c>; issue 21):
/// ReLU MLPs with two hidden layers, widths 64 to 1024, a few Adam steps on one batch of the digits; per layer (the input
/// layer's Dense output, the hidden layer's, the logits) the size of a coordinate — RMS over the batch and the units — at
/// init and of its change after t = 1…5 steps, against the width on log-log axes. Adam moves every weight by about the
/// rate it is given, η·s (s = <see cref="Parametrizations.LearningRateScale"/> ∝ width^a); a layer whose fan_in is the
/// width adds those moves coherently over its n inputs, so its output moves by ≈ n^(1 + a); a readout whose weights have
/// size n^b (b = −½ under SP's 1/fan_in variance, −1 under μP's 1/fan_in²) also passes on the previous layer's move,
/// aligned with it, as n^(1 + b)·(that move). Predicted slopes: SP input 0, hidden 1, logits max(1, 1 − ½ + 1) = 1.5;
/// μP (a = −1 on hidden and output) 0, 0, 0 — flat. At init μP's logits shrink as n^(½ + b) = n^(−½), SP's stay O(1).
/// </summary>
public static class CoordCheckPractical
{
    /// <summary>The paper, as cited in reports.</summary>
    public const string Paper = "Yang et al. 2021, Tensor Programs V, §4 and Fig. 5 (coordinate check; microsoft/mup's get_coord_data)";

    /// <summary>The formulas the practical checks.</summary>
    public const string Formula = "Adam step ≈ η·s per weight (s ∝ n^a): input layer Δ ∝ n^a, hidden Δ ∝ n^max(1 + a, slope below), logits Δ ∝ n^max(1 + a, 1 + b + slope below), b = readout weight size exponent; SP (a = 0, b = −½): 0, 1, 1.5; μP (a = −1, b = −1): 0, 0, 0";

    /// <summary>The base width.</summary>
    public const int BaseWidth = 64;

    /// <summary>Rows of the batch the steps are taken and measured on.</summary>
    public const int Rows = 32;

    /// <summary>Adam steps.</summary>
    public const int Steps = 5;

    /// <summary>Adam's η: small enough that even SP's logits at width 1024 move by less than their own size in 5 steps,
    /// so the measured move is the first-order one the slopes describe.</summary>
    public static double LearningRate { get; } = Math.Pow(2, -14);

    /// <summary>A measured slope agrees with the prediction when within this of it: a quarter of the gap (1) between SP's and
    /// μP's hidden-layer slopes, so neither can pass for the other.</summary>
    public const double SlopeTolerance = 0.25;

    /// <summary>The layers measured.</summary>
    public static IReadOnlyList<string> LayerNames { get; } = ["input", "hidden", "logits"];

    /// <summary>The widths of the full run.</summary>
    public static IReadOnlyList<int> Widths { get; } = [64, 128, 256, 512, 1024];

    /// <summary>The widths of the quick run.</summary>
    public static IReadOnlyList<int> QuickWidths { get; } = [64, 256, 1024];

    /// <summary>One net's measurement: per layer the RMS at init and the RMS of the change after each step, [layer][step − 1].</summary>
    /// <param name="Init">RMS of each layer's Dense output at init.</param>
    /// <param name="Change">RMS of its change after t steps, t = 1…<see cref="Steps"/>.</param>
    public sealed record Coordinates(double[] Init, double[][] Change);

    /// <summary>Measures every width under SP and μP over the seeds: per layer the slope of the change after t = 1…5 steps
    /// and of the size at init.</summary>
    /// <param name="seeds">Weight seeds (1, 2, …).</param>
    /// <param name="quick">Widths 64, 256, 1024 only.</param>
    /// <returns>The checks.</returns>
    public static IReadOnlyList<PaperCheck> Run(int seeds, bool quick)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        (Tensor x, Tensor y) = Batch();
        IReadOnlyList<int> widths = quick ? QuickWidths : Widths;
        var checks = new List<PaperCheck>();
        foreach (Parametrization p in new[] { Parametrization.Standard, Parametrization.MuP })
        {
            var clock = Stopwatch.StartNew();
            var nets = new Coordinates[widths.Count][];
            for (int w = 0; w < widths.Count; w++)
            {
                nets[w] = new Coordinates[seeds];
            }
            // Independent single-threaded nets, measured side by side: the same bits as one after the other.
            Parallel.For(0, widths.Count * seeds, i => nets[i / seeds][i % seeds] = Measure(p, widths[i / seeds], (ulong)(i % seeds) + 1, x, y));
            checks.AddRange(Checks(p, widths, nets, clock.Elapsed.TotalSeconds));
        }
        return checks;
    }

    /// <summary>The limit slopes of the change after a few Adam steps, per layer (input, hidden, logits), from the
    /// parametrization's table: a = log_m of <see cref="Parametrizations.LearningRateScale"/> per role, b = the readout
    /// weight's size exponent (−k/2 with k = <see cref="Parametrizations.InitVarianceExponent"/>; SP's fan-in variance: −½).</summary>
    /// <param name="parametrization">SP or μP.</param>
    /// <returns>Three slopes.</returns>
    public static double[] PredictedChangeSlopes(Parametrization parametrization)
    {
        const double m = 16;
        double A(WidthRole role) => Math.Log(Parametrizations.LearningRateScale(parametrization, role, OptimizerFamily.Adaptive, m)) / Math.Log(m);
        double input = A(WidthRole.InputWeights);
        double hidden = Math.Max(1 + A(WidthRole.HiddenWeights), input);
        double logits = Math.Max(1 + A(WidthRole.OutputWeights), 1 + ReadoutExponent(parametrization) + hidden);
        return [input, hidden, logits];
    }

    /// <summary>The slopes of the size at init per layer: 0, 0 (fan-in inits keep every hidden coordinate O(1)) and ½ + b for
    /// the logits (a sum of n terms of size n^b): SP 0, μP −½.</summary>
    /// <param name="parametrization">SP or μP.</param>
    /// <returns>Three slopes.</returns>
    public static double[] PredictedInitSlopes(Parametrization parametrization) => [0, 0, 0.5 + ReadoutExponent(parametrization)];

    /// <summary>b: a readout weight's size ∝ width^b.</summary>
    private static double ReadoutExponent(Parametrization parametrization) =>
        Parametrizations.InitVarianceExponent(parametrization, WidthRole.OutputWeights) is int k ? -k / 2.0 : -0.5;

    /// <summary>The checks of one parametrization from its measurements ([width][seed]).</summary>
    /// <param name="parametrization">SP or μP.</param>
    /// <param name="widths">The widths.</param>
    /// <param name="nets">The measurements.</param>
    /// <param name="seconds">Wall time.</param>
    /// <returns>Per layer a change check and an init check.</returns>
    public static IReadOnlyList<PaperCheck> Checks(Parametrization parametrization, IReadOnlyList<int> widths, IReadOnlyList<Coordinates[]> nets, double seconds)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(nets);
        string name = Parametrizations.Name(parametrization);
        double[] change = PredictedChangeSlopes(parametrization), init = PredictedInitSlopes(parametrization);
        double GeometricMean(IEnumerable<double> values) => Math.Exp(values.Average(v => Math.Log(v)));
        // Slope of the seed-mean (geometric) change after t steps, per layer and t.
        double[][] slopes = [.. Enumerable.Range(0, LayerNames.Count).Select(l => Enumerable.Range(0, Steps)
            .Select(t => LogLogSlope(widths, [.. nets.Select(w => GeometricMean(w.Select(c => c.Change[l][t])))])).ToArray())];
        var checks = new List<PaperCheck>();
        for (int l = 0; l < LayerNames.Count; l++)
        {
            int layer = l;
            double[] sizes = [.. nets.Select(w => GeometricMean(w.Select(c => c.Change[layer][Steps - 1])))];
            double[] perSeed = [.. Enumerable.Range(0, nets[0].Length).Select(s => LogLogSlope(widths, [.. nets.Select(w => w[s].Change[layer][Steps - 1])]))];
            string list = string.Join(", ", slopes[l].Select(v => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));
            (string criterion, bool passed) = (parametrization, l) switch
            {
                (Parametrization.Standard, 1) => ("every t: ½ < slope ≤ 1.25 (a coherent part ∝ n beside an incoherent ∝ √n: at finite width between ½ and 1)",
                    slopes[l].All(v => v > 0.5 && v <= 1 + SlopeTolerance)),
                (Parametrization.Standard, 2) => (Invariant($"every t: within {SlopeTolerance} of max(1, ½ + the hidden layer's measured slope), the recursion at finite width"),
                    Enumerable.Range(0, Steps).All(t => Math.Abs(slopes[2][t] - Math.Max(1, 0.5 + slopes[1][t])) <= SlopeTolerance)),
                _ => (Invariant($"every t: within {SlopeTolerance} of {change[l]:0.#}"), slopes[l].All(v => Math.Abs(v - change[l]) <= SlopeTolerance)),
            };
            string claim = Invariant($"{name}: the {LayerNames[l]} layer's change after 1–{Steps} Adam steps grows as width^{change[l]:0.#}{(change[l] == 0 ? " (flat)" : string.Empty)}; measured log-log slopes {list} (t = 1…{Steps}).");
            checks.Add(new PaperCheck("coord-check", Invariant($"{name}/{LayerNames[l]} change"), Paper, Formula, claim, change[l], slopes[l][^1], perSeed, criterion, passed, [],
                l == 0 ? seconds : 0)
            {
                MeasuredTrajectory = sizes,
                PredictedTrajectory = [.. widths.Select(w => sizes[0] * Math.Pow(w / (double)widths[0], change[layer]))],
            });
        }
        for (int l = 0; l < LayerNames.Count; l++)
        {
            int layer = l;
            double measured = LogLogSlope(widths, [.. nets.Select(w => GeometricMean(w.Select(c => c.Init[layer])))]);
            double[] perSeed = [.. Enumerable.Range(0, nets[0].Length).Select(s => LogLogSlope(widths, [.. nets.Select(w => w[s].Init[layer])]))];
            checks.Add(new PaperCheck("coord-check", Invariant($"{name}/{LayerNames[l]} init"), Paper, Formula,
                Invariant($"{name}: the {LayerNames[l]} layer's size at init grows as width^{init[l]:0.#}{(init[l] == 0 ? " (flat)" : string.Empty)}."),
                init[l], measured, perSeed, Invariant($"within {SlopeTolerance} of {init[l]:0.#}"), Math.Abs(measured - init[l]) <= SlopeTolerance, [], 0));
        }
        return checks;
    }

    /// <summary>The first <see cref="Rows"/> training rows of the digits (features/16, 360 held out) and their classes.</summary>
    /// <returns>(inputs, class indices).</returns>
    public static (Tensor X, Tensor Y) Batch()
    {
        Dataset digits = FeatureTransforms.Apply(BuiltInData.Load("digits"), x => FeatureTransforms.DivideBy(x, 16));
        Dataset batch = digits.Split(testRows: 360, seed: 0).Train.Subset([.. Enumerable.Range(0, Rows)], "digits (batch)");
        return (batch.Features, batch.TargetsFor(new CategoricalCrossEntropy(sparse: true), 10));
    }

    /// <summary>The net at a width (as mup-transfer's: he_normal hidden, glorot_uniform output, base width 64).</summary>
    /// <param name="parametrization">SP or μP.</param>
    /// <param name="width">Hidden width.</param>
    /// <returns>The options.</returns>
    public static ArchitectureOptions Options(Parametrization parametrization, int width) => MupTransferPractical.Options(parametrization, width) with { Depth = 2 };

    /// <summary>Builds one net, measures every layer's Dense output on the batch, takes <see cref="Steps"/> Adam steps on it
    /// and measures how far each moved after each step.</summary>
    /// <param name="parametrization">SP or μP.</param>
    /// <param name="width">Hidden width.</param>
    /// <param name="seed">Weight seed.</param>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Class indices.</param>
    /// <returns>The coordinates' sizes.</returns>
    public static Coordinates Measure(Parametrization parametrization, int width, ulong seed, Tensor x, Tensor y)
    {
        ArchitectureOptions options = Options(parametrization, width);
        Sequential model = ArchitectureBuilder.Build(options, seed);
        model.Threads = 1;
        model.Compile(new CategoricalCrossEntropy(sparse: true), new Adam(LearningRate));
        Parametrizations.ApplyLearningRates(model, options, model.Optimizer!);
        model.Forward(x);
        float[][] before = [.. model.DenseLayers.Select(d => d.PreActivation.ToArray())];
        var change = new double[before.Length][];
        for (int l = 0; l < before.Length; l++)
        {
            change[l] = new double[Steps];
        }
        for (int t = 0; t < Steps; t++)
        {
            model.TrainBatch(x, y);
            model.Forward(x);
            for (int l = 0; l < before.Length; l++)
            {
                change[l][t] = RmsDifference(model.DenseLayers[l].PreActivation, before[l]);
            }
        }
        return new Coordinates([.. before.Select(b => Math.Sqrt(ResidualDepthPractical.MeanSquare(b)))], change);
    }

    /// <summary>The least-squares slope of ln(size) against ln(width).</summary>
    /// <param name="widths">Widths.</param>
    /// <param name="sizes">Sizes, one per width, all &gt; 0.</param>
    /// <returns>The log-log slope.</returns>
    public static double LogLogSlope(IReadOnlyList<int> widths, IReadOnlyList<double> sizes)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(sizes);
        double[] u = [.. widths.Select(w => Math.Log(w))], v = [.. sizes.Select(s => Math.Log(s))];
        double mu = u.Average(), mv = v.Average();
        return u.Zip(v, (a, b) => (a - mu) * (b - mv)).Sum() / u.Sum(a => (a - mu) * (a - mu));
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static double RmsDifference(ReadOnlySpan<float> after, float[] before)
    {
        double sum = 0;
        for (int i = 0; i < before.Length; i++)
        {
            double d = (double)after[i] - before[i];
            sum += d * d;
        }
        return Math.Sqrt(sum / before.Length);
    }
}
