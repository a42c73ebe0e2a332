using System.Diagnostics;
using InitLab.Activations;
using InitLab.Common;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Theory;
using InitLab.Training;

namespace InitLab.Practicals.Papers;

/// <summary>
/// The order-to-chaos transition (Poole et al. 2016; Schoenholz et al. 2017, "Deep information propagation"): in a wide
/// tanh net with σ_b² = 0.05 the length q and the correlation c of two inputs' pre-activations follow the mean-field maps
/// q′ = σ_w²·E[φ(√q z)²] + σ_b² and c′ = (σ_w²·E[φ(u₁)φ(u₂)] + σ_b²)/q′ layer by layer; below the critical σ_w² (≈ 1.76)
/// correlations go to 1 (ordered), above it to c* &lt; 1 (chaotic), and |c_l − c*| decays like e^(−l/ξ_c) with
/// ξ_c = −1/ln χ_c, which diverges at criticality.
/// </summary>
/// <remarks>
/// <para>What is measured is each layer's kernel: K^l = σ_w²·a^(l−1)·a^(l−1)ᵀ/n + σ_b² for the two inputs' activations
/// a^(l−1) of the layer below (the inputs x for the first layer), q^l = (K₁₁ + K₂₂)/2 and c^l = K₁₂/√(K₁₁K₂₂). Given
/// K^l, a layer with Gaussian weights N(0, σ_w²/n) and biases N(0, σ_b²) makes its n units' pre-activation pairs
/// independent draws of N(0, K^l), so K^(l+1) is a mean of n independent terms whose expectation is exactly the
/// mean-field map of K^l. The q and c checks therefore compare each layer's measured kernel with the map applied to the
/// measured kernel of the layer below (no compounding of errors over depth) in standard errors computed from the spread
/// of those n terms: no allowance for the finite width is needed.</para>
/// <para>The depth scale is fitted to the mean trajectory as c_l = c∞ + A·e^(−l/ξ) with c∞ free (a width-n net's
/// limiting correlation sits O(1/n) away from c*), its standard error by the jackknife over the independent nets, and
/// compared with the same fit of the mean-field trajectory from the same inputs.</para>
/// </remarks>
public static class EdgeOfChaosPractical
{
    /// <summary>The papers, as cited in reports.</summary>
    public const string Paper = "Poole et al. 2016, Exponential expressivity in deep neural networks through transient chaos; Schoenholz et al. 2017, Deep information propagation";

    /// <summary>The formulas the practical checks.</summary>
    public const string Formula = "q′ = σ_w²·E[φ(√q z)²] + σ_b²; c′ = (σ_w²·E[φ(u₁)φ(u₂)] + σ_b²)/q′; |c_l − c*| ∝ e^(−l/ξ_c), ξ_c = −1/ln χ_c";

    /// <summary>σ_b².</summary>
    public const double BiasVariance = 0.05;

    /// <summary>Layers.</summary>
    public const int Depth = 30;

    /// <summary>Correlation of the two inputs.</summary>
    public const double InputCorrelation = 0.5;

    /// <summary>Independent nets per seed: the jackknife over them gives the depth scale's standard error.</summary>
    public const int NetsPerSeed = 8;

    /// <summary>The depth-scale fit stops where the mean pair difference falls to this many standard errors: there ln δ
    /// is still within ±0.3 of ln of its expectation (1/4 relative error) at one standard error of noise.</summary>
    public const double NoiseFloorErrors = 4;

    /// <summary>
    /// How closely the same fit of the mean-field trajectory must reproduce ξ_c = −1/ln χ_c: the pair starts within 0.05
    /// of c* at the length q*, where the map is linear to ≲ 1 % over the fitted layers (fits: 5.90 vs 5.94 ordered,
    /// 9.02 vs 9.05 chaotic); a wrong χ_c or fixed point is off by far more.
    /// </summary>
    public const double MapFitAgreement = 0.03;

    /// <summary>Input pairs per net for the depth scale.</summary>
    public const int PairsPerNet = 16;

    /// <summary>
    /// Standard errors allowed in the one-step checks: P(|Z| &gt; 4.5) = 6.8e-6 for a normal Z, so the 3 phases × 2 maps ×
    /// 30 layers = 180 comparisons raise a false alarm with probability ≤ 1.2e-3 (Bonferroni).
    /// </summary>
    public const double OneStepStandardErrors = 4.5;

    /// <summary>
    /// Jackknife standard errors allowed for the fitted depth scale: ≈ the 99.9 % two-sided Student-t quantile for the 7
    /// degrees of freedom of 8 nets (5.41) — the smallest run; more nets only make the criterion stricter in effect.
    /// </summary>
    public const double DepthScaleStandardErrors = 5.4;

    /// <summary>Width (quick: 300).</summary>
    /// <param name="quick">Quick mode.</param>
    /// <returns>Units per layer.</returns>
    public static int Width(bool quick) => quick ? 300 : 400;

    /// <summary>The three σ_w²: ordered (1.2), critical (from the mean-field root), chaotic (3).</summary>
    /// <returns>(label, σ_w²).</returns>
    public static IReadOnlyList<(string Phase, double WeightVariance)> Phases()
    {
        double critical = MeanField.CriticalWeightVariance(ActivationRegistry.Resolve("tanh"), BiasVariance);
        return [("ordered", 1.2), ("critical", critical), ("chaotic", 3.0)];
    }

    /// <summary>Runs the three phases over the seeds: per phase a q check, a c check and a depth-scale check.</summary>
    /// <param name="seeds">Weight seeds.</param>
    /// <param name="quick">Narrower nets.</param>
    /// <returns>The checks.</returns>
    public static IReadOnlyList<PaperCheck> Run(int seeds, bool quick)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        var checks = new List<PaperCheck>();
        foreach (var (phase, weightVariance) in Phases())
        {
            checks.AddRange(Check(phase, weightVariance, Width(quick), seeds));
        }
        return checks;
    }

    /// <summary>One phase: the measured kernels layer by layer against the maps, and the fitted depth scale.</summary>
    /// <param name="phase">Label.</param>
    /// <param name="weightVariance">σ_w².</param>
    /// <param name="width">Units per layer.</param>
    /// <param name="seeds">Weight seeds.</param>
    /// <returns>Three checks: q, c, ξ_c.</returns>
    public static IReadOnlyList<PaperCheck> Check(string phase, double weightVariance, int width, int seeds) =>
        Check(phase, weightVariance, weightVariance, width, seeds);

    /// <summary>The same with the nets drawn at <paramref name="actualWeightVariance"/> while the theory assumes
    /// <paramref name="weightVariance"/>: the tests' way to show the checks can fail.</summary>
    internal static IReadOnlyList<PaperCheck> Check(string phase, double weightVariance, double actualWeightVariance, int width, int seeds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        var clock = Stopwatch.StartNew();
        var theory = new MeanField(ActivationRegistry.Resolve("tanh"), weightVariance, BiasVariance);
        int nets = seeds * NetsPerSeed;
        double fixedPoint = theory.CorrelationFixedPoint();
        // The depth-scale pair: first-layer correlations c* ± 0.05 (0.90 and 0.95 where c* = 1), where the map is linear.
        (double, double) pair = fixedPoint < 1 ? (fixedPoint - 0.05, fixedPoint + 0.05) : (0.90, 0.95);
        double fixedLength = theory.LengthFixedPoint();
        pair = (InputCorrelationFor(pair.Item1, fixedLength), InputCorrelationFor(pair.Item2, fixedLength));
        var traces = new List<NetTrace>();
        for (ulong net = 1; net <= (ulong)nets; net++)
        {
            traces.Add(Measure(theory, actualWeightVariance, width, net, pair));
        }
        int points = Depth + 1;
        double[] lengths = [.. Enumerable.Range(0, points).Select(l => traces.Average(t => t.Lengths[l]))];
        double[] correlations = [.. Enumerable.Range(0, points).Select(l => traces.Average(t => t.Correlations[l]))];
        List<double> lastLengths = [.. traces.Chunk(NetsPerSeed).Select(g => g.Average(t => t.Lengths[^1]))];
        List<double> lastCorrelations = [.. traces.Chunk(NetsPerSeed).Select(g => g.Average(t => t.Correlations[^1]))];

        // One step: z_l = Σ_nets residual_l / √(Σ_nets SE_l²), each residual a mean of n independent terms.
        double[] lengthScores = [.. Enumerable.Range(0, Depth).Select(l => Score(traces, t => t.LengthSteps[l]))];
        double[] correlationScores = [.. Enumerable.Range(0, Depth).Select(l => Score(traces, t => t.CorrelationSteps[l]))];
        double worstLength = lengthScores.Max(Math.Abs), worstCorrelation = correlationScores.Max(Math.Abs);

        // The maps iterated from the mean input kernel, to draw beside the measured trajectory.
        var predictedLength = new double[points];
        var predictedCorrelation = new double[points];
        predictedLength[0] = lengths[0];
        predictedCorrelation[0] = correlations[0];
        for (int l = 1; l < points; l++)
        {
            predictedLength[l] = theory.LengthMap(predictedLength[l - 1]);
            predictedCorrelation[l] = theory.CorrelationMap(predictedCorrelation[l - 1], predictedLength[l - 1]);
        }

        double xi = theory.CorrelationDepthScale;
        // The fit runs over the layers before the mean difference first falls to NoiseFloorErrors standard errors (its
        // spread over the nets): below that the logarithm measures the noise, not the decay.
        double[] differences = MeanTrajectory(traces, -1);
        int fitted = 0;
        while (fitted < points && differences[fitted] > NoiseFloorErrors * SampleStatistics.StandardError([.. traces.Select(t => t.PairDifferences[fitted])]))
        {
            fitted++;
        }
        double measuredXi = fitted >= 3 ? DepthScaleFit.Fit(differences[..fitted]) : double.NaN;
        double mapXi = DepthScaleFit.Fit(MapPairDifferences(theory, fixedLength, traces.Average(t => t.PairStart.First), traces.Average(t => t.PairStart.Second))[..Math.Max(fitted, 3)]);
        double xiError = fitted >= 3 ? JackknifeError(traces, fitted, xi => xi) : double.PositiveInfinity;
        double rateError = fitted >= 3 ? JackknifeError(traces, fitted, xi => 1 / xi) : double.PositiveInfinity;
        double seconds = clock.Elapsed.TotalSeconds / 3;
        string variant = FormattableString.Invariant($"{phase} σ_w²={weightVariance:0.###}");
        string stepCriterion = FormattableString.Invariant(
            $"every layer, one step: |measured − map(measured layer below)| ≤ {OneStepStandardErrors} SE (SE from the n units' spread, over {nets} nets)");
        var qCheck = new PaperCheck("edge-of-chaos", variant + " q", Paper, Formula,
            FormattableString.Invariant($"The length map predicts q_l layer by layer (largest deviation {worstLength:0.0} SE); q_{points} = {predictedLength[^1]:G3} (q* = {theory.LengthFixedPoint():G3})."),
            predictedLength[^1], lengths[^1], lastLengths, stepCriterion, worstLength <= OneStepStandardErrors, [], seconds)
        { MeasuredTrajectory = lengths, PredictedTrajectory = predictedLength };
        string cClaim = phase switch
        {
            "ordered" => "Ordered phase (χ₁ < 1): the two inputs' correlation goes to c* = 1.",
            "chaotic" => FormattableString.Invariant($"Chaotic phase (χ₁ > 1): the correlation goes to c* = {fixedPoint:G3} < 1: similar inputs decorrelate."),
            _ => "At criticality (χ₁ = 1) the correlation approaches 1 slowly, without an exponential rate.",
        };
        var cCheck = new PaperCheck("edge-of-chaos", variant + " c", Paper, Formula,
            FormattableString.Invariant($"{cClaim} The correlation map predicts c_l layer by layer (largest deviation {worstCorrelation:0.0} SE)."),
            predictedCorrelation[^1], correlations[^1], lastCorrelations, stepCriterion, worstCorrelation <= OneStepStandardErrors, [], seconds)
        { MeasuredTrajectory = correlations, PredictedTrajectory = predictedCorrelation };
        bool critical = phase == "critical";
        var xiCheck = critical
            ? CriticalDepthScaleCheck(variant, measuredXi, rateError, fitted, nets, seconds)
            : new PaperCheck("edge-of-chaos", variant + " ξ_c", Paper, Formula,
                FormattableString.Invariant($"|c_l − c*| decays like e^(−l/ξ_c) with ξ_c = −1/ln χ_c = {xi:G3} layers; measured {measuredXi:G3} ± {xiError:G2} over layers 1–{fitted} (the same fit of the map's trajectory: {mapXi:G3})."),
                xi, measuredXi, [],
                FormattableString.Invariant($"|fitted ξ − the map's fitted ξ| ≤ {DepthScaleStandardErrors} SE (jackknife over {nets} nets), and the map's fitted ξ within {MapFitAgreement:P0} of ξ_c"),
                Math.Abs(measuredXi - mapXi) <= DepthScaleStandardErrors * xiError && Math.Abs(mapXi - xi) <= MapFitAgreement * xi, [], seconds);
        return [qCheck, cCheck, xiCheck];
    }

    /// <summary>
    /// The mean-field map of a kernel (Poole et al. eqs. 3 and 5, with the two inputs' lengths allowed to differ, as a
    /// finite layer's are): K′₁₁ = σ_w²·E[φ(u₁)²] + σ_b², K′₂₂ likewise, K′₁₂ = σ_w²·E[φ(u₁)φ(u₂)] + σ_b², where
    /// (u₁, u₂) ~ N(0, K).
    /// </summary>
    /// <param name="theory">φ, σ_w², σ_b².</param>
    /// <param name="length1">K₁₁.</param>
    /// <param name="length2">K₂₂.</param>
    /// <param name="covariance">K₁₂.</param>
    /// <returns>The next layer's kernel.</returns>
    internal static (double Length1, double Length2, double Covariance) KernelMap(MeanField theory, double length1, double length2, double covariance)
    {
        double root1 = Math.Sqrt(length1), root2 = Math.Sqrt(length2);
        double correlation = Math.Clamp(covariance / (root1 * root2), -1, 1);
        Activation phi = theory.Activation;
        double product = GaussianExpectation.Bivariate((z1, z2) => phi.Apply(root1 * z1) * phi.Apply(root2 * z2), correlation);
        return (theory.LengthMap(length1), theory.LengthMap(length2), theory.WeightVariance * product + theory.BiasVariance);
    }

    /// <summary>The input correlation ρ whose first-layer kernel correlation (σ_w²·s²·ρ + σ_b²)/q* is
    /// <paramref name="correlation"/> for inputs scaled to σ_w²·s² + σ_b² = q* (<see cref="PairScale"/>).</summary>
    private static double InputCorrelationFor(double correlation, double fixedLength) =>
        (correlation * fixedLength - BiasVariance) / (fixedLength - BiasVariance);

    /// <summary>The scale s of the depth-scale pairs' inputs that puts their first layer at the length fixed point,
    /// σ_w²·s² + σ_b² = q*, so the difference decays at the fixed point's rate χ_c from the first layer on.</summary>
    private static double PairScale(MeanField theory) => Math.Sqrt((theory.LengthFixedPoint() - BiasVariance) / theory.WeightVariance);

    /// <summary>The pair difference the maps predict: both correlations iterated from their first-layer values.</summary>
    private static double[] MapPairDifferences(MeanField theory, double length, double first, double second)
    {
        var differences = new double[Depth + 1];
        for (int l = 0; l <= Depth; l++)
        {
            differences[l] = second - first;
            (first, second) = (theory.CorrelationMap(first, length), theory.CorrelationMap(second, length));
            length = theory.LengthMap(length);
        }
        return differences;
    }

    /// <summary>ξ_c of tanh at σ_b² = 0.05 for a σ_w².</summary>
    private static double DepthScaleOf(double weightVariance) =>
        new MeanField(ActivationRegistry.Resolve("tanh"), weightVariance, BiasVariance).CorrelationDepthScale;

    /// <summary>The mean pair difference over the nets, leaving out net <paramref name="leftOut"/> (−1: none).</summary>
    private static double[] MeanTrajectory(List<NetTrace> traces, int leftOut)
    {
        var mean = new double[Depth + 1];
        int count = 0;
        for (int t = 0; t < traces.Count; t++)
        {
            if (t == leftOut)
            {
                continue;
            }
            count++;
            for (int l = 0; l < mean.Length; l++)
            {
                mean[l] += traces[t].PairDifferences[l];
            }
        }
        for (int l = 0; l < mean.Length; l++)
        {
            mean[l] /= count;
        }
        return mean;
    }

    /// <summary>
    /// At criticality ξ_c is infinite, so the claim is made on the decay rate 1/ξ (0 there), whose jackknife error stays
    /// finite: the fitted rate plus its error bar is below the slowest rate of the two phases either side.
    /// </summary>
    private static PaperCheck CriticalDepthScaleCheck(string variant, double measuredXi, double rateError, int fitted, int nets, double seconds)
    {
        double slowest = Math.Max(DepthScaleOf(1.2), DepthScaleOf(3.0));
        double rate = 1 / measuredXi;
        return new PaperCheck("edge-of-chaos", variant + " ξ_c", Paper, Formula,
            FormattableString.Invariant($"ξ_c diverges at criticality: the fitted decay rate 1/ξ = {rate:G3} ± {rateError:G2} per layer (ξ = {measuredXi:G3}, layers 1–{fitted}) is far below either phase's 1/ξ_c (≥ {1 / slowest:G3})."),
            double.PositiveInfinity, measuredXi, [],
            FormattableString.Invariant($"fitted 1/ξ + {DepthScaleStandardErrors} SE < the other phases' 1/ξ_c (SE: jackknife over {nets} nets)"),
            rate + DepthScaleStandardErrors * rateError < 1 / slowest, [], seconds);
    }

    /// <summary>The jackknife standard error (<see cref="SampleStatistics.JackknifeStandardError"/>) of a function of the
    /// fitted depth scale over the leave-one-net-out fits of the first <paramref name="layers"/> layers; ∞ when a
    /// leave-out fit is not finite.</summary>
    private static double JackknifeError(List<NetTrace> traces, int layers, Func<double, double> quantity)
    {
        int n = traces.Count;
        double[] leaveOut = [.. Enumerable.Range(0, n).Select(i => quantity(DepthScaleFit.Fit(MeanTrajectory(traces, i)[..layers])))];
        if (leaveOut.Any(x => !double.IsFinite(x)))
        {
            return double.PositiveInfinity;
        }
        return SampleStatistics.JackknifeStandardError(leaveOut);
    }

    private static double Score(List<NetTrace> traces, Func<NetTrace, (double Residual, double Error)> step)
    {
        double residual = 0, variance = 0;
        foreach (NetTrace trace in traces)
        {
            (double r, double e) = step(trace);
            residual += r;
            variance += e * e;
        }
        return residual / Math.Sqrt(variance);
    }

    /// <summary>
    /// One net: its layers' kernels and, per layer l, the residual of the measured kernel K^(l+1) against the map of the
    /// measured K^l, with its standard error from the spread of the n per-unit terms.
    /// </summary>
    private static NetTrace Measure(MeanField theory, double actualWeightVariance, int width, ulong seed, (double, double) pairCorrelations)
    {
        double weightVariance = theory.WeightVariance;
        double[] pair = [pairCorrelations.Item1, pairCorrelations.Item2];
        var layers = Enumerable.Range(0, Depth).Select(_ => new Dense(width, ActivationRegistry.Resolve("tanh"),
            new RandomNormal(0, Math.Sqrt(actualWeightVariance / width)), new RandomNormal(0, Math.Sqrt(BiasVariance))));
        var model = new Sequential(width, layers, seed);
        var rng = new Rng(seed + 1000);
        var trace = new NetTrace(Depth);
        // Rows 0, 1: x and y = ρ·x + √(1 − ρ²)·w at the input correlation, for the q and c checks. Then per depth-scale
        // pair k: x_k, y_k(ρ₁), y_k(ρ₂) with one w_k, so the pair lies on one smooth path of inputs; the pairs' kernel
        // fluctuations are nearly independent, so the mean over them lowers the noise floor of the difference by √k.
        var x = new float[(2 + 3 * PairsPerNet) * width];
        for (int i = 0; i < width; i++)
        {
            double a = rng.NextNormal(), b = rng.NextNormal();
            x[i] = (float)a;
            x[width + i] = (float)(InputCorrelation * a + Math.Sqrt(1 - InputCorrelation * InputCorrelation) * b);
        }
        double pairScale = PairScale(theory);
        for (int k = 0; k < PairsPerNet; k++)
        {
            int row = 2 + 3 * k;
            for (int i = 0; i < width; i++)
            {
                double a = pairScale * rng.NextNormal(), b = pairScale * rng.NextNormal();
                x[row * width + i] = (float)a;
                x[(row + 1) * width + i] = (float)(pair[0] * a + Math.Sqrt(1 - pair[0] * pair[0]) * b);
                x[(row + 2) * width + i] = (float)(pair[1] * a + Math.Sqrt(1 - pair[1] * pair[1]) * b);
            }
        }
        model.Forward(new Tensor(x, 2 + 3 * PairsPerNet, width));
        trace.PairStart = PairCorrelations(x, width, weightVariance, identity: true);
        trace.PairDifferences[0] = trace.PairStart.Second - trace.PairStart.First;
        // K⁰ from the inputs themselves (φ is the identity for them).
        (double k11, double k22, double k12) = Kernel(x.AsSpan(0, width), x.AsSpan(width, width), weightVariance, tanh: false);
        trace.Record(0, k11, k22, k12);
        var lengthTerms = new double[width];
        var correlationTerms = new double[width];
        for (int l = 0; l < Depth; l++)
        {
            (double p11, double p22, double p12) = KernelMap(theory, k11, k22, k12);
            double scale = Math.Sqrt(p11 * p22), predicted = p12 / scale;
            ReadOnlySpan<float> z = model.DenseLayers[l].PreActivation;
            double n11 = 0, n22 = 0, n12 = 0;
            for (int i = 0; i < width; i++)
            {
                // The unit's contribution to K^(l+1); tanh in double of the float pre-activation.
                double a1 = Math.Tanh(z[i]), a2 = Math.Tanh(z[width + i]);
                double t11 = weightVariance * a1 * a1 + BiasVariance, t22 = weightVariance * a2 * a2 + BiasVariance, t12 = weightVariance * a1 * a2 + BiasVariance;
                n11 += t11;
                n22 += t22;
                n12 += t12;
                lengthTerms[i] = (t11 + t22) / 2;
                // c = K₁₂/√(K₁₁K₂₂) linearised at the predicted kernel: a term with expectation exactly 0 whose mean is the
                // measured c minus the predicted c to first order (the O(1/n) remainder is far below one standard error).
                correlationTerms[i] = t12 / scale - predicted / 2 * (t11 / p11 + t22 / p22);
            }
            (k11, k22, k12) = (n11 / width, n22 / width, n12 / width);
            trace.Record(l + 1, k11, k22, k12);
            trace.LengthSteps[l] = (SampleStatistics.Mean(lengthTerms) - (p11 + p22) / 2, SampleStatistics.StandardError(lengthTerms));
            trace.CorrelationSteps[l] = (SampleStatistics.Mean(correlationTerms), SampleStatistics.StandardError(correlationTerms));
            trace.PairDifferences[l + 1] = PairDifference(z, width, weightVariance, identity: false);
        }
        return trace;
    }

    /// <summary>
    /// The kernel a layer of fan-in n = <paramref name="first"/>.Length computes from two rows: K₁₁ = σ_w²·φ(u)·φ(u)/n + σ_b²,
    /// K₂₂ = σ_w²·φ(v)·φ(v)/n + σ_b², K₁₂ = σ_w²·φ(u)·φ(v)/n + σ_b², with φ = tanh for a layer's pre-activations and the
    /// identity for the inputs.
    /// </summary>
    /// <param name="first">u.</param>
    /// <param name="second">v, as long as u.</param>
    /// <param name="weightVariance">σ_w².</param>
    /// <param name="tanh">Whether the rows are pre-activations to pass through tanh.</param>
    /// <returns>(K₁₁, K₂₂, K₁₂).</returns>
    internal static (double First, double Second, double Cross) Kernel(ReadOnlySpan<float> first, ReadOnlySpan<float> second, double weightVariance, bool tanh)
    {
        double s11 = 0, s22 = 0, s12 = 0;
        for (int i = 0; i < first.Length; i++)
        {
            double a = first[i], b = second[i];
            if (tanh)
            {
                (a, b) = (Math.Tanh(a), Math.Tanh(b));
            }
            s11 += a * a;
            s22 += b * b;
            s12 += a * b;
        }
        int n = first.Length;
        return (weightVariance * s11 / n + BiasVariance, weightVariance * s22 / n + BiasVariance, weightVariance * s12 / n + BiasVariance);
    }

    /// <summary>The depth-scale pairs' correlations K₁₂/√(K₁₁K₂₂) in the <see cref="Kernel"/> of their rows, each
    /// averaged over the pairs.</summary>
    private static (double First, double Second) PairCorrelations(ReadOnlySpan<float> rows, int width, double weightVariance, bool identity)
    {
        double first = 0, second = 0;
        for (int k = 0; k < PairsPerNet; k++)
        {
            ReadOnlySpan<float> x = rows.Slice((2 + 3 * k) * width, width);
            (double x11, double y11, double c1) = Kernel(x, rows.Slice((3 + 3 * k) * width, width), weightVariance, !identity);
            (double x22, double y22, double c2) = Kernel(x, rows.Slice((4 + 3 * k) * width, width), weightVariance, !identity);
            first += c1 / Math.Sqrt(x11 * y11) / PairsPerNet;
            second += c2 / Math.Sqrt(x22 * y22) / PairsPerNet;
        }
        return (first, second);
    }

    private static double PairDifference(ReadOnlySpan<float> rows, int width, double weightVariance, bool identity)
    {
        (double first, double second) = PairCorrelations(rows, width, weightVariance, identity);
        return second - first;
    }

    /// <summary>One net's kernels (layers 0..Depth, the last being what its top layer would feed a further one) and its
    /// one-step residuals with their standard errors.</summary>
    private sealed class NetTrace(int depth)
    {
        public double[] Lengths { get; } = new double[depth + 1];

        public double[] Correlations { get; } = new double[depth + 1];

        public (double Residual, double Error)[] LengthSteps { get; } = new (double, double)[depth];

        public (double Residual, double Error)[] CorrelationSteps { get; } = new (double, double)[depth];

        /// <summary>c_l(x, y(ρ₂)) − c_l(x, y(ρ₁)) for the depth-scale pair, layers 0..Depth.</summary>
        public double[] PairDifferences { get; } = new double[depth + 1];

        /// <summary>The pair's two correlations in the first layer's kernel.</summary>
        public (double First, double Second) PairStart { get; set; }

        public void Record(int layer, double k11, double k22, double k12)
        {
            Lengths[layer] = (k11 + k22) / 2;
            Correlations[layer] = k12 / Math.Sqrt(k11 * k22);
        }
    }
}
