using System.Diagnostics;
using InitLab.Activations;
using InitLab.Common;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Practicals.Papers;

/// <summary>
/// Finite-width fluctuations (Hanin &amp; Rolnick 2018, "How to start training: the effect of initialization and
/// architecture"): in a ReLU net with He weights the mean of ‖a_L‖² is preserved, but its spread over nets grows with
/// β = Σ_j 1/n_j, the sum of the reciprocal widths. With Gaussian weights of variance 2/n_{j−1} the pre-activations of
/// layer j are, given a_{j−1}, independent N(0, 2‖a_{j−1}‖²/n_{j−1}), so
/// ‖a_j‖²/‖a_{j−1}‖² = (2/n_{j−1})·χ²_{K_j} with K_j ~ Bin(n_j, ½) active units, independent of a_{j−1}: the layers'
/// log-ratios are independent and Var[ln ‖a_L‖²] = Σ_j v(n_j), v(n) = Var[ln χ²_K] = E[ψ′(K/2)] + Var[ψ(K/2)] ≈ 5/n
/// (ψ the digamma function), so ≈ 5β. The second part checks the mean: weights with variance σ_w² give
/// E[‖a_j‖²/n_j] = (n_{j−1}σ_w²/2)·‖a_{j−1}‖²/n_{j−1}; a ±2σ truncated normal drawn with std √(2/n) and not divided by
/// 0.8796 has variance 0.7737·2/n, so the signal shrinks by 0.7737 per layer, 0.7737^L in all.
/// </summary>
public static class FiniteWidthPractical
{
    /// <summary>The paper, as cited in reports.</summary>
    public const string Paper = "Hanin & Rolnick 2018, How to start training: the effect of initialization and architecture";

    /// <summary>The formulas the practical checks.</summary>
    public const string Formula = "Var[ln ‖a_L‖²] = Σ_j v(n_j), v(n) = Var[ln χ²_K], K ~ Bin(n, ½) (≈ 5/n, so ≈ 5β with β = Σ_j 1/n_j); " +
        "E[‖a_L‖²/n_L] / (‖a_0‖²/n_0) = (σ_w²·n/2)^L = 0.7737^L for an uncorrected ±2σ truncated normal";

    /// <summary>Input width of every network.</summary>
    public const int InputWidth = 32;

    /// <summary>Independent networks per seed: the variance over them is the measurement, their spread its standard error.</summary>
    public const int NetsPerSeed = 200;

    /// <summary>Depth of the truncated-normal networks.</summary>
    public const int TruncationDepth = 16;

    /// <summary>Width of the truncated-normal networks.</summary>
    public const int TruncationWidth = 64;

    /// <summary>Networks per seed for the truncated-normal checks.</summary>
    public const int TruncationNetsPerSeed = 100;

    /// <summary>Inputs each truncated-normal network runs.</summary>
    public const int TruncationInputs = 8;

    /// <summary>Standard errors allowed between the measurement and the prediction.</summary>
    public const double Tolerance = 4;

    /// <summary>
    /// The architectures whose spread is measured, as hidden widths n_1..n_L ("width×depth"): constant width 32 at depth
    /// 8, 16 and 32 (β = ¼, ½, 1), width 24 at depth 12 (β = ½ again: depth alone does not set the spread), and 16 layers
    /// alternating 12 and 52 units, the same 512 neurons as 32×16 but β = 0.82.
    /// </summary>
    public static IReadOnlyList<(string Name, int[] Widths)> Architectures { get; } =
    [
        ("32×8", Constant(32, 8)),
        ("24×12", Constant(24, 12)),
        ("32×16", Constant(32, 16)),
        ("32×32", Constant(32, 32)),
        ("12/52×16", [.. Enumerable.Range(0, 16).Select(j => j % 2 == 0 ? 12 : 52)]),
    ];

    /// <summary>The constant-width architecture the alternating one is compared with (the same neurons).</summary>
    public const string SameNeuronsArchitecture = "32×16";

    /// <summary>β = Σ_j 1/n_j over the hidden widths.</summary>
    /// <param name="widths">n_1..n_L.</param>
    /// <returns>β.</returns>
    public static double Beta(IReadOnlyList<int> widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        return widths.Sum(n => 1.0 / n);
    }

    /// <summary>
    /// v(n) = Var[ln(‖a_j‖²/‖a_{j−1}‖²)] for a ReLU layer of n units with Gaussian He weights: Var[ln χ²_K] with
    /// K ~ Bin(n, ½) given K ≥ 1 (a layer with no active unit ends the signal and is left out), by the law of total variance
    /// E[ψ′(K/2)] + Var[ψ(K/2)], since ln χ²_k has mean ψ(k/2) + ln 2 and variance ψ′(k/2). Exact; ≈ 5/n for large n.
    /// </summary>
    /// <param name="width">n, 1 to 100 000.</param>
    /// <returns>v(n).</returns>
    public static double LogRatioVariance(int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 100_000);
        // ψ and ψ′ at k/2 for k = 1..n by the recurrences ψ(x+1) = ψ(x) + 1/x, ψ′(x+1) = ψ′(x) − 1/x², from
        // ψ(½) = −γ − 2 ln 2, ψ(1) = −γ, ψ′(½) = π²/2, ψ′(1) = π²/6.
        const double EulerGamma = 0.57721566490153286061;
        double digammaOdd = -EulerGamma - 2 * Math.Log(2), digammaEven = -EulerGamma;
        double trigammaOdd = Math.PI * Math.PI / 2, trigammaEven = Math.PI * Math.PI / 6;
        double lnChoose = 0, total = 0, mean = 0, meanSquare = 0, meanTrigamma = 0;
        for (int k = 1; k <= width; k++)
        {
            lnChoose += Math.Log((width - k + 1) / (double)k); // ln C(n, k)
            double p = Math.Exp(lnChoose - width * Math.Log(2));
            double x = k / 2.0;
            bool odd = k % 2 == 1;
            double digamma = odd ? digammaOdd : digammaEven, trigamma = odd ? trigammaOdd : trigammaEven;
            total += p;
            mean += p * digamma;
            meanSquare += p * digamma * digamma;
            meanTrigamma += p * trigamma;
            if (odd)
            {
                digammaOdd += 1 / x;
                trigammaOdd -= 1 / (x * x);
            }
            else
            {
                digammaEven += 1 / x;
                trigammaEven -= 1 / (x * x);
            }
        }
        mean /= total;
        return meanTrigamma / total + meanSquare / total - mean * mean;
    }

    /// <summary>Σ_j v(n_j): the predicted Var[ln ‖a_L‖²] of a ReLU net with Gaussian He weights.</summary>
    /// <param name="widths">n_1..n_L.</param>
    /// <returns>The variance.</returns>
    public static double PredictedLogVariance(IReadOnlyList<int> widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        return widths.Sum(LogRatioVariance);
    }

    /// <summary>Runs every architecture's spread check and the truncation check over the seeds.</summary>
    /// <param name="seeds">Weight seeds (1, 2, …); each adds <see cref="NetsPerSeed"/> networks per architecture.</param>
    /// <param name="quick">Unused: the practical is already short; kept for the catalog's signature.</param>
    /// <returns>The checks: one per architecture, then the uncorrected and corrected truncated normals and the per-layer factor.</returns>
    public static IReadOnlyList<PaperCheck> Run(int seeds, bool quick)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        _ = quick;
        var checks = new List<PaperCheck>();
        for (int index = 0; index < Architectures.Count; index++)
        {
            var (name, widths) = Architectures[index];
            bool alternating = widths.Distinct().Count() > 1;
            checks.Add(SpreadCheck(name, widths, seeds, alternating ? checks.Single(c => c.Variant.StartsWith(SameNeuronsArchitecture + " ", StringComparison.Ordinal)) : null, index));
        }
        checks.AddRange(TruncationChecks(seeds));
        return checks;
    }

    /// <summary>
    /// Var[ln(‖a_L‖²/‖a_0‖²)] over <paramref name="seeds"/> × <see cref="NetsPerSeed"/> ReLU nets with PyTorch's
    /// kaiming_normal (untruncated He: the formula needs Gaussian weights; other weight laws change the constant through
    /// their fourth moment), each on its own Gaussian input, against Σ_j v(n_j).
    /// </summary>
    /// <param name="name">Label of the architecture.</param>
    /// <param name="widths">Hidden widths n_1..n_L.</param>
    /// <param name="seeds">Weight seeds.</param>
    /// <param name="sameNeurons">For an alternating-width net: the constant-width net with the same neurons, whose spread
    /// it must exceed; otherwise null.</param>
    /// <param name="stream">Which nets (0 to 63): each architecture of <see cref="Run"/> draws its own, so that their
    /// measurements are independent (with one stream, 32×32's first 16 layers would be 32×16's).</param>
    /// <returns>The check; its trajectories are Var[ln ‖a_l‖²] per layer, measured and predicted.</returns>
    public static PaperCheck SpreadCheck(string name, IReadOnlyList<int> widths, int seeds, PaperCheck? sameNeurons, int stream = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stream);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stream, 63);
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        var clock = Stopwatch.StartNew();
        var model = new Sequential(InputWidth, widths.Select(n => new Dense(n, ActivationRegistry.Resolve("relu"), new Kaiming(uniform: false), useBias: false)))
        {
            Threads = 1, // one row per pass: the kernels' threads would cost more than the work (results are the same bits)
        };
        int depth = widths.Count;
        var logRatios = new List<double[]>(); // per net: ln(M_l/M_0), l = 1..L; the variance of its log is that of ln ‖a_l‖² for a fixed input
        var perSeed = new List<double>();
        int dead = 0;
        for (ulong seed = 1; seed <= (ulong)seeds; seed++)
        {
            int first = logRatios.Count;
            for (ulong net = 0; net < NetsPerSeed; net++)
            {
                double[] ratios = SignalRatios(model, (seed << 20) | ((ulong)stream << 12) | net, 1)[0];
                if (ratios[^1] == 0)
                {
                    dead++;
                    continue;
                }
                logRatios.Add([.. ratios.Select(r => Math.Log(r))]);
            }
            perSeed.Add(SampleStatistics.SampleVariance([.. logRatios.Skip(first).Select(r => r[^1])]));
        }
        double[] last = [.. logRatios.Select(r => r[^1])];
        double measured = SampleStatistics.SampleVariance(last);
        double standardError = SampleStatistics.SampleVarianceStandardError(last);
        double predicted = PredictedLogVariance(widths);
        double beta = Beta(widths);
        double[] measuredTrajectory = [.. Enumerable.Range(0, depth).Select(l => SampleStatistics.SampleVariance([.. logRatios.Select(r => r[l])]))];
        double[] predictedTrajectory = [.. Enumerable.Range(1, depth).Select(l => PredictedLogVariance([.. widths.Take(l)]))];
        bool agrees = Math.Abs(measured - predicted) <= Tolerance * standardError;
        string deadNote = dead == 0 ? "" : FormattableString.Invariant($" ({dead} of {dead + logRatios.Count} nets had a layer with no active unit and are left out, as in v(n).)");
        if (sameNeurons is null)
        {
            return new PaperCheck("finite-width", FormattableString.Invariant($"{name} β={beta:0.###}"), Paper, Formula,
                FormattableString.Invariant($"He init keeps E[‖a_L‖²] but not its spread: Var[ln ‖a_L‖²] = Σ v(n_j) = {predicted:0.###} ≈ 5β = {5 * beta:0.###} for {depth} layers of width {widths[0]}.{deadNote}"),
                predicted, measured, perSeed, FormattableString.Invariant($"|measured − Σ v(n_j)| ≤ {Tolerance} SE (SE {standardError:0.###})"),
                agrees, last, clock.Elapsed.TotalSeconds)
            { MeasuredTrajectory = measuredTrajectory, PredictedTrajectory = predictedTrajectory };
        }
        int neurons = widths.Sum();
        bool larger = measured > sameNeurons.Measured;
        return new PaperCheck("finite-width", FormattableString.Invariant($"{name} β={beta:0.###}"), Paper, Formula,
            FormattableString.Invariant($"The same {neurons} neurons in alternating widths fluctuate more than at constant width: Σ 1/n_j = {beta:0.###} vs {Beta(Constant(neurons / depth, depth)):0.###}, so Var[ln ‖a_L‖²] = {predicted:0.###} vs {sameNeurons.Predicted:0.###} (measured at constant width: {sameNeurons.Measured:0.###}).{deadNote}"),
            predicted, measured, perSeed, FormattableString.Invariant($"|measured − Σ v(n_j)| ≤ {Tolerance} SE (SE {standardError:0.###}) and above the constant-width net's"),
            agrees && larger, last, clock.Elapsed.TotalSeconds)
        { MeasuredTrajectory = measuredTrajectory, PredictedTrajectory = predictedTrajectory };
    }

    /// <summary>
    /// The mean signal M_l/M_0 (M = ‖a‖²/width) per layer in <see cref="TruncationDepth"/> ReLU layers of width
    /// <see cref="TruncationWidth"/>: Keras-style <c>truncated_normal(stddev = √(2/n))</c>, which does not correct the
    /// std (variance 0.7737·2/n), against <c>he_normal</c>, which does; and the uncorrected per-layer factor itself.
    /// Each net runs <see cref="TruncationInputs"/> inputs; its value is the mean over them (still an unbiased sample of
    /// the expectation, and less spread than one input), the nets are the independent samples.
    /// </summary>
    /// <param name="seeds">Weight seeds.</param>
    /// <returns>Three checks: uncorrected E[M_L/M_0] vs 0.7737^L, uncorrected per-layer factor vs 0.7737, corrected vs 1.</returns>
    public static IReadOnlyList<PaperCheck> TruncationChecks(int seeds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        var checks = new List<PaperCheck>();
        foreach (bool corrected in new[] { false, true })
        {
            var clock = Stopwatch.StartNew();
            IInitializer kernel = corrected ? VarianceScaling.HeNormal() : new TruncatedNormal(0, Math.Sqrt(2.0 / TruncationWidth));
            var model = new Sequential(TruncationWidth, Enumerable.Range(0, TruncationDepth).Select(_ =>
                new Dense(TruncationWidth, ActivationRegistry.Resolve("relu"), kernel, useBias: false)))
            { Threads = 1 };
            var signal = new List<double[]>(); // per net: mean over its inputs of M_l/M_0, l = 1..L
            var factors = new List<double>(); // per net: mean over its inputs and layers of M_l/M_{l−1}
            for (ulong seed = 1; seed <= (ulong)seeds; seed++)
            {
                for (ulong net = 0; net < TruncationNetsPerSeed; net++)
                {
                    // A dead input (probability ≈ L·2⁻⁶⁴) counts with M = 0 in the mean, as in the formula; it has no ratio.
                    double[][] rows = SignalRatios(model, (seed << 20) | (1UL << 19) | net, TruncationInputs);
                    signal.Add([.. Enumerable.Range(0, TruncationDepth).Select(l => rows.Average(r => r[l]))]);
                    factors.Add(rows.Where(r => r[^1] > 0).SelectMany(r => r.Select((m, l) => m / (l == 0 ? 1 : r[l - 1]))).Average());
                }
            }
            double factor = corrected ? 1 : Truncation.VarianceFactor;
            double predicted = Math.Pow(factor, TruncationDepth);
            double[] final = [.. signal.Select(s => s[^1])];
            double measured = final.Average();
            double standardError = SampleStatistics.StandardError(final);
            string variant = corrected ? "he_normal (corrected)" : "truncated_normal σ=√(2/n) (uncorrected)";
            checks.Add(new PaperCheck("finite-width", variant, Paper, Formula,
                corrected
                    ? FormattableString.Invariant($"he_normal divides the truncated normal's std by 0.8796, so the variance is exactly 2/n and the mean signal is kept: E[M_{TruncationDepth}/M_0] = 1.")
                    : FormattableString.Invariant($"A ±2σ truncated normal with the nominal std √(2/n) has variance 0.7737·2/n: the mean signal shrinks by 0.7737 per layer, 0.7737^{TruncationDepth} = {predicted:0.####} after {TruncationDepth} layers."),
                predicted, measured, PerSeedMeans(final), FormattableString.Invariant($"|measured − prediction| ≤ {Tolerance} SE (SE {standardError:G3})"),
                Math.Abs(measured - predicted) <= Tolerance * standardError, [], clock.Elapsed.TotalSeconds)
            {
                MeasuredTrajectory = [.. Enumerable.Range(0, TruncationDepth).Select(l => signal.Average(s => s[l]))],
                PredictedTrajectory = [.. Enumerable.Range(1, TruncationDepth).Select(l => Math.Pow(factor, l))],
            });
            if (!corrected)
            {
                // E[M_l/M_{l−1} | a_{l−1}] = n·σ_w²/2 exactly for any symmetric weight law (z is symmetric, so E[relu(z)²] =
                // E[z²]/2); each net's mean over its inputs and layers is one sample, and the nets are independent.
                double rate = factors.Average(), rateError = SampleStatistics.StandardError([.. factors]);
                checks.Add(new PaperCheck("finite-width", "truncated_normal per-layer factor", Paper, Formula,
                    "Each layer multiplies the mean signal by n·σ_w²/2 = 0.7737, the variance of a unit normal truncated at ±2 (without the 0.8796 correction).",
                    Truncation.VarianceFactor, rate, PerSeedMeans(factors),
                    FormattableString.Invariant($"|measured − 0.7737| ≤ {Tolerance} SE (SE {rateError:G3})"),
                    Math.Abs(rate - Truncation.VarianceFactor) <= Tolerance * rateError, [], clock.Elapsed.TotalSeconds));
            }
        }
        return checks;
    }

    /// <summary>Per seed, the mean of its <see cref="TruncationNetsPerSeed"/> nets' values.</summary>
    private static List<double> PerSeedMeans(IEnumerable<double> perNet) => [.. perNet.Chunk(TruncationNetsPerSeed).Select(c => c.Average())];

    /// <summary>
    /// M_l/M_0 for l = 1..L (M = ‖a‖²/width, so unequal widths compare; 0 once the signal died) of one freshly drawn net,
    /// on <paramref name="inputs"/> Gaussian inputs drawn from the seed's own stream, one row per input.
    /// </summary>
    private static double[][] SignalRatios(Sequential model, ulong seed, int inputs)
    {
        model.Initialize(seed);
        var rng = new Rng(seed).Fork(1_000_000); // the inputs' own stream, apart from the layers' streams 0..L−1
        int width = model.InputDim;
        var x = new float[inputs * width];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)rng.NextNormal();
        }
        model.Forward(new Tensor(x, inputs, width));
        var ratios = new double[inputs][];
        for (int row = 0; row < inputs; row++)
        {
            double inputMean = SampleStatistics.MeanSquare(x.AsSpan(row * width, width));
            ratios[row] = [.. model.DenseLayers.Select(layer => SampleStatistics.MeanSquare(layer.Output.Slice(row * layer.Units, layer.Units)) / inputMean)];
        }
        return ratios;
    }

    private static int[] Constant(int width, int depth) => [.. Enumerable.Repeat(width, depth)];
}
