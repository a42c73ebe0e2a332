using System.Diagnostics;
using InitLab.Layers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Practicals.Papers;

/// <summary>
/// Dying ReLU at initialisation (Lu, Shin, Su &amp; Karniadakis 2020, "Dying ReLU and initialization: theory and numerical
/// examples"): a deep, narrow ReLU net with symmetric weights is "born dead" — some layer outputs 0 for every input, so
/// the output is constant — with a probability that tends to 1 as the depth grows and falls as the width grows (the
/// paper's theorem and figures). Two exact cases, worked out here rather than quoted from the paper, for zero biases and any symmetric continuous weight law (here He normal): at one input x₀ ≠ 0 each layer of N
/// units fed a nonzero vector is all-off with probability 2^(−N), independently of the layers before, so
/// P(dead at x₀) = 1 − (1 − 2^(−N))^L; and a width-1 net over a domain symmetric about 0 (x and −x both in it) keeps its
/// first layer alive, while every later layer gets a positive input and dies exactly when its one weight is negative:
/// P(dead) = 1 − 2^(1−L). A net dead over the domain is dead at x₀, so the first formula bounds the second from above.
/// </summary>
public static class BornDeadPractical
{
    /// <summary>The paper, as cited in reports.</summary>
    public const string Paper = "Lu, Shin, Su & Karniadakis 2020, Dying ReLU and initialization: theory and numerical examples (Commun. Comput. Phys. 28)";

    /// <summary>The formulas the practical checks.</summary>
    public const string Formula = "the paper: P(dead) → 1 as L → ∞ at fixed width; exact cases worked out here for zero bias, symmetric weights, L layers of N units: P(dead at x₀) = 1 − (1 − 2^(−N))^L; width 1 on a symmetric domain: P(dead) = 1 − 2^(1−L); P(dead on the domain) ≤ P(dead at x₀)";

    /// <summary>The deepest net; every depth 1..<see cref="MaxDepth"/> is read from its first layers (a net's first L layers
    /// are a depth-L net, and a net dead at layer l stays dead).</summary>
    public const int MaxDepth = 32;

    /// <summary>Grid points per side of the input domain [−1, 1]².</summary>
    public const int GridSide = 9;

    /// <summary>Standard errors allowed between a measured probability and the formula (binomial SE √(p(1 − p)/n)).</summary>
    public const double StandardErrors = 4;

    /// <summary>The widths (units per hidden layer).</summary>
    public static IReadOnlyList<int> Widths { get; } = [1, 2, 3, 4, 6];

    /// <summary>The single input x₀ (a grid point).</summary>
    public static IReadOnlyList<float> SingleInput { get; } = [1f, 0.5f];

    /// <summary>Nets per seed and width (quick: 150).</summary>
    /// <param name="quick">Quick mode.</param>
    /// <returns>Nets.</returns>
    public static int NetsPerSeed(bool quick) => quick ? 150 : 200;

    /// <summary>P(dead at one input) = 1 − (1 − 2^(−N))^L.</summary>
    /// <param name="width">N.</param>
    /// <param name="depth">L.</param>
    /// <returns>The probability.</returns>
    public static double DeadAtOneInput(int width, int depth) => 1 - Math.Pow(1 - Math.Pow(2, -width), depth);

    /// <summary>Width 1 over a domain symmetric about 0: P(dead) = 1 − 2^(1−L).</summary>
    /// <param name="depth">L ≥ 1.</param>
    /// <returns>The probability.</returns>
    public static double WidthOneDeadOnDomain(int depth) => 1 - Math.Pow(2, 1 - depth);

    /// <summary>Runs every width over the seeds.</summary>
    /// <param name="seeds">Seeds (each draws <see cref="NetsPerSeed"/> nets per width).</param>
    /// <param name="quick">Fewer nets.</param>
    /// <returns>The checks.</returns>
    public static IReadOnlyList<PaperCheck> Run(int seeds, bool quick)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        var clock = Stopwatch.StartNew();
        var rates = Widths.Select(n => Measure(n, seeds, NetsPerSeed(quick))).ToList();
        double seconds = clock.Elapsed.TotalSeconds;
        var checks = new List<PaperCheck>();
        foreach (BornDeadRates r in rates)
        {
            checks.Add(OneInputCheck(r));
        }
        foreach (BornDeadRates r in rates)
        {
            checks.Add(DomainCheck(r));
        }
        checks.Add(WidthTrendCheck(rates));
        return [.. checks.Select(c => c with { Seconds = seconds / checks.Count })];
    }

    /// <summary>Draws <paramref name="seeds"/> × <paramref name="netsPerSeed"/> He-normal, zero-bias ReLU nets of width
    /// <paramref name="width"/> and depth <see cref="MaxDepth"/> on inputs in [−1, 1]², and records the first layer at
    /// which each is dead at x₀ and on the whole grid.</summary>
    /// <param name="width">Units per layer.</param>
    /// <param name="seeds">Seeds.</param>
    /// <param name="netsPerSeed">Nets per seed.</param>
    /// <returns>The death rates per depth.</returns>
    public static BornDeadRates Measure(int width, int seeds, int netsPerSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(netsPerSeed, 1);
        (Tensor grid, int singleRow) = Grid();
        int nets = seeds * netsPerSeed;
        // Counts, divided once at the end: summing 1/n n times does not give exactly 1, and p = 1 is a value to compare.
        var deadAtOne = new int[MaxDepth];
        var deadOnDomain = new int[MaxDepth];
        var perSeedDomain = new int[seeds];
        var perSeedOne = new int[seeds];
        for (int net = 0; net < nets; net++)
        {
            (int firstDeadAtOne, int firstDeadOnDomain) = FirstDeadLayers(width, (ulong)net + 1, grid, singleRow);
            for (int l = 0; l < MaxDepth; l++)
            {
                deadAtOne[l] += l >= firstDeadAtOne ? 1 : 0;
                deadOnDomain[l] += l >= firstDeadOnDomain ? 1 : 0;
            }
            perSeedDomain[net / netsPerSeed] += firstDeadOnDomain < MaxDepth ? 1 : 0;
            perSeedOne[net / netsPerSeed] += firstDeadAtOne < MaxDepth ? 1 : 0;
        }
        double[] Fraction(int[] counts, int total) => [.. counts.Select(c => (double)c / total)];
        return new BornDeadRates(width, nets, Fraction(deadAtOne, nets), Fraction(deadOnDomain, nets), Fraction(perSeedDomain, netsPerSeed), Fraction(perSeedOne, netsPerSeed));
    }

    /// <summary>
    /// Whether a measured fraction agrees with probability p over n independent nets at the level of ±4 binomial standard
    /// errors (two-sided α = 2Φ(−4) ≈ 6.3·10⁻⁵), judged on the exact binomial tails: P(X ≤ k) and P(X ≥ k) both above α/2
    /// for X ~ Bin(n, p). Where np(1 − p) is large this is |p̂ − p| ≤ 4√(p(1 − p)/n); near p = 0 or 1, where a single
    /// surviving net is already many "standard errors" away yet not unlikely, the normal rule would misjudge and this does not.
    /// </summary>
    /// <param name="fraction">p̂ = k/n.</param>
    /// <param name="trials">n.</param>
    /// <param name="probability">p.</param>
    /// <returns>True when k lies in the central 1 − α range of Bin(n, p).</returns>
    public static bool AgreesWithBinomial(double fraction, int trials, double probability)
    {
        const double Alpha = 6.334e-5;
        int count = (int)Math.Round(fraction * trials);
        // Work with the rarer outcome so that the first term (1 − q)^n does not underflow.
        bool flip = probability > 0.5;
        double q = flip ? 1 - probability : probability;
        int k = flip ? trials - count : count;
        if (q == 0)
        {
            return k == 0;
        }
        double term = Math.Pow(1 - q, trials), below = 0, total = 0;
        double atOrBelow = 0;
        for (int i = 0; i <= trials; i++)
        {
            total += term;
            if (i < k)
            {
                below += term;
            }
            if (i <= k)
            {
                atOrBelow = total;
            }
            term *= (double)(trials - i) / (i + 1) * q / (1 - q);
        }
        double lower = atOrBelow / total, upper = 1 - below / total; // P(X ≤ k), P(X ≥ k)
        return lower > Alpha / 2 && upper > Alpha / 2;
    }

    /// <summary>√(p(1 − p)/n): the standard error of a fraction of n independent trials with probability p.</summary>
    /// <param name="probability">p.</param>
    /// <param name="trials">n.</param>
    /// <returns>The standard error.</returns>
    public static double BinomialError(double probability, int trials) => Math.Sqrt(probability * (1 - probability) / trials);

    private static PaperCheck OneInputCheck(BornDeadRates r)
    {
        double[] predicted = [.. Enumerable.Range(1, MaxDepth).Select(l => DeadAtOneInput(r.Width, l))];
        bool agrees = Enumerable.Range(0, MaxDepth).All(l => AgreesWithBinomial(r.AtOneInput[l], r.Nets, predicted[l]));
        return new PaperCheck("born-dead", $"width {r.Width} at x₀", Paper, Formula,
            FormattableString.Invariant($"At one input every layer of {r.Width} unit(s) switches all off with probability 2^(−{r.Width}): P(dead at x₀) = 1 − (1 − 2^(−{r.Width}))^L = {predicted[^1]:0.###} at L = {MaxDepth}."),
            predicted[^1], r.AtOneInput[^1], r.PerSeedAtOneInput,
            FormattableString.Invariant($"every depth 1..{MaxDepth} within ±{StandardErrors} binomial SE (exact tails, {r.Nets} nets)"), agrees, [], 0)
        { MeasuredTrajectory = r.AtOneInput, PredictedTrajectory = predicted };
    }

    private static PaperCheck DomainCheck(BornDeadRates r)
    {
        if (r.Width == 1)
        {
            double[] exact = [.. Enumerable.Range(1, MaxDepth).Select(WidthOneDeadOnDomain)];
            bool agrees = Enumerable.Range(0, MaxDepth).All(l => AgreesWithBinomial(r.OnDomain[l], r.Nets, exact[l]));
            return new PaperCheck("born-dead", "width 1 on the domain", Paper, Formula,
                FormattableString.Invariant($"Width 1: the first layer lives on a symmetric domain, each later one dies when its weight is negative: P(dead) = 1 − 2^(1−L) = {exact[^1]:0.#######} at L = {MaxDepth}; → 1 with depth."),
                exact[^1], r.OnDomain[^1], r.PerSeedOnDomain,
                FormattableString.Invariant($"every depth within ±{StandardErrors} binomial SE (exact tails, {r.Nets} nets)"), agrees, [], 0)
            { MeasuredTrajectory = r.OnDomain, PredictedTrajectory = exact };
        }
        double[] bound = [.. Enumerable.Range(1, MaxDepth).Select(l => DeadAtOneInput(r.Width, l))];
        bool below = Enumerable.Range(0, MaxDepth).All(l => r.OnDomain[l] <= bound[l] + StandardErrors * BinomialError(bound[l], r.Nets));
        return new PaperCheck("born-dead", $"width {r.Width} on the domain", Paper, Formula,
            FormattableString.Invariant($"Dead for every input of [−1, 1]² (a 9×9 grid) is rarer than dead at x₀, and still grows with depth toward 1: at most {bound[^1]:0.###} at L = {MaxDepth}."),
            bound[^1], r.OnDomain[^1], r.PerSeedOnDomain,
            FormattableString.Invariant($"every depth ≤ 1 − (1 − 2^(−N))^L + {StandardErrors} binomial SE ({r.Nets} nets)"), below, [], 0)
        { MeasuredTrajectory = r.OnDomain, PredictedTrajectory = bound };
    }

    /// <summary>The paper's width claim: at the deepest net, wider is less often dead — every step to a wider net lowers the
    /// measured probability or leaves it within 2 SE, and width 1 against the widest differs by more than 4 SE.</summary>
    private static PaperCheck WidthTrendCheck(List<BornDeadRates> rates)
    {
        double SeOfDifference(BornDeadRates a, BornDeadRates b) => Math.Sqrt(Math.Pow(BinomialError(a.OnDomain[^1], a.Nets), 2) + Math.Pow(BinomialError(b.OnDomain[^1], b.Nets), 2));
        bool noReversal = rates.Zip(rates.Skip(1)).All(p => p.Second.OnDomain[^1] <= p.First.OnDomain[^1] + 2 * SeOfDifference(p.First, p.Second));
        BornDeadRates narrow = rates[0], wide = rates[^1];
        double drop = narrow.OnDomain[^1] - wide.OnDomain[^1];
        double error = SeOfDifference(narrow, wide);
        bool significant = drop > StandardErrors * error;
        return new PaperCheck("born-dead", $"width trend at L={MaxDepth}", Paper, Formula,
            FormattableString.Invariant($"Wider nets are less often born dead: P(dead on the domain) at L = {MaxDepth} falls from width {narrow.Width} to width {wide.Width} (bound: {DeadAtOneInput(narrow.Width, MaxDepth):0.###} → {DeadAtOneInput(wide.Width, MaxDepth):0.###}); predicted and measured: the drop."),
            DeadAtOneInput(narrow.Width, MaxDepth) - DeadAtOneInput(wide.Width, MaxDepth), drop,
            [.. narrow.PerSeedOnDomain.Zip(wide.PerSeedOnDomain, (a, b) => a - b)],
            FormattableString.Invariant($"no step to a wider net raises P by > 2 SE; width {narrow.Width} − width {wide.Width} > {StandardErrors} SE"),
            noReversal && significant, [], 0);
    }

    private static (Tensor Grid, int SingleRow) Grid()
    {
        var data = new float[GridSide * GridSide * 2];
        int single = -1;
        for (int i = 0; i < GridSide; i++)
        {
            for (int j = 0; j < GridSide; j++)
            {
                int row = i * GridSide + j;
                data[2 * row] = -1f + 2f * i / (GridSide - 1);
                data[2 * row + 1] = -1f + 2f * j / (GridSide - 1);
                if (data[2 * row] == SingleInput[0] && data[2 * row + 1] == SingleInput[1])
                {
                    single = row;
                }
            }
        }
        Debug.Assert(single >= 0, "x₀ is a grid point");
        return (new Tensor(data, GridSide * GridSide, 2), single);
    }

    /// <summary>The index of the first layer whose units are all off at x₀, and on every grid point (<see cref="MaxDepth"/> if none).</summary>
    private static (int AtOne, int OnDomain) FirstDeadLayers(int width, ulong seed, Tensor grid, int singleRow)
    {
        var layers = Enumerable.Range(0, MaxDepth).Select(_ => new Dense(width, "relu", "kaiming_normal", "zeros"));
        var model = new Sequential(2, layers, seed) { Threads = 1 };
        model.Forward(grid);
        int atOne = MaxDepth, onDomain = MaxDepth;
        for (int l = 0; l < MaxDepth && onDomain == MaxDepth; l++)
        {
            ReadOnlySpan<float> z = model.DenseLayers[l].PreActivation;
            bool aliveAtOne = false, aliveSomewhere = false;
            for (int i = 0; i < z.Length; i++)
            {
                if (z[i] > 0)
                {
                    aliveSomewhere = true;
                    aliveAtOne |= i / width == singleRow;
                }
            }
            if (!aliveAtOne && atOne == MaxDepth)
            {
                atOne = l;
            }
            if (!aliveSomewhere)
            {
                onDomain = l;
            }
        }
        return (atOne, onDomain);
    }
}
