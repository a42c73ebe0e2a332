using System.Diagnostics;
using InitLab.Activations;
using InitLab.Common;
using InitLab.Data;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Practicals.Papers;

/// <summary>
/// Plain deep CNNs (issue 22): no BatchNorm, no skips — <see cref="Channels"/>-channel 3×3 "same" ReLU convolutions, 10
/// or 30 of them, on the digits as 8×8×1 images, then Flatten → Dense(10, softmax). Given a layer's input a (NHWC) and
/// kernel weights drawn i.i.d. with mean 0 and variance σ², the pre-activation at pixel p, filter f has
/// E[z²] = σ²·Σ_(taps t inside the image) Σ_c a²_(p+t,c), and ReLU keeps exactly half of it in expectation (the weights'
/// law is symmetric, z and −z are equally likely). So per layer the per-pixel sum of squares S(p) = mean over rows of
/// Σ_c a²_(p,c) maps as E[S'] = ½·C·σ²·(A·S), A the 3×3 box sum with zero padding. He (σ² = 2/(9C)) gives A/9: 1 in the
/// interior, but the zero border leaks — the top eigenvalue of A/9 on 8×8 is (1 + 2cos(π/9))²/9 = 0.921 per layer.
/// Glorot (fan_avg = 9C for C→C, σ² = 1/(9C)) gives A/18: half of that per layer, 0.46^29 ≈ 10⁻¹⁰ over the net — the
/// stall. Delta-orthogonal with gain √2 (Xiao et al. 2018) puts √2·H, H orthogonal, at the centre tap only: ‖z_p‖² =
/// 2‖a_p‖² exactly and ReLU halves it in expectation (H and −H are equally likely): E[S'] = S, pixel by pixel, no leak.
/// </summary>
/// <remarks>Each statement is an exact conditional expectation over one layer's fresh weights, so the residuals
/// (measured − expected)/expected of successive layers are martingale differences: their mean over layers and seeds is
/// compared with 0 by its plain standard error. Iterating the linear map from the input's per-pixel mean square gives the
/// exact expectation E[q_l] at every layer (no mean-field or large-width step), drawn beside the measured per-layer
/// std.</remarks>
public static class DeepCnnPractical
{
    /// <summary>The papers, as cited in reports.</summary>
    public const string Paper = "He et al. 2015, Delving Deep into Rectifiers; Glorot & Bengio 2010; Xiao et al. 2018, Dynamical Isometry and a Mean Field Theory of CNNs (delta-orthogonal)";

    /// <summary>The formulas the practical checks.</summary>
    public const string Formula = "E[z²_(p,f) | a] = σ²·Σ_(t in image) Σ_c a²_(p+t,c), E[relu(z)²] = ½E[z²]: per layer E[S'] = ½·C·σ²·A·S (He A/9, Glorot A/18, A the 3×3 zero-padded box sum); delta-orthogonal gain √2: ‖z_p‖² = 2‖a_p‖², E[S'] = S";

    /// <summary>Channels of every convolution (16: the narrowest at which delta-orthogonal trained at depth 30 for every
    /// seed in 4 epochs; at 8 it did not for 2 of 3 seeds).</summary>
    public const int Channels = 16;

    /// <summary>Rows of the probe batch the per-layer statistics are measured on.</summary>
    public const int ProbeRows = 256;

    /// <summary>Training rows (of the digits' 1437 after holding out 360): a depth-30 net takes about 2 s of CPU.</summary>
    public const int TrainingRows = 720;

    /// <summary>Epochs of Adam (learning rate <see cref="LearningRate"/>, batch 32).</summary>
    public const int Epochs = 4;

    /// <summary>Adam's learning rate (its per-weight step does not undo the stall: measured).</summary>
    public const double LearningRate = 1e-3;

    /// <summary>Standard errors allowed between the mean one-step residual and 0 (two-sided, about 6e-5 by chance).</summary>
    public const double StandardErrors = 4;

    /// <summary>A net "trains" when its last epoch's mean training loss is at most half the chance loss ln 10.</summary>
    public static double TrainedLoss { get; } = Math.Log(10) / 2;

    /// <summary>A net "stalls" when its last epoch's mean training loss is still within 2 % of ln 10.</summary>
    public static double StalledLoss { get; } = 0.98 * Math.Log(10);

    /// <summary>Delta-orthogonal's gain for ReLU: √2 (ReLU keeps half the mean square).</summary>
    public static double DeltaGain { get; } = Math.Sqrt(2);

    /// <summary>The depths (convolutions).</summary>
    public static IReadOnlyList<int> Depths { get; } = [10, 30];

    /// <summary>The kernel initializers compared.</summary>
    public static IReadOnlyList<string> Inits { get; } = ["he_normal", "glorot_uniform", "delta_orthogonal"];

    /// <summary>Runs every init at every depth over the seeds: a signal check each, and a training check (quick: at
    /// depth 30 only).</summary>
    /// <param name="seeds">Weight seeds (1, 2, …).</param>
    /// <param name="quick">Train only the depth-30 nets.</param>
    /// <returns>The checks.</returns>
    public static IReadOnlyList<PaperCheck> Run(int seeds, bool quick)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        (Dataset train, Tensor probe) = Data();
        var checks = new List<PaperCheck>();
        foreach (int depth in Depths)
        {
            foreach (string init in Inits)
            {
                checks.Add(Signal(init, depth, seeds, probe));
            }
        }
        foreach (int depth in quick ? [Depths[^1]] : Depths)
        {
            checks.AddRange(Training(depth, seeds, train));
        }
        return checks;
    }

    /// <summary>The digits (pixels/16, rows are 8×8 images row-major), 360 rows held out, the first
    /// <see cref="TrainingRows"/> training rows, and their first <see cref="ProbeRows"/> as the probe batch.</summary>
    /// <returns>Training set and probe batch.</returns>
    public static (Dataset Train, Tensor Probe) Data()
    {
        Dataset digits = FeatureTransforms.Apply(BuiltInData.Load("digits"), x => FeatureTransforms.DivideBy(x, 16));
        Dataset train = digits.Split(testRows: 360, seed: 0).Train.Subset([.. Enumerable.Range(0, TrainingRows)], "digits (train)");
        return (train, new Tensor(train.Features.Data[..(ProbeRows * train.FeatureCount)], ProbeRows, train.FeatureCount));
    }

    /// <summary>The net: <paramref name="depth"/> × Conv2D(<see cref="Channels"/>, 3×3, same, relu, zero bias), Flatten,
    /// Dense(10, softmax, glorot_uniform). Flatten, not GlobalAveragePooling2D: delta-orthogonal starts every kernel as a
    /// 1×1 map, so after global pooling the net would see a bag of pixel intensities (with pooling no depth-30 net trained
    /// in 4 epochs, He's included).</summary>
    /// <param name="init">A name from <see cref="Inits"/>.</param>
    /// <param name="depth">Convolutions.</param>
    /// <returns>The unbuilt layers.</returns>
    public static IReadOnlyList<Layer> Layers(string init, int depth)
    {
        ArgumentNullException.ThrowIfNull(init);
        if (!Inits.Contains(init))
        {
            throw new UnknownNameException("deep-cnn initializer", init, Inits, nameof(init));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        var layers = new List<Layer>();
        for (int l = 0; l < depth; l++)
        {
            IInitializer kernel = init == "delta_orthogonal" ? new DeltaOrthogonal(DeltaGain) : InitializerRegistry.Resolve(init);
            layers.Add(new Conv2D(Channels, (3, 3), padding: ConvolutionPadding.Same, activation: ActivationRegistry.Resolve("relu"), kernelInitializer: kernel));
        }
        layers.Add(new Flatten());
        layers.Add(new Dense(10, "softmax"));
        return layers;
    }

    /// <summary>The built net for a seed (the digits rows as 8×8×1 images).</summary>
    /// <param name="init">A name from <see cref="Inits"/>.</param>
    /// <param name="depth">Convolutions.</param>
    /// <param name="seed">Weight seed.</param>
    /// <returns>The model, single-threaded.</returns>
    public static Sequential Build(string init, int depth, ulong seed) => new(ImageShape, Layers(init, depth), seed) { Threads = 1 };

    /// <summary>The kernel weights' variance σ² of a convolution from <paramref name="inChannels"/> to
    /// <paramref name="outChannels"/> (3×3; Keras fans kh·kw·C): He 2/fan_in, Glorot 2/(fan_in + fan_out). Delta-orthogonal's
    /// weights are not i.i.d.; it has no σ² (NaN).</summary>
    /// <param name="init">A name from <see cref="Inits"/>.</param>
    /// <param name="inChannels">C_in.</param>
    /// <param name="outChannels">C_out.</param>
    /// <returns>σ².</returns>
    public static double KernelVariance(string init, int inChannels, int outChannels) => init switch
    {
        "he_normal" => 2.0 / (9 * inChannels),
        "glorot_uniform" => 2.0 / (9 * inChannels + 9 * outChannels),
        _ => double.NaN,
    };

    /// <summary>The exact expectation over the weights of every layer's pre-activation mean square E[q_l], l = 1..depth,
    /// from the input's per-pixel mean square: the per-pixel linear map of <see cref="ExpectedStep"/> iterated (exact by the tower
    /// property, since each step is linear in S).</summary>
    /// <param name="init">A name from <see cref="Inits"/>.</param>
    /// <param name="depth">Convolutions.</param>
    /// <param name="inputPixelMeanSquare">Per pixel (row-major 8×8), the mean over the probe rows of x².</param>
    /// <returns><paramref name="depth"/> values.</returns>
    public static double[] PredictedMeanSquares(string init, int depth, IReadOnlyList<double> inputPixelMeanSquare)
    {
        ArgumentNullException.ThrowIfNull(inputPixelMeanSquare);
        double[] s = [.. inputPixelMeanSquare]; // S(p): mean over rows of Σ_c a²_(p,c)
        var q = new double[depth];
        int channels = 1;
        for (int l = 0; l < depth; l++)
        {
            (q[l], s) = ExpectedStep(init, channels, s);
            channels = Channels;
        }
        return q;
    }

    /// <summary>One layer's exact conditional expectation given its input's per-pixel sum of squares S (over channels,
    /// mean over rows): E[mean z²] over rows, pixels and filters, and E[S'] of the ReLU output, per pixel.</summary>
    internal static (double PreActivationMeanSquare, double[] NextPixelSums) ExpectedStep(string init, int inChannels, double[] pixelSums)
    {
        int pixels = pixelSums.Length;
        var zSums = new double[pixels]; // E[Σ_f z²_(p,f)]
        if (init == "delta_orthogonal")
        {
            // The in×out centre matrix has orthonormal rows (in ≤ out): ‖z_p‖² = gain²·‖a_p‖² exactly.
            for (int p = 0; p < pixels; p++)
            {
                zSums[p] = DeltaGain * DeltaGain * pixelSums[p];
            }
        }
        else
        {
            double perFilter = KernelVariance(init, inChannels, Channels);
            for (int p = 0; p < pixels; p++)
            {
                zSums[p] = Channels * perFilter * BoxSum(pixelSums, p);
            }
        }
        return (zSums.Average() / Channels, [.. zSums.Select(z => z / 2)]);
    }

    /// <summary>One init at one depth: per layer the pre-activation std √(mean z²) on the probe batch, each layer's ReLU
    /// output mean square against its exact conditional expectation, and the last layer's std against the exact
    /// expectation iterated from the input.</summary>
    /// <param name="init">A name from <see cref="Inits"/>.</param>
    /// <param name="depth">Convolutions.</param>
    /// <param name="seeds">Weight seeds.</param>
    /// <param name="probe">Probe rows (64 pixels each).</param>
    /// <returns>The check.</returns>
    public static PaperCheck Signal(string init, int depth, int seeds, Tensor probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var clock = Stopwatch.StartNew();
        double[] input = PixelSums(probe.Data, probe.Shape[0], 1);
        double[] predicted = [.. PredictedMeanSquares(init, depth, input).Select(Math.Sqrt)];
        var stds = new List<double[]>();
        var residuals = new List<double>();
        for (ulong seed = 1; seed <= (ulong)seeds; seed++)
        {
            Sequential model = Build(init, depth, seed);
            model.Forward(probe);
            Conv2D[] convs = [.. model.Layers.OfType<Conv2D>()];
            double[] previous = input;
            int channels = 1;
            var std = new double[depth];
            for (int l = 0; l < depth; l++)
            {
                std[l] = Math.Sqrt(ResidualDepthPractical.MeanSquare(convs[l].PreActivation));
                double[] sums = PixelSums(convs[l].Output, probe.Shape[0], Channels);
                double expected = ExpectedStep(init, channels, previous).NextPixelSums.Average();
                residuals.Add((sums.Average() - expected) / expected);
                previous = sums;
                channels = Channels;
            }
            stds.Add(std);
        }
        double[] measured = [.. Enumerable.Range(0, depth).Select(l => Math.Exp(stds.Average(s => Math.Log(s[l]))))];
        double mean = residuals.Average(), error = SampleStatistics.StandardError([.. residuals]);
        bool onStep = Math.Abs(mean) <= StandardErrors * error;
        double perLayer = Math.Pow(predicted[^1] / predicted[0], 1.0 / (depth - 1));
        string claim = init switch
        {
            "he_normal" => Invariant($"He (σ² = 2/(9C)): ReLU's half is made up, E[S'] = A·S/9 — the std holds in the interior; the zero border leaks (top eigenvalue 0.921 per layer): std ×{perLayer:0.###} per layer, σ_{depth} = {predicted[^1]:G3}."),
            "glorot_uniform" => Invariant($"Glorot (fan_avg = 9C, σ² = 1/(9C)): half of He's variance, E[S'] = A·S/18 — the mean square halves per layer and more at the border: std ×{perLayer:0.###} per layer, σ_{depth} = {predicted[^1]:G3}."),
            _ => Invariant($"Delta-orthogonal, gain √2: ‖z_p‖² = 2‖a_p‖² at every pixel, ReLU halves it: E[S'] = S, no spatial mixing and no border leak; σ_{depth} = {predicted[^1]:G3} (σ_1 = {predicted[0]:G3}: the first layer spreads one channel over {Channels})."),
        };
        // Growth over the net: Var[ln q_L/q_1] ≈ β = 5·Σ1/C (Hanin & Rolnick 2018 with the C filters as the width; averaging
        // over pixels and rows only lowers it), so ln(σ_L/σ_1) = ½·ln(q_L/q_1) has SE ½·√(β/seeds); and its mean sits below
        // ln of the exact expectation by Jensen — by ½·Var/2 ≤ β/4 for a log-normal ratio. Allowed: [−β/4 − 4 SE, 4 SE].
        double beta = 5.0 * (depth - 1) / Channels;
        double allowed = StandardErrors * 0.5 * Math.Sqrt(beta / seeds);
        double[] ratios = [.. stds.Select(s => s[^1] / s[0])];
        double logGap = ratios.Average(Math.Log) - Math.Log(predicted[^1] / predicted[0]);
        bool growth = logGap <= allowed && logGap >= -beta / 4 - allowed;
        return new PaperCheck("deep-cnn", Invariant($"{init}@{depth} signal"), Paper, Formula, claim, predicted[^1], measured[^1],
            [.. stds.Select(s => s[^1])],
            Invariant($"mean one-step residual (ReLU output's mean square vs its conditional expectation) within {StandardErrors} SE of 0 (mean {mean:G2}, SE {error:G2}, {residuals.Count} layers), and mean ln(σ_L/σ_1) − ln(its exact-expectation value) = {logGap:0.##} in [−β/4 − 4 SE, 4 SE] = [{-beta / 4 - allowed:0.##}, {allowed:0.##}] (β = 5·Σ1/C ≈ Var[ln q], Jensen's deficit ≤ β/4)"),
            onStep && growth, [], clock.Elapsed.TotalSeconds)
        { MeasuredTrajectory = measured, PredictedTrajectory = predicted };
    }

    /// <summary>The three inits at one depth trained for <see cref="Epochs"/> epochs of Adam: the last epoch's mean training
    /// loss per seed. At depth 30 He and delta-orthogonal train and Glorot stalls near ln 10; at depth 10 all three
    /// train.</summary>
    /// <param name="depth">Convolutions.</param>
    /// <param name="seeds">Weight seeds.</param>
    /// <param name="train">Training set.</param>
    /// <returns>One check per init.</returns>
    public static IReadOnlyList<PaperCheck> Training(int depth, int seeds, Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        // Independent single-threaded nets, trained side by side: each gives the same bits as alone.
        var curves = new double[Inits.Count * seeds][];
        var seconds = new double[curves.Length];
        Parallel.For(0, curves.Length, i =>
        {
            var clock = Stopwatch.StartNew();
            curves[i] = TrainCurve(Inits[i / seeds], depth, (ulong)(i % seeds) + 1, train);
            seconds[i] = clock.Elapsed.TotalSeconds;
        });
        var checks = new List<PaperCheck>();
        double chance = Math.Log(10);
        for (int k = 0; k < Inits.Count; k++)
        {
            string init = Inits[k];
            double[][] mine = curves[(k * seeds)..((k + 1) * seeds)];
            double[] finals = [.. mine.Select(c => c.Length == Epochs ? c[^1] : double.NaN)];
            bool stalls = init == "glorot_uniform" && depth >= 30;
            (string claim, string criterion, bool passed) = stalls
                ? (Invariant($"Glorot at depth {depth}: the signal reaching the classifier is ≈ 10⁻¹⁰ of the input's mean square — training stalls, the loss stays near ln 10 = {chance:0.###}."),
                    Invariant($"every seed's last-epoch loss ≥ 0.98·ln 10 = {StalledLoss:0.###}"), finals.All(f => f >= StalledLoss))
                : (Invariant($"{init} at depth {depth} trains: the last epoch's training loss ≤ ½·ln 10 (chance is ln 10 = {chance:0.###})."),
                    Invariant($"every seed's last-epoch loss ≤ {TrainedLoss:0.###}"), finals.All(f => f <= TrainedLoss));
            checks.Add(new PaperCheck("deep-cnn", Invariant($"{init}@{depth} training"), Paper, Formula, claim, chance, finals.Average(), finals,
                criterion, passed, [], seconds[(k * seeds)..((k + 1) * seeds)].Sum())
            {
                MeasuredTrajectory = [.. Enumerable.Range(0, Epochs).Select(e => mine.Where(c => c.Length > e).Select(c => c[e]).DefaultIfEmpty(double.NaN).Average())],
            });
        }
        return checks;
    }

    private static readonly int[] ImageShape = [8, 8, 1];

    private const int Side = 8;

    private static double[] TrainCurve(string init, int depth, ulong seed, Dataset train)
    {
        Sequential model = Build(init, depth, seed);
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

    /// <summary>S(p) = mean over rows of Σ_c a²_(p,c), for NHWC rows of 8×8×channels.</summary>
    private static double[] PixelSums(ReadOnlySpan<float> values, int rows, int channels)
    {
        var sums = new double[Side * Side];
        for (int r = 0; r < rows; r++)
        {
            for (int p = 0; p < sums.Length; p++)
            {
                ReadOnlySpan<float> pixel = values.Slice((r * sums.Length + p) * channels, channels);
                foreach (float v in pixel)
                {
                    sums[p] += (double)v * v;
                }
            }
        }
        for (int p = 0; p < sums.Length; p++)
        {
            sums[p] /= rows;
        }
        return sums;
    }

    /// <summary>Σ of <paramref name="s"/> over the 3×3 window around pixel <paramref name="p"/> that lies inside the image
    /// ("same" padding adds zeros outside).</summary>
    private static double BoxSum(double[] s, int p)
    {
        int y = p / Side, x = p % Side;
        double sum = 0;
        for (int dy = -1; dy <= 1; dy++)
        {
            for (int dx = -1; dx <= 1; dx++)
            {
                if (y + dy is >= 0 and < Side && x + dx is >= 0 and < Side)
                {
                    sum += s[(y + dy) * Side + x + dx];
                }
            }
        }
        return sum;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
