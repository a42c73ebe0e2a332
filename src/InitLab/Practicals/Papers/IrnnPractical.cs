using System.Diagnostics;
using System.Globalization;
using InitLab.Activations;
using InitLab.Data;
using InitLab.Initializers;
using InitLab.Layers;

namespace InitLab.Practicals.Papers;

/// <summary>
/// IRNN (Le, Jaitly &amp; Hinton 2015, "A simple way to initialize recurrent networks of rectified linear units"; issue 22):
/// a ReLU <see cref="SimpleRnn"/> whose recurrent matrix starts as the identity (and whose input weights are small,
/// N(0, 0.001²)) passes its state on unchanged at init, h_t = relu(h_(t−1) + x_t·W) = h_(t−1) + x_t·W for a non-negative
/// state, so every ∂h_T/∂h_t is exactly the identity on the active units and a value seen 50 steps ago is as easy to
/// reach as the last one. The paper: on the adding problem such nets learn where tanh RNNs stall. Here: T = 50, 32 units,
/// Adam; the IRNN, the same ReLU net with a glorot_uniform recurrent matrix (the "does not learn"), and Keras's
/// default tanh RNN with an orthogonal recurrent matrix. A net "learns" when its held-out MSE is ≤ ¼ of the 1/6 of
/// always predicting 1.
/// </summary>
/// <remarks>Le et al. trained with SGD, learning rates 10⁻²…10⁻⁸ chosen per task, gradients clipped, for millions of
/// sequences; InitLab has no clipping, and plain SGD (η = 10⁻² and 10⁻³, 5000 steps) left every net at the baseline in
/// our runs. With Adam (η = 10⁻³, 5000 steps of 32 fresh sequences) the IRNN learns — and so does the glorot_uniform ReLU
/// net, faster: its spectral radius is about 1 (circular law, variance 1/n), and Adam's per-weight normalization makes the
/// small gradients through time count. The practical measures that and says so; it does not claim the paper's contrast
/// for an optimizer the paper did not use.</remarks>
public static class IrnnPractical
{
    /// <summary>The paper, as cited in reports.</summary>
    public const string Paper = "Le, Jaitly & Hinton 2015, A Simple Way to Initialize Recurrent Networks of Rectified Linear Units (IRNN); the adding problem of Hochreiter & Schmidhuber 1997";

    /// <summary>The formula the practical checks.</summary>
    public const string Formula = "IRNN: U = I, W ~ N(0, 0.001²): h_t = h_(t−1) + x_t·W at init, ∂h_T/∂h_t = I on active units; learned when held-out MSE ≤ ¼·Var(u₁ + u₂) = ¼·(1/6)";

    /// <summary>T: the sequence length.</summary>
    public const int Timesteps = 50;

    /// <summary>The state width.</summary>
    public const int Units = 32;

    /// <summary>Adam steps (each on 32 fresh sequences).</summary>
    public const int Steps = 5000;

    /// <summary>Sequences per step.</summary>
    public const int Batch = 32;

    /// <summary>Adam's η: 10⁻² blew the IRNN's loss up to 10⁵ in its first 50 steps in our runs.</summary>
    public const double LearningRate = 1e-3;

    /// <summary>The standard deviation of the input weights of the ReLU nets (Le et al.'s small Gaussian).</summary>
    public const double InputStdDev = 0.001;

    /// <summary>A net has learned when its held-out MSE is at most this: a quarter of the baseline 1/6.</summary>
    public static double LearnedMse { get; } = AddingProblem.ConstantBaselineMse / 4;

    /// <summary>The networks.</summary>
    public static IReadOnlyList<string> Networks { get; } = ["identity-relu", "glorot-relu", "orthogonal-tanh"];

    /// <summary>Trains every network over the seeds (side by side: each run is single-threaded, so the same bits as alone).</summary>
    /// <param name="seeds">Weight seeds (1, 2, …).</param>
    /// <param name="quick">Unused: the step budget is what lets the IRNN learn; quick runs use fewer seeds.</param>
    /// <returns>One check per network.</returns>
    public static IReadOnlyList<PaperCheck> Run(int seeds, bool quick)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        _ = quick;
        var clock = Stopwatch.StartNew();
        var runs = new AddingProblemTraining.Run[Networks.Count][];
        for (int n = 0; n < Networks.Count; n++)
        {
            runs[n] = new AddingProblemTraining.Run[seeds];
        }
        Parallel.For(0, Networks.Count * seeds, i => runs[i / seeds][i % seeds] = Train(Networks[i / seeds], (ulong)(i % seeds) + 1));
        double seconds = clock.Elapsed.TotalSeconds;
        return [.. Networks.Select((n, i) => Check(n, runs[i], i == 0 ? seconds : 0))];
    }

    /// <summary>The recurrent layer of a network.</summary>
    /// <param name="network">A name from <see cref="Networks"/>.</param>
    /// <returns>A fresh layer.</returns>
    public static SimpleRnn Layer(string network) => network switch
    {
        "identity-relu" => new SimpleRnn(Units, activation: new Relu(), kernelInitializer: new RandomNormal(0, InputStdDev), recurrentInitializer: new Identity()),
        "glorot-relu" => new SimpleRnn(Units, activation: new Relu(), kernelInitializer: new RandomNormal(0, InputStdDev), recurrentInitializer: VarianceScaling.GlorotUniform()),
        "orthogonal-tanh" => new SimpleRnn(Units),
        _ => throw new Common.UnknownNameException("irnn network", network, Networks, nameof(network)),
    };

    /// <summary>One network trained with one seed.</summary>
    /// <param name="network">A name from <see cref="Networks"/>.</param>
    /// <param name="seed">Weight and data seed.</param>
    /// <returns>The run.</returns>
    public static AddingProblemTraining.Run Train(string network, ulong seed) =>
        AddingProblemTraining.Train(Layer(network), Timesteps, Steps, Batch, LearningRate, seed);

    /// <summary>The check of one network from its runs.</summary>
    /// <param name="network">A name from <see cref="Networks"/>.</param>
    /// <param name="runs">One run per seed.</param>
    /// <param name="seconds">Wall time.</param>
    /// <returns>The check.</returns>
    public static PaperCheck Check(string network, IReadOnlyList<AddingProblemTraining.Run> runs, double seconds)
    {
        ArgumentNullException.ThrowIfNull(runs);
        double[] mse = [.. runs.Select(r => r.TestMse)];
        double baseline = AddingProblem.ConstantBaselineMse;
        string learned = string.Create(CultureInfo.InvariantCulture, $"{mse.Count(m => m <= LearnedMse)} of {mse.Length} seeds below ¼ of the baseline");
        (string claim, string criterion, bool passed) = network switch
        {
            "identity-relu" => ($"IRNN (identity recurrent matrix, ReLU) learns the adding problem at T = {Timesteps}: held-out MSE well below the 1/6 of predicting 1 ({learned}).",
                string.Create(CultureInfo.InvariantCulture, $"every seed's held-out MSE ≤ ¼·1/6 = {LearnedMse:0.###}"), mse.All(m => m <= LearnedMse)),
            "glorot-relu" => ($"The issue (after Le et al.): the same ReLU net with a glorot_uniform recurrent matrix does not learn. Measured with Adam: {learned} — it learns, faster than the IRNN; Le et al.'s contrast was under clipped SGD.",
                string.Create(CultureInfo.InvariantCulture, $"every seed's held-out MSE > ½·1/6 = {baseline / 2:0.###} (not learned)"), mse.All(m => m > baseline / 2)),
            _ => ($"Keras's default tanh RNN (orthogonal recurrent matrix), between the two in the paper: reported ({learned}).", "reported only", true),
        };
        return new PaperCheck("irnn", network, Paper, Formula, claim, baseline, mse.Average(), mse, criterion, passed, [], seconds)
        { MeasuredTrajectory = AddingProblemTraining.MeanCurve(runs) };
    }
}
