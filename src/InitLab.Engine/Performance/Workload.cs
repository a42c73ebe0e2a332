using System.Diagnostics;
using System.Globalization;
using InitLab.Kernels;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Performance;

/// <summary>
/// A benchmark workload, defined exactly as the peers define it: float32 Dense layers with ReLU between them and none
/// after the last, cross-entropy on logits with integer labels, plain SGD at 0.01, a fixed-seed pool of 8 Gaussian
/// batches with labels 0..9 (step i uses batch i mod 8), 5 untimed warm-up steps on a fresh model, then
/// <see cref="Steps"/> timed steps. With <see cref="ResidualBlocks"/> &gt; 0 (W5), that many pre-norm residual blocks
/// x + Dense(ReLU(Dense(LayerNorm(x)))) at width <c>Widths[1]</c> follow the first Dense (ReLU) layer. With
/// <see cref="Timesteps"/> &gt; 0 (R1), each row is a sequence of that many steps of <c>Widths[0]</c> features, read by
/// an LSTM of <c>Widths[1]</c> units (Keras's defaults) whose last state feeds a linear Dense layer of <c>Widths[2]</c>
/// classes. With <see cref="Convolutions"/> (C1), each row is an image that the convolutional front reads before the
/// Dense layers <c>Widths[1..]</c> (ReLU between them, none after the last).
/// </summary>
/// <param name="Id">W1…W5, C1, R1.</param>
/// <param name="Name">Short name.</param>
/// <param name="Widths">The Dense stack's widths, input first (for W5: input, block width, classes; for R1: features per
/// step, LSTM units, classes; for C1: the image's size, then the Dense widths after the Flatten).</param>
/// <param name="BatchSize">Rows per step.</param>
/// <param name="Steps">Timed steps per repeat.</param>
/// <param name="Initializer">Kernel initializer; "default" means Keras's glorot_uniform.</param>
/// <param name="ResidualBlocks">Pre-norm residual blocks after the first Dense layer (0: a plain Dense stack).</param>
/// <param name="Timesteps">Sequence length of a recurrent workload (0: not recurrent).</param>
/// <param name="Convolutions">The convolutional front of an image workload (null: none).</param>
public sealed record Workload(string Id, string Name, IReadOnlyList<int> Widths, int BatchSize, int Steps, string Initializer,
    int ResidualBlocks = 0, int Timesteps = 0, ConvolutionFront? Convolutions = null)
{
    private const int PoolSize = 8;
    private const int WarmupSteps = 5;

    /// <summary>The workloads of the performance issues (W1–W4: issue 11; W5, the residual one: issue 21; R1, the
    /// recurrent and convolutional ones: issue 22).</summary>
    public static IReadOnlyList<Workload> All { get; } =
    [
        new("W1", "tutorial", [64, 128, 128, 10], 32, 2000, "default"),
        new("W2", "mnist-mlp", [784, 512, 512, 10], 128, 200, "default"),
        new("W3", "deep-he", [256, .. Enumerable.Repeat(256, 30), 10], 128, 100, "he_normal"),
        new("W4", "wide", [1024, 2048, 2048, 10], 256, 30, "default"),
        // He-normal as the other deep workload (W3): the PyTorch peer draws kaiming_normal_(fan_in, relu) for every Linear.
        new("W5", "resnet-ln", [784, 256, 10], 128, 50, "he_normal", ResidualBlocks: 50),
        // Keras's LSTM defaults (glorot_uniform kernel, orthogonal recurrent kernel, zero bias with unit_forget_bias);
        // the peers set PyTorch's nn.LSTM to the same (bench/peers/pytorch_cnn_lstm_bench.py).
        new("R1", "lstm", [32, 128, 10], 64, 50, "default", Timesteps: 50),
        // LeNet-like, as TensorFlow's "Deep MNIST" tutorial ("same" padding: see ConvolutionFront), Keras's defaults
        // (glorot_uniform, zero bias); the peers set PyTorch's Conv2d/Linear to the same.
        new("C1", "lenet", [28 * 28, 1024, 10], 64, 20, "default", Convolutions: new([28, 28, 1], 5, [32, 64])),
    ];

    /// <summary>The shape of one input row: [features] for the Dense workloads, [timesteps, features] for R1,
    /// [height, width, channels] for C1.</summary>
    public IReadOnlyList<int> InputShape => Convolutions?.ImageShape ?? (Timesteps > 0 ? [Timesteps, Widths[0]] : [Widths[0]]);

    /// <summary>Floats per input row (the product of <see cref="InputShape"/>).</summary>
    public int InputSize => InputShape.Aggregate(1, (a, b) => a * b);

    /// <summary>
    /// Nominal FLOP per step: 6·B·Σ(in·out) over every Dense layer, the blocks' two per block included (forward, weight
    /// gradient and input gradient, 2 FLOP per multiply-add), minus the first layer's input gradient (2·B·in·out), which a
    /// training step never computes. Normalization, activations, the residual add and the update are not counted.
    /// R1: 6·B·T·4H·(F + H) for the input and recurrent GEMMs of all T steps (forward, weight gradient, input gradient;
    /// step 0's products with the zero initial state counted too), minus the sequence input's gradient 2·B·T·F·4H, plus
    /// the head's 6·B·H·C; the gates' elementwise work is not counted. C1: 6·B·Σ multiply-adds over the convolutions
    /// (per image H·W·filters·k²·channels) and the Dense layers after the Flatten, minus the first convolution's input
    /// gradient; pooling, activations and the update are not counted.
    /// </summary>
    public double FlopsPerStep
    {
        get
        {
            if (Convolutions is { } conv)
            {
                var convs = conv.MultiplyAddsPerImage;
                double macs = convs.Sum() + (double)conv.FlattenedSize * Widths[1];
                for (int i = 2; i < Widths.Count; i++)
                {
                    macs += (double)Widths[i - 1] * Widths[i];
                }
                return 6.0 * BatchSize * macs - 2.0 * BatchSize * convs[0];
            }
            if (Timesteps > 0)
            {
                double f = Widths[0], h = Widths[1], c = Widths[2];
                return 6.0 * BatchSize * Timesteps * 4 * h * (f + h) - 2.0 * BatchSize * Timesteps * f * 4 * h + 6.0 * BatchSize * h * c;
            }
            double sum = 2.0 * ResidualBlocks * Widths[1] * Widths[1];
            for (int i = 1; i < Widths.Count; i++)
            {
                sum += (double)Widths[i - 1] * Widths[i];
            }
            return 6.0 * BatchSize * sum - 2.0 * BatchSize * Widths[0] * Widths[1];
        }
    }

    /// <summary>The architecture in one short line: "784-512-512-10", "256-30×256-10", "784-256-50×[LN,256 relu,256]+x-10",
    /// "50×32-LSTM 128-10", "28×28×1-conv5×5×32-pool-conv5×5×64-pool-1024-10".</summary>
    public string Layers => Convolutions is { } conv
        ? $"{conv}-{string.Join("-", Widths.Skip(1))}"
        : Timesteps > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Timesteps}×{Widths[0]}-LSTM {Widths[1]}-{Widths[2]}")
        : ResidualBlocks > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Widths[0]}-{Widths[1]}-{ResidualBlocks}×[LN,{Widths[1]} relu,{Widths[1]}]+x-{string.Join("-", Widths.Skip(2))}")
        : Widths.Count > 6
            ? string.Create(CultureInfo.InvariantCulture, $"{Widths[0]}-{Widths.Count - 2}×{Widths[1]}-{Widths[^1]}")
            : string.Join("-", Widths);

    /// <summary>A fresh compiled model (zero bias).</summary>
    /// <param name="threads">Kernel threads.</param>
    /// <param name="seed">Weight seed.</param>
    /// <returns>The model.</returns>
    public Sequential CreateModel(int threads, ulong seed = 1)
    {
        string init = Initializer == "default" ? "glorot_uniform" : Initializer;
        var layers = new List<Layer>();
        if (Convolutions is { } conv)
        {
            layers.AddRange(conv.Layers(init));
            for (int i = 1; i < Widths.Count; i++)
            {
                layers.Add(new Dense(Widths[i], i == Widths.Count - 1 ? "linear" : "relu", init, "zeros"));
            }
            return Compiled(new Sequential(InputShape, layers, seed) { Threads = threads });
        }
        if (Timesteps > 0)
        {
            layers.Add(new Lstm(Widths[1]));
            layers.Add(new Dense(Widths[2], "linear", init, "zeros"));
            return Compiled(new Sequential(InputShape, layers, seed) { Threads = threads });
        }
        for (int i = 1; i < Widths.Count; i++)
        {
            layers.Add(new Dense(Widths[i], i == Widths.Count - 1 ? "linear" : "relu", init, "zeros"));
            if (i == 1)
            {
                for (int b = 0; b < ResidualBlocks; b++)
                {
                    layers.Add(PreNormBlock(Widths[1], init));
                }
            }
        }
        return Compiled(new Sequential(Widths[0], layers, seed) { Threads = threads });
    }

    /// <summary>Sparse cross-entropy on logits, plain SGD at 0.01: every workload's loss and optimizer.</summary>
    private static Sequential Compiled(Sequential model)
    {
        model.Compile(new CategoricalCrossEntropy(sparse: true, fromLogits: true), new Sgd(0.01));
        return model;
    }

    /// <summary>x + Dense(ReLU(Dense(LayerNorm(x)))): identity shortcut, fixed α = 1, LayerNorm with Keras's defaults.</summary>
    private static Residual PreNormBlock(int width, string init) =>
        new([new LayerNormalization(), new Dense(width, "relu", init, "zeros"), new Dense(width, "linear", init, "zeros")]);

    /// <summary>The 8 fixed-seed Gaussian batches with labels 0..9.</summary>
    /// <returns>(inputs, labels) per batch.</returns>
    public IReadOnlyList<(Tensor X, Tensor Y)> CreateBatches()
    {
        // One stream per workload, keyed by its number (never string.GetHashCode, which is randomised per process); the
        // W workloads keep streams 1-5, the others are offset by family so that R1 does not share W1's.
        ulong number = ulong.Parse(Id.AsSpan(1), CultureInfo.InvariantCulture);
        ulong family = Id[0] switch { 'W' => 0, 'C' => 100, 'R' => 200, _ => throw new InvalidOperationException($"Workload id '{Id}' has no stream family.") };
        var rng = new Rng(2024).Fork(family + number);
        int width = InputSize;
        var pool = new List<(Tensor, Tensor)>();
        for (int b = 0; b < PoolSize; b++)
        {
            var x = new float[BatchSize * width];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = (float)rng.NextNormal();
            }
            var y = new float[BatchSize];
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = rng.NextInt(Widths[^1]);
            }
            pool.Add((new Tensor(x, BatchSize, width), new Tensor(y, BatchSize, 1)));
        }
        return pool;
    }

    /// <summary>Times one repeat: a fresh model, 5 warm-up steps, then <paramref name="steps"/> timed steps.</summary>
    /// <param name="threads">Kernel threads.</param>
    /// <param name="steps">Timed steps (default <see cref="Steps"/>).</param>
    /// <returns>Milliseconds per step, bytes allocated over the timed steps (on the calling thread and the kernel workers),
    /// final loss.</returns>
    public (double MsPerStep, long AllocatedBytes, double FinalLoss) Measure(int threads, int? steps = null)
    {
        int timed = steps ?? Steps;
        Sequential model = CreateModel(threads);
        var batches = CreateBatches();
        double loss = 0;
        for (int i = 0; i < WarmupSteps; i++)
        {
            loss = model.TrainBatch(batches[i % PoolSize].X, batches[i % PoolSize].Y);
        }
        // Counted per thread (this one and the kernel workers), not process-wide: other threads of the process (a
        // test host reporting results, a profiler) must not look like the training step allocating.
        // The workers are read first: the first access to WorkerPool runs its static constructor, which allocates.
        long workersBefore = WorkerPool.AllocatedBytesOnWorkers();
        long threadBefore = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < timed; i++)
        {
            loss = model.TrainBatch(batches[i % PoolSize].X, batches[i % PoolSize].Y);
        }
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds / timed;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - threadBefore + (WorkerPool.AllocatedBytesOnWorkers() - workersBefore);
        return (ms, allocated, loss);
    }
}
