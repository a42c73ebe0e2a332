using System.Diagnostics;
using InitLab.Architectures;
using InitLab.Data;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Training;

namespace InitLab.Practicals.Papers;

/// <summary>
/// μTransfer (Yang et al. 2021, Tensor Programs V; the microsoft/mup MLP demonstration; issue 21): ReLU MLPs with two
/// hidden layers on the digits, widths 64 to 1024, trained briefly with Adam at learning rates 2^k. Under the standard
/// parametrization Adam moves every weight by about the learning rate η, so a hidden or output layer's output moves by
/// about η·width (its fan_in terms add up coherently): the largest rate that stays stable — and after a short training the
/// best rate sits just below it — falls as 1/width, log2(width/64) grid steps from width 64. μP gives those layers the rate
/// η/m (m = width/64, <see cref="Parametrizations.LearningRateScale"/>) and the output layer the init variance ∝ 1/m², so
/// every layer's output moves by about η at every width and the best rate stays put.
/// </summary>
/// <remarks>Why short training: after many epochs the training loss nearly vanishes for a wide band of rates and the
/// optimum is set by stability alone (the PyTorch measurement: SP moved 1 octave over 64 → 1024 after 10 epochs,
/// 6 octaves over 64 → 4096 after 2). The practical trains one epoch of 32 steps and scores a rate by that epoch's mean
/// training loss (what Keras reports), which counts the loss of the early steps where a too-large rate blows the logits
/// up. Scored instead by the loss on the training rows after the epoch, SP's best rate moved only 1 octave over
/// 64 → 1024 in our runs (Adam recovers from the blow-up on these easy data): the curves' left flank shifted by
/// ≈ 4 octaves, the minimum hardly.</remarks>
public static class MupTransferPractical
{
    /// <summary>The papers, as cited in reports.</summary>
    public const string Paper = "Yang et al. 2021, Tensor Programs V: Tuning Large Neural Networks via Zero-Shot Hyperparameter Transfer (μP, microsoft/mup)";

    /// <summary>The formulas the practical checks.</summary>
    public const string Formula = "Adam moves each weight by ≈ η: a width-n layer's output moves by ≈ η·n under SP, so the best η ∝ 1/n (shift log2(n/64) octaves); μP: hidden and output rates η/m, output init variance ∝ 1/m² (m = n/64) → moves ≈ η at every width, best η independent of n";

    /// <summary>The base width (μP equals SP there).</summary>
    public const int BaseWidth = 64;

    /// <summary>Hidden layers.</summary>
    public const int Depth = 2;

    /// <summary>Epochs of Adam (batch 32, 32 steps): short, so the best rate is the fastest stable one.</summary>
    public const int Epochs = 1;

    /// <summary>Training rows (of the digits' 1437 after holding out 360).</summary>
    public const int TrainingRows = 1024;

    /// <summary>The learning-rate grid's exponents: η = 2^k.</summary>
    public static IReadOnlyList<int> RateExponents { get; } = [.. Enumerable.Range(-13, 11)];

    /// <summary>The widths of the full run.</summary>
    public static IReadOnlyList<int> Widths { get; } = [64, 128, 256, 512, 1024];

    /// <summary>The widths of the quick run.</summary>
    public static IReadOnlyList<int> QuickWidths { get; } = [64, 256, 1024];

    /// <summary>Sweeps the rate grid at every width under SP and μP over the seeds: per width a check of where the best
    /// rate sits (the loss curve kept for the figure), and per parametrization the shift from width 64 to the widest.</summary>
    /// <param name="seeds">Weight seeds (1, 2, …).</param>
    /// <param name="quick">Widths 64, 256, 1024 only.</param>
    /// <returns>The checks.</returns>
    public static IReadOnlyList<PaperCheck> Run(int seeds, bool quick)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        Dataset train = Data();
        IReadOnlyList<int> widths = quick ? QuickWidths : Widths;
        var checks = new List<PaperCheck>();
        double[][]? atBase = null;
        foreach (Parametrization p in new[] { Parametrization.Standard, Parametrization.MuP })
        {
            var clock = Stopwatch.StartNew();
            // μP is SP at the base width, bit for bit (a test holds it): width 64 is trained once.
            var sweeps = widths.Select(w => w == BaseWidth && atBase is not null ? atBase : Sweep(p, w, seeds, train)).ToList();
            atBase ??= sweeps[widths.ToList().IndexOf(BaseWidth)];
            checks.AddRange(Checks(p, widths, sweeps, clock.Elapsed.TotalSeconds));
        }
        return checks;
    }

    /// <summary>The checks of one parametrization from its sweeps ([width][seed][rate], widths[0] = 64).</summary>
    /// <param name="parametrization">SP or μP.</param>
    /// <param name="widths">The widths, the base width first.</param>
    /// <param name="sweeps">The losses.</param>
    /// <param name="seconds">Wall time of the sweeps.</param>
    /// <returns>One check per width and the shift check.</returns>
    public static IReadOnlyList<PaperCheck> Checks(Parametrization parametrization, IReadOnlyList<int> widths, IReadOnlyList<double[][]> sweeps, double seconds)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(sweeps);
        string name = Parametrizations.Name(parametrization);
        bool sp = parametrization == Parametrization.Standard;
        int seeds = sweeps[0].Length;
        double[] MeanCurve(double[][] sweep) => [.. Enumerable.Range(0, RateExponents.Count).Select(k => sweep.Average(s => s[k]))];
        int[] best = [.. sweeps.Select(s => BestExponent(MeanCurve(s)))];
        int[][] bestPerSeed = [.. sweeps.Select(s => s.Select(BestExponent).ToArray())];
        var checks = new List<PaperCheck>();
        for (int i = 0; i < widths.Count; i++)
        {
            double predicted = best[0] + PredictedShift(parametrization, widths[i]);
            (string claim, string criterion, bool passed) = (i, sp) switch
            {
                (0, _) => (Invariant($"Width {BaseWidth}, the base width (μP = SP here): best rate 2^{best[0]} after {Epochs} epoch of Adam."), "reference", true),
                (_, true) => (Invariant($"SP at width {widths[i]}: the best rate falls as 1/width, to 2^{predicted:0.#} (measured 2^{best[i]})."),
                    Invariant($"best rate (seed mean) no higher than at width {widths[i - 1]} (2^{best[i - 1]})"), best[i] <= best[i - 1]),
                _ => (Invariant($"μP at width {widths[i]}: the best rate stays at width {BaseWidth}'s, 2^{best[0]} (measured 2^{best[i]})."),
                    Invariant($"best rate (seed mean) within 1 grid step of width {BaseWidth}'s"), Math.Abs(best[i] - best[0]) <= 1),
            };
            checks.Add(new PaperCheck("mup-transfer", Invariant($"{name}@{widths[i]}"), Paper, Formula, claim, predicted, best[i],
                [.. bestPerSeed[i].Select(k => (double)k)], criterion, passed, [], i == 0 ? seconds : 0)
            { MeasuredTrajectory = MeanCurve(sweeps[i]) });
        }
        int widest = widths[^1];
        double shift = PredictedShift(parametrization, widest);
        int[] shifts = [.. Enumerable.Range(0, seeds).Select(s => bestPerSeed[^1][s] - bestPerSeed[0][s])];
        (string transferClaim, string transferCriterion, bool transfers) = sp
            ? (Invariant($"Under SP the best rate moves with the width: {shift:0.#} octaves from {BaseWidth} to {widest} (η ∝ 1/width); measured {best[^1] - best[0]} (2^{best[0]} → 2^{best[^1]})."),
                Invariant($"every seed's best rate moves down by at least half the predicted octaves ({-shift / 2:0.#} grid steps)"), shifts.All(d => d <= shift / 2))
            : (Invariant($"Under μP the best rate stays put from {BaseWidth} to {widest}: predicted shift 0, measured {best[^1] - best[0]} (2^{best[0]} → 2^{best[^1]})."),
                "every seed's best rate within 1 grid step of its width-64 best", shifts.All(d => Math.Abs(d) <= 1));
        checks.Add(new PaperCheck("mup-transfer", Invariant($"{name} shift {BaseWidth}→{widest}"), Paper, Formula, transferClaim, shift, best[^1] - best[0],
            [.. shifts.Select(d => (double)d)], transferCriterion, transfers, [], 0));
        return checks;
    }

    /// <summary>The digits (features/16), 360 rows held out, the first <see cref="TrainingRows"/> training rows.</summary>
    /// <returns>The training set.</returns>
    public static Dataset Data()
    {
        Dataset digits = FeatureTransforms.Apply(BuiltInData.Load("digits"), x => FeatureTransforms.DivideBy(x, 16));
        return digits.Split(testRows: 360, seed: 0).Train.Subset([.. Enumerable.Range(0, TrainingRows)], "digits (train)");
    }

    /// <summary>The net at a width under a parametrization (he_normal hidden, glorot_uniform output, base width 64).</summary>
    /// <param name="parametrization">SP or μP.</param>
    /// <param name="width">Hidden width.</param>
    /// <returns>The options.</returns>
    public static ArchitectureOptions Options(Parametrization parametrization, int width) => new()
    {
        InputDim = 64, Outputs = 10, Architecture = Architecture.Mlp, Width = width, Depth = Depth, Activation = "relu",
        KernelInitializer = "he_normal", Parametrization = parametrization, BaseWidth = BaseWidth,
    };

    /// <summary>The mean training loss of the last of <see cref="Epochs"/> epochs of Adam at rate <paramref name="learningRate"/>
    /// (batch 32, μP's per-layer rates applied); +∞ when training diverged.</summary>
    /// <param name="options">The net.</param>
    /// <param name="learningRate">Adam's η.</param>
    /// <param name="seed">Weight and shuffle seed.</param>
    /// <param name="train">Training rows.</param>
    /// <returns>The loss.</returns>
    public static double TrainingLoss(ArchitectureOptions options, double learningRate, ulong seed, Dataset train)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        Sequential model = ArchitectureBuilder.Build(options, seed);
        model.Threads = 1;
        var loss = new CategoricalCrossEntropy(sparse: true);
        model.Compile(loss, new Adam(learningRate));
        Parametrizations.ApplyLearningRates(model, options, model.Optimizer!);
        var targets = train.TargetsFor(loss, model.OutputDim);
        try
        {
            History history = model.Fit(train.Features, targets, new FitOptions { Epochs = Epochs, BatchSize = 32, ShuffleSeed = seed });
            double value = history.Epochs[^1].Loss;
            return double.IsFinite(value) ? value : double.PositiveInfinity;
        }
        catch (TrainingDivergedException)
        {
            return double.PositiveInfinity;
        }
    }

    /// <summary>The training loss at every rate of the grid, per seed: [seed][rate].</summary>
    /// <param name="parametrization">SP or μP.</param>
    /// <param name="width">Hidden width.</param>
    /// <param name="seeds">Weight seeds (1, 2, …).</param>
    /// <param name="train">Training rows.</param>
    /// <returns>The losses.</returns>
    public static double[][] Sweep(Parametrization parametrization, int width, int seeds, Dataset train)
    {
        ArchitectureOptions options = Options(parametrization, width);
        var losses = new double[seeds][];
        for (int s = 0; s < seeds; s++)
        {
            losses[s] = new double[RateExponents.Count];
        }
        // Independent single-threaded nets: trained side by side, each gives the same bits as alone.
        Parallel.For(0, seeds * RateExponents.Count, i =>
        {
            int s = i / RateExponents.Count, k = i % RateExponents.Count;
            losses[s][k] = TrainingLoss(options, Math.Pow(2, RateExponents[k]), (ulong)s + 1, train);
        });
        return losses;
    }

    /// <summary>The exponent k of the grid rate 2^k with the lowest loss (a diverged run counts as +∞; ties: the smaller rate).</summary>
    /// <param name="losses">Loss per grid rate.</param>
    /// <returns>k.</returns>
    public static int BestExponent(IReadOnlyList<double> losses)
    {
        ArgumentNullException.ThrowIfNull(losses);
        int best = 0;
        for (int k = 1; k < losses.Count; k++)
        {
            if (losses[k] < losses[best])
            {
                best = k;
            }
        }
        return RateExponents[best];
    }

    /// <summary>The predicted shift of the best rate's exponent from the base width to <paramref name="width"/>: −log2(m)
    /// under SP (best η ∝ 1/width), 0 under μP.</summary>
    /// <param name="parametrization">SP or μP.</param>
    /// <param name="width">Hidden width.</param>
    /// <returns>Octaves (grid steps).</returns>
    public static double PredictedShift(Parametrization parametrization, int width) =>
        parametrization == Parametrization.Standard ? -Math.Log2(width / (double)BaseWidth) : 0;

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
