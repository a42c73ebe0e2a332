using System.Diagnostics;
using InitLab.Activations;
using InitLab.Common;
using InitLab.Data;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Theory;
using InitLab.Training;

namespace InitLab.Practicals.Papers;

/// <summary>
/// Layer-sequential unit variance (Mishkin &amp; Matas 2016, "All you need is a good init"): from an orthonormal start, LSUV
/// divides each layer's weights by √Var(z_l) of its pre-activations on a data batch until |Var − 1| &lt; 0.1. Once the
/// layer before sits at unit variance, the scale a layer needs is the gain g = 1/√E[φ(z)²], z ~ N(0, 1): √2 for ReLU
/// (E[relu(z)²] = 1/2) and 1/√0.39429 ≈ 1.5925 for tanh. Before LSUV an orthonormal stack shrinks the signal layer by layer
/// as the length map q′ = E[φ(√q z)²] says; after it, every layer has unit variance; and the calibrated net trains at
/// least as well as orthogonal (gain 1) and He initialisations.
/// </summary>
public static class LsuvPractical
{
    /// <summary>The paper, as cited in reports.</summary>
    public const string Paper = "Mishkin & Matas 2016, All you need is a good init (ICLR 2016)";

    /// <summary>The formula the practical checks.</summary>
    public const string Formula = "W_l ← W_l/√Var(z_l) until |Var(z_l) − 1| < 0.1; at unit variance the gain is g = 1/√E[φ(z)²], z ~ N(0, 1): √2 ReLU, 1.5925 tanh";

    /// <summary>Hidden layers of the calibrated and the trained nets.</summary>
    public const int Depth = 12;

    /// <summary>Units per hidden layer (the digits have 64 features, so every hidden kernel is square and orthonormal).</summary>
    public const int Width = 64;

    /// <summary>Rows of the calibration batch.</summary>
    public const int BatchRows = 256;

    /// <summary>Independent nets per seed: their spread gives the standard errors the comparisons are made in.</summary>
    public const int NetsPerSeed = 2;

    /// <summary>Independent trainings per seed and initialisation (their spread gives the training comparison's standard error).</summary>
    public const int TrainingsPerSeed = 3;

    /// <summary>Training rows (of the digits' 1437 after holding out 360): short runs, so that the practical stays within seconds.</summary>
    public const int TrainingRows = 720;

    /// <summary>LSUV's accepted |Var − 1| (the paper's Tol_var).</summary>
    public const double Tolerance = 0.1;

    /// <summary>Standard errors allowed between a measured mean and the claim (two-sided, about 1 in 10⁴ by chance).</summary>
    public const double StandardErrors = 4;

    /// <summary>The activations.</summary>
    public static IReadOnlyList<string> Activations { get; } = ["relu", "tanh"];

    /// <summary>The initialisations LSUV is compared with in training.</summary>
    public static IReadOnlyList<string> Baselines { get; } = ["orthogonal", "he_normal"];

    /// <summary>Training epochs (quick: 4).</summary>
    /// <param name="quick">Quick mode.</param>
    /// <returns>Epochs.</returns>
    public static int Epochs(bool quick) => quick ? 4 : 8;

    /// <summary>Runs both activations over the seeds: per activation the variance before and after, the gain, and training.</summary>
    /// <param name="seeds">Weight seeds (1, 2, …).</param>
    /// <param name="quick">Fewer epochs.</param>
    /// <returns>The checks.</returns>
    public static IReadOnlyList<PaperCheck> Run(int seeds, bool quick)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        Dataset train = TrainingData();
        var checks = new List<PaperCheck>();
        foreach (string activation in Activations)
        {
            checks.AddRange(Calibration(activation, seeds, train.Features));
        }
        foreach (string activation in Activations)
        {
            checks.AddRange(Training(activation, seeds, Epochs(quick), train));
        }
        return checks;
    }

    /// <summary>g = 1/√E[φ(z)²], z ~ N(0, 1): the scale that brings a layer fed by unit-variance pre-activations to unit
    /// variance (an orthonormal kernel keeps the mean square, ‖Wa‖ = ‖a‖).</summary>
    /// <param name="activation">The activation's name.</param>
    /// <returns>The gain.</returns>
    public static double PredictedGain(string activation)
    {
        Activation phi = ActivationRegistry.Resolve(activation);
        return 1 / Math.Sqrt(GaussianExpectation.Univariate(z => phi.Apply(z) * phi.Apply(z)));
    }

    /// <summary>The digits (features/16, then each row scaled to unit mean square, as the paper asks of LSUV's input),
    /// 360 rows held out, and the first <see cref="TrainingRows"/> of the 1437 training rows.</summary>
    /// <returns>The training set.</returns>
    public static Dataset TrainingData()
    {
        Dataset digits = FeatureTransforms.Apply(BuiltInData.Load("digits"), x => FeatureTransforms.NormalizeRowsToUnitMeanSquare(FeatureTransforms.DivideBy(x, 16)));
        Dataset train = digits.Split(testRows: 360, seed: 0).Train;
        return train.Subset([.. Enumerable.Range(0, TrainingRows)], "digits (train)");
    }

    /// <summary>One activation: LSUV on <see cref="NetsPerSeed"/> nets per seed; per-layer variance before and after, and the
    /// gain of hidden layers 2..L (layer 1 depends on the input's dimension, not on φ).</summary>
    /// <param name="activation">"relu" or "tanh".</param>
    /// <param name="seeds">Weight seeds.</param>
    /// <param name="features">Training inputs; the first <see cref="BatchRows"/> rows are the calibration batch.</param>
    /// <returns>Three checks: before, after, gain.</returns>
    public static IReadOnlyList<PaperCheck> Calibration(string activation, int seeds, Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var clock = Stopwatch.StartNew();
        var batch = new Tensor(features.Data[..(BatchRows * Width)], BatchRows, Width);
        var runs = new List<(double[] Before, double[] After, double[] Gains)>();
        for (ulong net = 1; net <= (ulong)(seeds * NetsPerSeed); net++)
        {
            runs.Add(Calibrate(activation, batch, net));
        }
        double[] before = [.. Enumerable.Range(0, Depth).Select(l => runs.Average(r => r.Before[l]))];
        double[] after = [.. Enumerable.Range(0, Depth).Select(l => runs.Average(r => r.After[l]))];
        // The length map of an orthonormal stack (σ_w² = 1, σ_b² = 0: ‖Wa‖ = ‖a‖), iterated from the first layer's measured
        // variance for the figure; the check compares each layer's step Var_(l+1)/Var_l with the map's step from the
        // measured Var_l, so a finite-width deviation in one layer is not counted again in every later one.
        var map = new MeanField(ActivationRegistry.Resolve(activation), 1, 0);
        var predictedBefore = new double[Depth];
        predictedBefore[0] = before[0];
        for (int l = 1; l < Depth; l++)
        {
            predictedBefore[l] = map.LengthMap(predictedBefore[l - 1]);
        }
        double seconds = clock.Elapsed.TotalSeconds / 3;
        double[] measuredSteps = [.. runs.SelectMany(r => Enumerable.Range(1, Depth - 1).Select(l => r.Before[l] / r.Before[l - 1]))];
        double[] predictedSteps = [.. runs.SelectMany(r => Enumerable.Range(1, Depth - 1).Select(l => map.LengthMap(r.Before[l - 1]) / r.Before[l - 1]))];
        double[] stepRatios = [.. measuredSteps.Zip(predictedSteps, (m, p) => m / p)];
        double stepError = SampleStatistics.StandardError(stepRatios);
        string shrink = activation == "relu" ? "halves the variance at every layer (E[relu(√q z)²] = q/2)" : "shrinks the variance layer by layer (q′ = E[tanh(√q z)²] < q)";
        var beforeCheck = new PaperCheck("lsuv", $"{activation} before", Paper, Formula,
            $"Before LSUV, an orthonormal (gain 1) {activation} stack {shrink}; predicted and measured: the mean step Var(z_l+1)/Var(z_l).",
            predictedSteps.Average(), measuredSteps.Average(), [.. runs.Chunk(NetsPerSeed).Select(g => g.Average(r => Math.Pow(r.Before[^1] / r.Before[0], 1.0 / (Depth - 1))))],
            FormattableString.Invariant($"mean of measured/predicted step within {StandardErrors} SE of 1 (SE = {stepError:G2} over {stepRatios.Length} steps)"),
            Math.Abs(stepRatios.Average() - 1) <= StandardErrors * stepError, [], seconds)
        { MeasuredTrajectory = before, PredictedTrajectory = predictedBefore };

        double worst = runs.Max(r => r.After.Max(v => Math.Abs(v - 1)));
        var afterCheck = new PaperCheck("lsuv", $"{activation} after", Paper, Formula,
            "After LSUV every layer's pre-activations have unit variance on the batch (|Var − 1| < Tol_var = 0.1).",
            1, after[^1], [.. runs.Chunk(NetsPerSeed).Select(g => g.Average(r => r.After[^1]))],
            "every layer of every net: |Var − 1| < 0.1", worst < Tolerance, [], seconds)
        { MeasuredTrajectory = after, PredictedTrajectory = [.. Enumerable.Repeat(1.0, Depth)] };

        double predictedGain = PredictedGain(activation);
        double[] gains = [.. runs.SelectMany(r => r.Gains.Skip(1))];
        double meanGain = gains.Average();
        double error = SampleStatistics.StandardError(gains);
        var gainCheck = new PaperCheck("lsuv", $"{activation} gain", Paper, Formula,
            FormattableString.Invariant($"The scale LSUV applies to hidden layers 2..{Depth} is g = 1/√E[φ(z)²] = {predictedGain:0.####} for {activation}."),
            predictedGain, meanGain, [.. runs.Chunk(NetsPerSeed).Select(g => g.Average(r => r.Gains.Skip(1).Average()))],
            FormattableString.Invariant($"|mean gain − g| ≤ {StandardErrors} SE (SE = {error:G2} over {gains.Length} layers)"),
            Math.Abs(meanGain - predictedGain) <= StandardErrors * error, [.. gains], seconds)
        { MeasuredTrajectory = [.. Enumerable.Range(1, Depth - 1).Select(l => runs.Average(r => r.Gains[l]))], PredictedTrajectory = [.. Enumerable.Repeat(predictedGain, Depth - 1)] };
        return [beforeCheck, afterCheck, gainCheck];
    }

    /// <summary>One activation: LSUV, orthogonal and He nets trained for <paramref name="epochs"/> epochs of SGD; LSUV's mean
    /// training loss per epoch against each baseline's.</summary>
    /// <param name="activation">"relu" or "tanh".</param>
    /// <param name="seeds">Weight seeds.</param>
    /// <param name="epochs">Epochs.</param>
    /// <param name="train">Training set.</param>
    /// <returns>One check per baseline.</returns>
    public static IReadOnlyList<PaperCheck> Training(string activation, int seeds, int epochs, Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var clock = Stopwatch.StartNew();
        int nets = seeds * TrainingsPerSeed;
        double[][] Curves(string initializer) => [.. Enumerable.Range(1, nets).Select(net => TrainCurve(activation, initializer, (ulong)net, epochs, train))];
        double[][] lsuv = Curves("lsuv");
        var checks = new List<PaperCheck>();
        foreach (string baseline in Baselines)
        {
            double[][] other = Curves(baseline);
            double[] lsuvFinal = [.. lsuv.Select(c => c[^1])];
            double[] otherFinal = [.. other.Select(c => c[^1])];
            double error = Math.Sqrt(Math.Pow(SampleStatistics.StandardError(lsuvFinal), 2) + Math.Pow(SampleStatistics.StandardError(otherFinal), 2));
            bool passed = lsuvFinal.Average() <= otherFinal.Average() + StandardErrors * error;
            checks.Add(new PaperCheck("lsuv", $"{activation} training vs {baseline}", Paper, Formula,
                FormattableString.Invariant($"LSUV trains a {Depth}-layer {activation} net at least as fast as {baseline}: its training loss after {epochs} epochs is no higher (predicted column: {baseline}'s loss)."),
                otherFinal.Average(), lsuvFinal.Average(), [.. lsuv.Chunk(TrainingsPerSeed).Select(g => g.Average(c => c[^1]))],
                FormattableString.Invariant($"LSUV's loss ≤ {baseline}'s + {StandardErrors} SE of the difference (SE = {error:G2}, {nets} nets each)"),
                passed, [], 0)
            {
                MeasuredTrajectory = [.. Enumerable.Range(0, epochs).Select(e => lsuv.Average(c => c[e]))],
                PredictedTrajectory = [.. Enumerable.Range(0, epochs).Select(e => other.Average(c => c[e]))],
            });
        }
        double seconds = clock.Elapsed.TotalSeconds / checks.Count;
        return [.. checks.Select(c => c with { Seconds = seconds })];
    }

    private static (double[] Before, double[] After, double[] Gains) Calibrate(string activation, Tensor batch, ulong seed)
    {
        var layers = Enumerable.Range(0, Depth).Select(_ => new Dense(Width, ActivationRegistry.Resolve(activation), new Lsuv(Tolerance)))
            .Append(new Dense(10, ActivationRegistry.Resolve("softmax"), new Lsuv(Tolerance)));
        var model = new Sequential(Width, layers, seed);
        float[][] start = [.. model.DenseLayers.Take(Depth).Select(l => l.Kernel.ToArray())];
        model.Forward(batch);
        // The variance over all rows × units (divisor n), as LSUV measures it.
        double[] before = [.. model.DenseLayers.Take(Depth).Select(l => SampleStatistics.PopulationVariance(l.PreActivation))];
        LsuvCalibrator.Calibrate(model, batch);
        model.Forward(batch);
        double[] after = [.. model.DenseLayers.Take(Depth).Select(l => SampleStatistics.PopulationVariance(l.PreActivation))];
        double[] gains = [.. Enumerable.Range(0, Depth).Select(l => Math.Sqrt(SumOfSquares(model.DenseLayers[l].Kernel) / SumOfSquares(start[l])))];
        return (before, after, gains);
    }

    private static double[] TrainCurve(string activation, string initializer, ulong seed, int epochs, Dataset train)
    {
        var layers = Enumerable.Range(0, Depth).Select(_ => new Dense(Width, activation, initializer))
            .Append(new Dense(train.OutputWidth, "softmax", initializer));
        var model = new Sequential(train.FeatureCount, layers, seed) { Threads = 1 };
        var loss = new CategoricalCrossEntropy(sparse: true);
        model.Compile(loss, new Sgd(0.02, momentum: 0.9));
        History history = model.Fit(train.Features, train.TargetsFor(loss, model.OutputDim),
            new FitOptions { Epochs = epochs, BatchSize = 32, ShuffleSeed = seed });
        return [.. history.Epochs.Select(e => e.Loss)];
    }

    private static double SumOfSquares(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += (double)v * v;
        }
        return sum;
    }
}
