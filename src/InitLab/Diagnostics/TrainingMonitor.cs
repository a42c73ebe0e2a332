using InitLab.Layers;
using InitLab.Losses;
using InitLab.Training;

namespace InitLab.Diagnostics;

/// <summary>
/// Records what practitioners watch while a net trains, every <see cref="Every"/> steps (step 0 included), per layer:
/// activation mean, std and histogram, % saturated (tanh |a| &gt; 0.97, sigmoid outside [0.03, 0.97]), % dead ReLU units,
/// gradient std, the grad:data ratio std(∇W)/std(W) and the update:data ratio log10(std(ΔW)/std(W)) (≈ −3 is the
/// reference), per residual block the branch, shortcut and output scales (<see cref="BlockSnapshot"/>) and per
/// normalization layer its output, plus the initial-loss check (step 0 against ln C). The kernels before a monitored step are copied into
/// buffers allocated once at <see cref="TrainingCallback.OnTrainBegin"/>, at the end of the step before it; a step that is
/// neither monitored nor precedes one costs a modulo and allocates nothing.
/// </summary>
public sealed class TrainingMonitor : TrainingCallback
{
    /// <summary>tanh saturation threshold for the monitor: |a| &gt; 0.97 (tanh′ = 1 − a² &lt; 0.06: the unit barely passes gradient).</summary>
    public const double TanhSaturation = 0.97;

    /// <summary>Sigmoid saturation margin: a &lt; 0.03 or a &gt; 0.97 (σ′ = a(1 − a) &lt; 0.03, an eighth of its peak).</summary>
    public const double SigmoidSaturation = 0.03;

    /// <summary>Bins of every activation histogram (ranges: <see cref="ActivationHistogram.RangeFor"/>).</summary>
    public const int HistogramBins = 40;

    /// <summary>The reference update:data ratio, 1e-3 (log10 = −3).</summary>
    public const double ReferenceUpdateToData = 1e-3;

    private readonly List<MonitorSample> _samples = [];
    private float[][] _kernelsBefore = [];
    private readonly int[] _counts = new int[HistogramBins];

    /// <summary>Creates a monitor.</summary>
    /// <param name="every">Record every K-th step (0, K, 2K, …), K ≥ 1.</param>
    public TrainingMonitor(int every = 10)
    {
        if (every < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(every), every, $"TrainingMonitor: every must be >= 1 step, got {every}.");
        }
        Every = every;
    }

    /// <summary>K: steps between two records.</summary>
    public int Every { get; }

    /// <summary>The records so far, oldest first.</summary>
    public IReadOnlyList<MonitorSample> Samples => _samples;

    /// <summary>The initial-loss check of the last fit (null before step 0, or for a loss without classes).</summary>
    public InitialLossCheck? InitialLoss { get; private set; }

    /// <inheritdoc />
    public override void OnTrainBegin(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _samples.Clear();
        InitialLoss = null;
        IReadOnlyList<Dense> layers = model.DenseLayers;
        if (_kernelsBefore.Length != layers.Count)
        {
            _kernelsBefore = new float[layers.Count][];
        }
        for (int i = 0; i < layers.Count; i++)
        {
            if (_kernelsBefore[i]?.Length != layers[i].Kernel.Length)
            {
                _kernelsBefore[i] = new float[layers[i].Kernel.Length];
            }
        }
        SaveKernels(model);
    }

    /// <inheritdoc />
    public override void OnBatchEnd(BatchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Step % Every == 0)
        {
            Record(context);
        }
        if ((context.Step + 1) % Every == 0)
        {
            SaveKernels(context.Model);
        }
    }

    /// <summary>The number of classes C the loss compares against, or null for regression losses.</summary>
    /// <param name="model">A compiled model.</param>
    /// <returns>C, or null.</returns>
    public static int? ClassesOf(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Loss? loss = model.Loss;
        if (loss is null)
        {
            return null;
        }
        if (loss.Name.Contains("categorical", StringComparison.Ordinal))
        {
            return Math.Max(2, model.OutputDim);
        }
        // Binary cross-entropy averages one two-class loss per output unit: ln 2 each.
        return loss.Name.StartsWith("binary", StringComparison.Ordinal) ? 2 : null;
    }

    /// <summary>
    /// The same per-layer statistics for a (trained) model on one batch, without an update: one forward and backward pass
    /// on (x, y); <see cref="LayerMonitorSample.UpdateToDataLog10"/> is NaN (no step is taken) and std(W) is the current kernel's.
    /// </summary>
    /// <param name="model">A compiled model.</param>
    /// <param name="x">Inputs, already preprocessed as for training.</param>
    /// <param name="y">Targets as for <see cref="Sequential.Fit"/>.</param>
    /// <returns>A sample with step 0 and epoch 0.</returns>
    public static MonitorSample Measure(Sequential model, Tensors.Tensor x, Tensors.Tensor y)
    {
        ArgumentNullException.ThrowIfNull(model);
        double loss = model.ComputeGradients(x, y);
        var counts = new int[HistogramBins];
        var layers = new LayerMonitorSample[model.DenseLayers.Count];
        for (int i = 0; i < layers.Length; i++)
        {
            Dense layer = model.DenseLayers[i];
            layers[i] = Measure(layer, layer.Kernel, double.NaN, counts);
        }
        return WithBlocks(model, new MonitorSample(0, 0, loss, layers));
    }

    private void SaveKernels(Sequential model)
    {
        IReadOnlyList<Dense> layers = model.DenseLayers;
        for (int i = 0; i < layers.Count; i++)
        {
            layers[i].Kernel.CopyTo(_kernelsBefore[i]);
        }
    }

    private void Record(BatchContext context)
    {
        Sequential model = context.Model;
        if (context.Step == 0 && ClassesOf(model) is int classes)
        {
            InitialLoss = InitialLossCheck.For(context.Loss, classes);
        }
        var layers = new LayerMonitorSample[model.DenseLayers.Count];
        for (int i = 0; i < layers.Length; i++)
        {
            Dense layer = model.DenseLayers[i];
            (_, double weightStd, _) = Probe.MeanStd(_kernelsBefore[i]);
            layers[i] = Measure(layer, _kernelsBefore[i], Math.Log10(UpdateStd(_kernelsBefore[i], layer.Kernel) / weightStd), _counts);
        }
        _samples.Add(WithBlocks(model, new MonitorSample(context.Step, context.Epoch, context.Loss, layers)));
    }

    // Blocks and normalization layers from the same forward pass (the step's batch); nothing for a plain Dense stack.
    private static MonitorSample WithBlocks(Sequential model, MonitorSample sample) => model.IsPlainDenseStack
        ? sample
        : sample with { Blocks = Probe.Blocks(model), Normalizations = Probe.Normalizations(model) };

    private static LayerMonitorSample Measure(Dense layer, ReadOnlySpan<float> kernelBefore, double updateToDataLog10, int[] counts)
    {
        ReadOnlySpan<float> a = layer.Output;
        string activation = layer.Activation.Name;
        (double mean, double std, _) = Probe.MeanStd(a);
        (_, double gradientStd, _) = Probe.MeanStd(layer.KernelGradient);
        (_, double weightStd, _) = Probe.MeanStd(kernelBefore);
        (double lower, double upper) = ActivationHistogram.RangeFor(activation);
        ActivationHistogram.Fill(a, lower, upper, counts);
        return new LayerMonitorSample(layer.Name, activation, mean, std,
            Probe.SaturatedFraction(a, activation, TanhSaturation, SigmoidSaturation), Probe.DeadFraction(a, layer.Units, activation),
            gradientStd, weightStd, gradientStd / weightStd, updateToDataLog10,
            new ActivationHistogram(lower, upper, [.. counts]));
    }

    /// <summary>std(after − before), accumulated in double, without a ΔW buffer.</summary>
    private static double UpdateStd(ReadOnlySpan<float> before, ReadOnlySpan<float> after)
    {
        double sum = 0, squares = 0;
        for (int i = 0; i < before.Length; i++)
        {
            double delta = (double)after[i] - before[i];
            sum += delta;
            squares += delta * delta;
        }
        double mean = sum / before.Length;
        return Math.Sqrt(Math.Max(0, squares / before.Length - mean * mean));
    }
}
