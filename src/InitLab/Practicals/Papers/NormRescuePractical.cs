using System.Diagnostics;
using InitLab.Architectures;
using InitLab.Common;
using InitLab.Data;
using InitLab.Diagnostics;
using InitLab.Experiments;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Practicals.Papers;

/// <summary>
/// Is normalization a substitute for a good init (issue 21)? The tutorial's bad inits — Glorot at depth 30 with ReLU
/// (the signal halves per layer), too-small random weights N(0, 0.0007²) and too-large U(0, 1) weights at depth 10 — on
/// the tutorial's circles, plain and with BatchNormalization or LayerNormalization after every hidden Dense
/// (<see cref="ArchitectureBuilder"/>'s mlp: Dense → Norm → φ; the output layer glorot_uniform in every net, so only the
/// hidden layers differ). What normalization fixes: the scale of each layer's input (BN rescues Glorot at depth 30,
/// LN rescues U(0, 1) with tanh). What it does not fix: (1) ε — BN computes x̂ = (x − μ)/√(v + ε), so a layer whose
/// pre-activation variance v is far below ε passes on v/ε of it, not 1: with n units of weight variance σ² the variance
/// is multiplied by n·σ²/ε per layer, 64·0.0007²/10⁻³ = 0.031 with Keras's ε = 10⁻³ (the signal still vanishes) and 3.1
/// with PyTorch's 10⁻⁵ (it is rescued); (2) symmetry — zero weights with BN leave every unit of a layer identical after
/// training, as without it.
/// </summary>
public static class NormRescuePractical
{
    /// <summary>The papers, as cited in reports.</summary>
    public const string Paper = "Ioffe & Szegedy 2015, Batch Normalization; Ba, Kiros & Hinton 2016, Layer Normalization; the tutorial's bad inits";

    /// <summary>The formulas the practical checks.</summary>
    public const string Formula = "x̂ = (x − μ)/√(v + ε): mean square of x̂ = v/(v + ε); for v ≪ ε it is v/ε and E[q_(l+1)/q_l] = n·σ_w²/ε (tanh near 0); Glorot + ReLU without normalization: q_(l+1) = q_l/2";

    /// <summary>Units per hidden layer.</summary>
    public const int Width = 64;

    /// <summary>Standard deviation of tutorial_small_random.</summary>
    public const double SmallStd = 0.0007;

    /// <summary>PyTorch's BatchNorm ε (Keras and <see cref="BatchNormalization"/> default to 10⁻³).</summary>
    public const double TorchEpsilon = 1e-5;

    /// <summary>Epochs of the tutorial's optimizer (SGD 0.05, momentum 0.9, batch 32).</summary>
    public const int Epochs = 20;

    /// <summary>Test accuracy at or above which a net has learned the circles (the tutorial's healthy threshold).</summary>
    public const double TrainedAccuracy = 0.9;

    /// <summary>Test accuracy at or below which a net has not learned them (chance is 0.5).</summary>
    public const double FailedAccuracy = 0.6;

    /// <summary>Standard errors allowed between a measured mean and the formula.</summary>
    public const double StandardErrors = 4;

    /// <summary>Rows of the probe batch.</summary>
    public const int ProbeRows = 256;

    /// <summary>Runs every network over the seeds.</summary>
    /// <param name="seeds">Weight seeds (1, 2, …).</param>
    /// <param name="quick">Unused: every run is short already.</param>
    /// <returns>The checks.</returns>
    public static IReadOnlyList<PaperCheck> Run(int seeds, bool quick)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        _ = quick;
        (Dataset train, Dataset test) = Data();
        var checks = new List<PaperCheck>();
        checks.AddRange(GlorotDepth(seeds, train, test));
        checks.AddRange(SmallRandom(seeds, train, test));
        checks.AddRange(LargeRandom(seeds, train, test));
        checks.Add(ZeroSymmetry(seeds, train, test));
        return checks;
    }

    /// <summary>The tutorial's data: 1000 rows of concentric circles, a quarter held out (the practicals' default).</summary>
    /// <returns>(train, test).</returns>
    public static (Dataset Train, Dataset Test) Data() =>
        DataSource.Load("circles", new DataOptions { Rows = 1000, Seed = 1, TestFraction = 0.25 });

    /// <summary>An mlp of <paramref name="depth"/> hidden layers with the given init and normalization; ε replaces
    /// BatchNormalization's default when given.</summary>
    /// <param name="init">Kernel initializer of the hidden layers.</param>
    /// <param name="activation">Hidden activation.</param>
    /// <param name="depth">Hidden layers.</param>
    /// <param name="norm">Normalization.</param>
    /// <param name="epsilon">BatchNormalization's ε (null: Keras's 10⁻³).</param>
    /// <param name="outputInit">Output kernel initializer.</param>
    /// <returns>The unbuilt layers.</returns>
    public static IReadOnlyList<Layer> Layers(string init, string activation, int depth, Normalization norm, double? epsilon = null, string outputInit = "glorot_uniform")
    {
        var options = new ArchitectureOptions
        {
            InputDim = 2, Outputs = 1, Architecture = Architecture.Mlp, Width = Width, Depth = depth, Activation = activation,
            KernelInitializer = init, BiasInitializer = "zeros", OutputActivation = "sigmoid", OutputInitializer = outputInit, Normalization = norm,
        };
        IReadOnlyList<Layer> layers = ArchitectureBuilder.Layers(options);
        return epsilon is double e ? [.. layers.Select(l => l is BatchNormalization ? new BatchNormalization(epsilon: e) : l)] : layers;
    }

    /// <summary>Glorot + ReLU at depth 30: plain it vanishes (q halves per layer) and does not train; with BN each
    /// layer's input is normalized, the pre-activation mean square stays at n·σ_w²·½ = ½, and it trains.</summary>
    internal static IReadOnlyList<PaperCheck> GlorotDepth(int seeds, Dataset train, Dataset test)
    {
        const int depth = 30;
        var plain = Runs(() => Layers("glorot_uniform", "relu", depth, Normalization.None), seeds, train, test);
        var batch = Runs(() => Layers("glorot_uniform", "relu", depth, Normalization.Batch), seeds, train, test);
        double[] plainMs = MeanTrajectory(plain, r => r.PreActivation);
        double[] batchMs = MeanTrajectory(batch, r => r.PreActivation);
        // Mean field: Glorot on square layers has n·σ² = 1 and relu keeps half the mean square.
        double[] plainMap = [.. Enumerable.Range(0, depth).Select(l => l == 0 ? plainMs[0] : plainMs[1] * Math.Pow(0.5, l - 1))];
        double[] batchMap = [.. Enumerable.Range(0, depth).Select(l => l == 0 ? batchMs[0] : 0.5)];
        // Hanin & Rolnick 2018: Var[ln ‖a_L‖²] ≈ 5·Σ 1/n_j for one input; the mean over the probe rows only lowers it.
        double allowed = StandardErrors * Math.Sqrt(5.0 * (depth - 2) / Width / seeds);
        var checks = new List<PaperCheck>
        {
            Outcome("glorot-relu@30 plain", "Glorot + ReLU, 30 layers, no normalization: the signal halves per layer and the net does not learn.", plain, trains: false),
            Outcome("glorot-relu@30 batchnorm", "The same net with BatchNormalization after every Dense learns the circles.", batch, trains: true),
        };
        checks[0] = checks[0] with { MeasuredTrajectory = plainMs, PredictedTrajectory = plainMap };
        checks[1] = checks[1] with { MeasuredTrajectory = batchMs, PredictedTrajectory = batchMap };
        foreach (var (name, runs, predicted, text) in new[]
        {
            ("plain", plain, Math.Pow(0.5, depth - 2), "Without normalization the pre-activation mean square of layer 30 is 2^(−28) of layer 2's."),
            ("batchnorm", batch, 1.0, "With BatchNormalization every layer's input has unit variance: layer 30's pre-activation mean square equals layer 2's (n·σ_w²·½ = ½)."),
        })
        {
            double[] ratios = [.. runs.Select(r => r.PreActivation[^1] / r.PreActivation[1])];
            double logMean = ratios.Average(Math.Log);
            checks.Add(new PaperCheck("norm-rescue", $"glorot-relu@30 {name} signal", Paper, Formula, text, predicted, Math.Exp(logMean), ratios,
                Invariant($"|mean ln(measured/predicted)| ≤ {allowed:0.##} (4 SE from Hanin & Rolnick's Var[ln q] ≈ 5·Σ1/n)"),
                Math.Abs(logMean - Math.Log(predicted)) <= allowed, [], 0));
        }
        return checks;
    }

    /// <summary>N(0, 0.0007²) tanh at depth 10: plain it vanishes; with Keras's BN ε = 10⁻³ it still does, at the rate
    /// n·σ²/ε per layer; with PyTorch's ε = 10⁻⁵ the rate is above 1 and the net trains.</summary>
    internal static IReadOnlyList<PaperCheck> SmallRandom(int seeds, Dataset train, Dataset test)
    {
        const int depth = 10;
        var plain = Runs(() => Layers("tutorial_small_random", "tanh", depth, Normalization.None), seeds, train, test);
        var keras = Runs(() => Layers("tutorial_small_random", "tanh", depth, Normalization.Batch), seeds, train, test);
        var torch = Runs(() => Layers("tutorial_small_random", "tanh", depth, Normalization.Batch, TorchEpsilon), seeds, train, test);
        double rate = Width * SmallStd * SmallStd / 1e-3;
        double[] steps = [.. keras.SelectMany(r => Enumerable.Range(1, depth - 1).Select(l => r.NormOutput[l] / r.NormOutput[l - 1]))];
        double mean = steps.Average(), error = SampleStatistics.StandardError(steps);
        double[] kerasMs = MeanTrajectory(keras, r => r.NormOutput);
        var collapse = new PaperCheck("norm-rescue", "small-random-tanh@10 batchnorm ε=1e-3 collapse", Paper, Formula,
            Invariant($"BN does not rescue weights this small with Keras's ε = 10⁻³: the pre-activation variance v ≈ 10⁻⁶ is far below ε, so BN passes on v/ε, not 1, and the signal shrinks by n·σ²/ε = {rate:0.####} per layer."),
            rate, mean, [.. keras.Select(r => Enumerable.Range(1, depth - 1).Average(l => r.NormOutput[l] / r.NormOutput[l - 1]))],
            Invariant($"mean of q_(l+1)/q_l (BN outputs, layers 2–{depth}) within {StandardErrors} SE of n·σ²/ε (SE {error:G2}, {steps.Length} steps)"),
            Math.Abs(mean - rate) <= StandardErrors * error, [], 0)
        { MeasuredTrajectory = kerasMs, PredictedTrajectory = [.. Enumerable.Range(0, depth).Select(l => kerasMs[0] * Math.Pow(rate, l))] };
        double torchRate = rate * 1e-3 / TorchEpsilon;
        return
        [
            Outcome("small-random-tanh@10 plain", "N(0, 0.0007²) weights, tanh, 10 layers, no normalization: the signal vanishes and the net does not learn.", plain, trains: false),
            collapse,
            Outcome("small-random-tanh@10 batchnorm ε=1e-3", "With Keras's BN (ε = 10⁻³) the net still does not learn.", keras, trains: false),
            Outcome("small-random-tanh@10 batchnorm ε=1e-5", Invariant($"With PyTorch's ε = 10⁻⁵ the rate n·σ²/ε = {torchRate:0.##} is above 1: BN holds the signal and the net learns."), torch, trains: true)
                with { MeasuredTrajectory = MeanTrajectory(torch, r => r.NormOutput) },
        ];
    }

    /// <summary>U(0, 1) tanh at depth 10: plain it saturates; LayerNorm (which removes each row's mean over the units)
    /// rescues it; BatchNorm does not within the budget.</summary>
    internal static IReadOnlyList<PaperCheck> LargeRandom(int seeds, Dataset train, Dataset test)
    {
        const int depth = 10;
        return
        [
            Outcome("large-random-tanh@10 plain", "U(0, 1) weights, tanh, 10 layers, no normalization: the units saturate and the net does not learn.",
                Runs(() => Layers("tutorial_large_random", "tanh", depth, Normalization.None), seeds, train, test), trains: false),
            Outcome("large-random-tanh@10 layernorm", "With LayerNormalization after every Dense the same weights learn the circles.",
                Runs(() => Layers("tutorial_large_random", "tanh", depth, Normalization.Layer), seeds, train, test), trains: true),
            Outcome("large-random-tanh@10 batchnorm", Invariant($"With BatchNormalization they do not, within {Epochs} epochs: normalization is not a cure for every bad init."),
                Runs(() => Layers("tutorial_large_random", "tanh", depth, Normalization.Batch), seeds, train, test), trains: false),
        ];
    }

    /// <summary>Zero kernels, biases and output with BN and sigmoid: every unit of a layer computes the same thing and
    /// gets the same gradient, so after training each hidden layer still has one distinct unit.</summary>
    internal static PaperCheck ZeroSymmetry(int seeds, Dataset train, Dataset test)
    {
        const int depth = 3;
        var runs = Runs(() => Layers("zeros", "sigmoid", depth, Normalization.Batch, outputInit: "zeros"), seeds, train, test);
        int[] distinct = [.. runs.Select(r => r.DistinctUnits.Max())];
        double moved = runs.Average(r => r.FirstKernelNorm);
        return new PaperCheck("norm-rescue", "zeros-sigmoid@3 batchnorm symmetry", Paper, Formula,
            Invariant($"What BN does not fix: zero weights keep every unit of a layer identical (the first layer's kernel moved to norm {moved:G3}, yet all {Width} units moved together); test accuracy {runs.Average(r => r.Accuracy):0.###}."),
            1, distinct.Max(), [.. distinct.Select(d => (double)d)], "every hidden layer of every seed has exactly 1 distinct unit after training",
            distinct.All(d => d == 1), [], runs.Sum(r => r.Seconds));
    }

    private static PaperCheck Outcome(string variant, string claim, IReadOnlyList<NetRun> runs, bool trains)
    {
        double[] accuracies = [.. runs.Select(r => r.Accuracy)];
        bool passed = trains ? accuracies.All(a => a >= TrainedAccuracy) : accuracies.All(a => !(a > FailedAccuracy));
        return new PaperCheck("norm-rescue", variant, Paper, Formula, claim, trains ? 1 : 0.5, accuracies.Average(), accuracies,
            trains ? Invariant($"learns: every seed's test accuracy ≥ {TrainedAccuracy}") : Invariant($"does not learn: every seed's test accuracy ≤ {FailedAccuracy} (chance 0.5)"),
            passed, [], runs.Sum(r => r.Seconds));
    }

    /// <summary>One net: per hidden layer the Dense pre-activation mean square and (with a normalization) the
    /// normalization layer's output mean square on the probe batch at init; after training the test accuracy, the distinct
    /// units per hidden Dense and the first kernel's norm.</summary>
    private sealed record NetRun(double[] PreActivation, double[] NormOutput, double Accuracy, int[] DistinctUnits, double FirstKernelNorm, double Seconds);

    private static List<NetRun> Runs(Func<IReadOnlyList<Layer>> layers, int seeds, Dataset train, Dataset test)
    {
        // Independent single-threaded nets, trained side by side: the same bits as one after the other.
        var runs = new NetRun[seeds];
        IReadOnlyList<Layer>[] nets = [.. Enumerable.Range(0, seeds).Select(_ => layers())];
        Parallel.For(0, seeds, i => runs[i] = Run(nets[i], (ulong)i + 1, train, test));
        return [.. runs];
    }

    private static NetRun Run(IReadOnlyList<Layer> layers, ulong seed, Dataset train, Dataset test)
    {
        var clock = Stopwatch.StartNew();
        var model = new Sequential(train.FeatureCount, layers, seed) { Threads = 1 };
        int rows = Math.Min(ProbeRows, train.Rows);
        model.Forward(new Tensor(train.Features.Data[..(rows * train.FeatureCount)], rows, train.FeatureCount));
        var hidden = model.DenseLayers.Take(model.DenseLayers.Count - 1).ToList();
        double[] pre = [.. hidden.Select(d => ResidualDepthPractical.MeanSquare(d.PreActivation))];
        double[] norm = [.. model.Layers.Where(l => l is BatchNormalization or LayerNormalization).Select(l => ResidualDepthPractical.MeanSquare(l.Output))];
        var loss = new BinaryCrossEntropy();
        model.Compile(loss, new Sgd(0.05, momentum: 0.9));
        double accuracy;
        try
        {
            model.Fit(train.Features, train.TargetsFor(loss, 1), new FitOptions { Epochs = Epochs, BatchSize = 32, ShuffleSeed = seed });
            accuracy = model.Evaluate(test.Features, test.TargetsFor(loss, 1)).Accuracy;
        }
        catch (TrainingDivergedException)
        {
            accuracy = double.NaN;
        }
        return new NetRun(pre, norm, accuracy, [.. hidden.Select(WeightStatistics.DistinctUnits)],
            Math.Sqrt(ResidualDepthPractical.MeanSquare(hidden[0].Kernel) * hidden[0].Kernel.Length), clock.Elapsed.TotalSeconds);
    }

    /// <summary>The per-layer geometric mean over the nets (the quantities span decades).</summary>
    private static double[] MeanTrajectory(IReadOnlyList<NetRun> runs, Func<NetRun, double[]> quantity) =>
        [.. Enumerable.Range(0, quantity(runs[0]).Length).Select(l => Math.Exp(runs.Average(r => Math.Log(quantity(r)[l]))))];

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
