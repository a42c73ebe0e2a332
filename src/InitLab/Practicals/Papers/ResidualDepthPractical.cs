using System.Diagnostics;
using InitLab.Architectures;
using InitLab.Common;
using InitLab.Data;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Practicals.Papers;

/// <summary>
/// Residual MLPs of 10, 50 and 100 blocks on the digits (issue 21), built by <see cref="ArchitectureBuilder"/>: a stem
/// Dense(64), L blocks y = x + F(x) with the pre-activation branch F = Dense(φ(Dense(φ(x)))) of He et al. (2016), then
/// φ → softmax. With he_normal and no residual init each block about doubles the signal's mean square: given the block's
/// input x, the branch's weights (zero-mean, variance 2/fan_in, biases 0) give E[mean F²] = 2·mean(relu(x)²) and
/// E[mean x·F] = 0, so E[q_(l+1) | x_l] = q_l + 2·mean(relu(x_l)²), which is 2·q_l for x symmetric about 0: 2^L over L
/// blocks. The residual inits cure it: Fixup and SkipInit start every branch at exactly 0 (q stays q_0), GPT-2's
/// "scaled" divides the last kernel's variance by 2L (a factor (1 + 1/(2L))^L → √e ≈ 1.65 over the net), and a branch
/// ending in BatchNormalization adds its output's mean square mean(v/(v + ε)) ≈ 1 per block: linear, not exponential,
/// growth (De &amp; Smith 2020). The cured nets then train; the uncured deep ones overflow at the first step.
/// </summary>
/// <remarks>Every one-step statement above is an exact conditional expectation over one block's fresh weights, so the
/// residuals (measured increment − expected increment)/q_l of successive blocks are martingale differences: uncorrelated,
/// mean 0, and the standard error of their mean over blocks and nets is the plain one. No symmetry of x is assumed by
/// the check; the mean-field factor 2 (which assumes it) is what the figure draws.</remarks>
public static class ResidualDepthPractical
{
    /// <summary>The papers, as cited in reports.</summary>
    public const string Paper = "He et al. 2016, Identity Mappings in Deep Residual Networks; Zhang, Dauphin & Ma 2019, Fixup; De & Smith 2020, SkipInit; Radford et al. 2019, GPT-2 (scaled residual init)";

    /// <summary>The formulas the practical checks.</summary>
    public const string Formula = "E[q_(l+1) | x_l] = q_l + 2s·mean(relu(x_l)²) = (1 + s)·q_l for symmetric x (s = 1 none, 1/(2L) scaled, 0 fixup/skipinit); BN closing the branch: E[q_(l+1) | ·] = q_l + mean(v/(v + ε)) ≈ q_l + 1";

    /// <summary>Hidden width (the digits' 64 features: every kernel is square).</summary>
    public const int Width = 64;

    /// <summary>Rows of the probe batch the mean squares are measured on.</summary>
    public const int ProbeRows = 256;

    /// <summary>Training rows (of the digits' 1437 after holding out 360): short runs keep the practical within seconds.</summary>
    public const int TrainingRows = 720;

    /// <summary>Epochs of Adam (learning rate <see cref="LearningRate"/>, batch 32).</summary>
    public const int Epochs = 4;

    /// <summary>Adam's learning rate: Adam's per-weight step keeps the comparison about the forward signal, not the
    /// gradient's scale, which differs between the schemes by design (Fixup rescales it).</summary>
    public const double LearningRate = 1e-3;

    /// <summary>Standard errors allowed between the mean one-step residual and 0 (two-sided, about 6e-5 by chance).</summary>
    public const double StandardErrors = 4;

    /// <summary>A net "trains" when its last epoch's mean training loss is at most half the chance loss ln 10.</summary>
    public static double TrainedLoss { get; } = Math.Log(10) / 2;

    /// <summary>The depths (blocks L).</summary>
    public static IReadOnlyList<int> Depths { get; } = [10, 50, 100];

    /// <summary>The schemes: the residual init and the normalization of the branch.</summary>
    public static IReadOnlyList<(string Name, ResidualInit Init, Normalization Norm)> Schemes { get; } =
    [
        ("none", ResidualInit.None, Normalization.None),
        ("fixup", ResidualInit.Fixup, Normalization.None),
        ("skipinit", ResidualInit.SkipInit, Normalization.None),
        ("scaled", ResidualInit.Scaled, Normalization.None),
        ("batchnorm", ResidualInit.None, Normalization.Batch),
    ];

    /// <summary>Runs every scheme at every depth over the seeds: a signal check each, and a training check (quick: at the
    /// deepest net only).</summary>
    /// <param name="seeds">Weight seeds (1, 2, …).</param>
    /// <param name="quick">Train only the 100-block nets.</param>
    /// <returns>The checks.</returns>
    public static IReadOnlyList<PaperCheck> Run(int seeds, bool quick)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        (Dataset train, Tensor probe) = Data();
        var checks = new List<PaperCheck>();
        foreach (int depth in Depths)
        {
            foreach (var scheme in Schemes)
            {
                checks.Add(Signal(scheme.Name, depth, seeds, probe));
            }
        }
        foreach (int depth in quick ? [Depths[^1]] : Depths)
        {
            foreach (var scheme in Schemes)
            {
                checks.Add(Training(scheme.Name, depth, seeds, train));
            }
        }
        return checks;
    }

    /// <summary>The digits (features/16), 360 rows held out, the first <see cref="TrainingRows"/> training rows, and their
    /// first <see cref="ProbeRows"/> as the probe batch.</summary>
    /// <returns>Training set and probe batch.</returns>
    public static (Dataset Train, Tensor Probe) Data()
    {
        Dataset digits = FeatureTransforms.Apply(BuiltInData.Load("digits"), x => FeatureTransforms.DivideBy(x, 16));
        Dataset train = digits.Split(testRows: 360, seed: 0).Train.Subset([.. Enumerable.Range(0, TrainingRows)], "digits (train)");
        return (train, new Tensor(train.Features.Data[..(ProbeRows * train.FeatureCount)], ProbeRows, train.FeatureCount));
    }

    /// <summary>The net of a scheme at a depth.</summary>
    /// <param name="scheme">A name from <see cref="Schemes"/>.</param>
    /// <param name="depth">Blocks.</param>
    /// <returns>The options.</returns>
    public static ArchitectureOptions Options(string scheme, int depth)
    {
        var s = Schemes.FirstOrDefault(x => x.Name == scheme);
        if (s.Name is null)
        {
            throw new UnknownNameException("residual-depth scheme", scheme, Schemes.Select(x => x.Name), nameof(scheme));
        }
        return new ArchitectureOptions
        {
            InputDim = 64, Outputs = 10, Architecture = Architecture.ResMlp, Width = Width, Blocks = depth, BlockLayers = 2,
            Activation = "relu", KernelInitializer = "he_normal", ResidualInit = s.Init, Normalization = s.Norm,
        };
    }

    /// <summary>The mean-field mean square after each block relative to the stem's, q_l/q_0 for l = 0..L: (1 + s)^l, or
    /// 1 + l/q_0 for a branch closed by BatchNormalization (its output's mean square is 1).</summary>
    /// <param name="scheme">The scheme.</param>
    /// <param name="depth">L.</param>
    /// <param name="stemMeanSquare">q_0 (used by batchnorm only).</param>
    /// <returns>L + 1 values.</returns>
    public static double[] PredictedGrowth(string scheme, int depth, double stemMeanSquare)
    {
        double s = scheme switch { "none" => 1, "scaled" => 1.0 / (2 * depth), _ => 0 };
        return [.. Enumerable.Range(0, depth + 1).Select(l => scheme == "batchnorm" ? 1 + l / stemMeanSquare : Math.Pow(1 + s, l))];
    }

    /// <summary>One scheme at one depth: the mean square after every block on the probe batch, each block's increment
    /// against its exact conditional expectation, and the growth over the net against the mean-field factor.</summary>
    /// <param name="scheme">A name from <see cref="Schemes"/>.</param>
    /// <param name="depth">Blocks.</param>
    /// <param name="seeds">Weight seeds.</param>
    /// <param name="probe">Probe inputs.</param>
    /// <returns>The check.</returns>
    public static PaperCheck Signal(string scheme, int depth, int seeds, Tensor probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var clock = Stopwatch.StartNew();
        ArchitectureOptions options = Options(scheme, depth);
        var growth = new List<double[]>();
        var residuals = new List<double>();
        bool exact = true;
        var stems = new List<double>();
        for (ulong seed = 1; seed <= (ulong)seeds; seed++)
        {
            Sequential model = ArchitectureBuilder.Build(options, seed);
            model.Threads = 1;
            model.Forward(probe);
            double q0 = MeanSquare(model.Layers[0].Output);
            stems.Add(q0);
            var q = new List<double> { q0 };
            foreach (Residual block in model.Layers.OfType<Residual>())
            {
                double before = q[^1];
                double after = MeanSquare(block.Output);
                double expected = ExpectedIncrement(scheme, depth, block);
                residuals.Add((after - before - expected) / before);
                exact &= scheme is not ("fixup" or "skipinit") || block.Output.SequenceEqual(block.ShortcutOutput);
                q.Add(after);
            }
            growth.Add([.. q.Select(v => v / q0)]);
        }
        double[] measured = [.. Enumerable.Range(0, depth + 1).Select(l => GeometricMean(growth.Select(g => g[l])))];
        double[] predicted = PredictedGrowth(scheme, depth, stems.Average());
        double mean = residuals.Average(), error = SampleStatistics.StandardError([.. residuals]);
        bool onStep = Math.Abs(mean) <= StandardErrors * error;
        (string claim, string criterion, bool passed) = scheme switch
        {
            "none" => (Invariant($"He init, no residual init: every block about doubles the mean square (E[Var F] = Var x), 2^{depth} = {predicted[^1]:G3} over the net; measured per block ×{Math.Pow(measured[^1], 1.0 / depth):0.00}."),
                Invariant($"mean one-step residual (Δq − 2·mean(relu(x)²))/q within {StandardErrors} SE of 0 (mean {mean:G2}, SE {error:G2}, {residuals.Count} blocks), and growth ≥ 2^(L/2)"),
                onStep && measured[^1] >= Math.Pow(2, depth / 2.0)),
            "scaled" => (Invariant($"GPT-2's scaled init (last kernel variance ÷ 2L): each block adds 1/(2L) of the mean square, (1 + 1/(2L))^L = {predicted[^1]:0.00} over the net."),
                Invariant($"mean one-step residual (Δq − mean(relu(x)²)/L)/q within {StandardErrors} SE of 0 (mean {mean:G2}, SE {error:G2}), and growth ≤ 2"),
                onStep && measured[^1] <= 2),
            "batchnorm" => (Invariant($"A branch closed by BatchNormalization adds its output's mean square ≈ 1 per block: q grows linearly, q_L/q_0 = 1 + L/q_0 = {predicted[^1]:G3}, not 2^L (De & Smith 2020)."),
                Invariant($"mean one-step residual (Δq − mean(BN output²))/q within {StandardErrors} SE of 0 (mean {mean:G2}, SE {error:G2}), and growth within a factor 2 of 1 + L/q_0"),
                onStep && measured[^1] <= 2 * predicted[^1] && measured[^1] >= predicted[^1] / 2),
            _ => ($"{(scheme == "fixup" ? "Fixup (last kernel of each branch 0)" : "SkipInit (α = 0)")}: every branch starts at exactly 0, so every block passes its input through unchanged: q_L/q_0 = 1.",
                "every block's output bit-identical to its input", exact && measured[^1] == 1),
        };
        return new PaperCheck("residual-depth", $"{scheme}@{depth} signal", Paper, Formula, claim, predicted[^1], measured[^1],
            [.. growth.Select(g => g[^1])], criterion, passed, [], clock.Elapsed.TotalSeconds)
        { MeasuredTrajectory = measured, PredictedTrajectory = predicted };
    }

    /// <summary>One scheme at one depth trained for <see cref="Epochs"/> epochs of Adam: the last epoch's mean training
    /// loss. The cured nets train (≤ ½·ln 10); the uncured ones of 50 and 100 blocks overflow at once (their output's
    /// mean square is 2^L times the input's), the 10-block one is only reported.</summary>
    /// <param name="scheme">A name from <see cref="Schemes"/>.</param>
    /// <param name="depth">Blocks.</param>
    /// <param name="seeds">Weight seeds.</param>
    /// <param name="train">Training set.</param>
    /// <returns>The check.</returns>
    public static PaperCheck Training(string scheme, int depth, int seeds, Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var clock = Stopwatch.StartNew();
        var curves = new List<double[]>();
        var finals = new List<double>();
        // The seeds' nets are independent and single-threaded: trained side by side, each gives the same bits as alone.
        var trained = new double[seeds][];
        Parallel.For(0, seeds, i => trained[i] = TrainCurve(Options(scheme, depth), (ulong)i + 1, train));
        foreach (double[] curve in trained)
        {
            curves.Add(curve);
            finals.Add(curve.Length == Epochs ? curve[^1] : double.NaN);
        }
        double chance = Math.Log(10);
        bool trains = finals.All(f => f <= TrainedLoss);
        bool fails = finals.All(f => !(f <= TrainedLoss));
        double measured = finals.Any(double.IsNaN) ? double.NaN : finals.Average();
        string diverged = finals.Count(double.IsNaN) is int n && n > 0 ? Invariant($" ({n} of {seeds} diverged: the loss overflowed)") : string.Empty;
        (string claim, string criterion, bool passed) = scheme == "none"
            ? depth >= 50
                ? (Invariant($"Without a residual init the {depth}-block net's logits are 2^{depth / 2}× too large: training fails{diverged}."),
                    Invariant($"every seed diverges or ends above ½·ln 10 = {TrainedLoss:0.###}"), fails)
                : (Invariant($"Without a residual init the {depth}-block net starts 2^{depth} too loud; reported, not claimed{diverged}."), "reported only", true)
            : (Invariant($"{scheme} at {depth} blocks trains: the last epoch's training loss ≤ ½·ln 10 (chance is ln 10 = {chance:0.###}){diverged}."),
                Invariant($"every seed's last-epoch loss ≤ {TrainedLoss:0.###}"), trains);
        return new PaperCheck("residual-depth", $"{scheme}@{depth} training", Paper, Formula, claim, chance, measured, finals, criterion, passed, [],
            clock.Elapsed.TotalSeconds)
        {
            MeasuredTrajectory = [.. Enumerable.Range(0, Epochs).Select(e => curves.Where(c => c.Length > e).Select(c => c[e]).DefaultIfEmpty(double.NaN).Average())],
        };
    }

    /// <summary>The exact conditional expectation of a block's increment Δq given its input (and, for BN, its branch).</summary>
    internal static double ExpectedIncrement(string scheme, int depth, Residual block) => scheme switch
    {
        "none" => 2 * ReluMeanSquare(block.ShortcutOutput),
        "scaled" => 2.0 / (2 * depth) * ReluMeanSquare(block.ShortcutOutput),
        "batchnorm" => MeanSquare(block.BranchOutput),
        _ => 0,
    };

    private static double[] TrainCurve(ArchitectureOptions options, ulong seed, Dataset train)
    {
        Sequential model = ArchitectureBuilder.Build(options, seed);
        model.Threads = 1;
        var loss = new CategoricalCrossEntropy(sparse: true);
        model.Compile(loss, new Adam(LearningRate));
        try
        {
            History history = model.Fit(train.Features, train.TargetsFor(loss, model.OutputDim), new FitOptions { Epochs = Epochs, BatchSize = 32, ShuffleSeed = seed });
            return [.. history.Epochs.Select(e => e.Loss)];
        }
        catch (TrainingDivergedException)
        {
            return [];
        }
    }

    internal static double MeanSquare(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += (double)v * v;
        }
        return sum / values.Length;
    }

    private static double ReluMeanSquare(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            if (v > 0)
            {
                sum += (double)v * v;
            }
        }
        return sum / values.Length;
    }

    private static double GeometricMean(IEnumerable<double> values) => Math.Exp(values.Average(Math.Log));

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
