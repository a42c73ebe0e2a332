using System.Globalization;
using System.Numerics.Tensors;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// Inverted dropout (Srivastava et al. 2014; Keras <c>layers.Dropout</c>, PyTorch <c>nn.Dropout</c>): in
/// <see cref="PassMode.Train"/> each value is kept with probability 1 − rate and scaled by 1/(1 − rate), or set to 0, so
/// E[y] = x and inference needs no rescaling; in <see cref="PassMode.Infer"/> and <see cref="PassMode.Probe"/> it is the
/// identity. No weights; the output keeps the input's shape.
/// </summary>
/// <remarks>
/// <para>Probe does not drop. Keras's <c>training=True</c> would, but a probe is a measurement ("looking at a model never
/// changes it"): dropping there would advance the mask stream, so a diagnostic run between two training steps would
/// change every later mask, and gradient checks and signal-propagation probes would measure one random sub-network
/// instead of the model. Diagnostics that want the training-time noise can run a <see cref="PassMode.Train"/> pass.</para>
/// <para>Randomness. The masks come from the layer's own stream, <c>rng.Fork(0)</c> of the stream the model gives the
/// layer at build (layer i gets stream i of the model's seed), drawn on the calling thread, one 53-bit uniform u per
/// value in row-major order, kept when u ≥ rate (Keras's rule). The stream advances by rows×width draws per training
/// pass, so the same seed and the same batches give the same masks on any thread count, and
/// <see cref="Training.Sequential.Initialize"/> restarts it. A model loaded from a file is built without a generator
/// (<c>rng</c> null); its dropout layers then draw from a fixed stream (key <see cref="LoadedModelKey"/>), so further
/// training is still deterministic, but the masks do not depend on the saved seed.</para>
/// </remarks>
public sealed class Dropout : Layer
{
    /// <summary>The key of the mask stream of a layer built without a generator (a loaded model).</summary>
    public const ulong LoadedModelKey = 0x44524F50_4F555421;

    private float[] _mask = [];
    private float[] _output = [];
    private float[] _outputGradient = [];
    private Rng _noise = new Rng(LoadedModelKey).Fork(0);
    private bool _dropped;

    /// <summary>Creates the layer.</summary>
    /// <param name="rate">Fraction of values dropped in training, in [0, 1) (Keras's argument name; PyTorch's <c>p</c>).</param>
    /// <param name="name">Name (default dropout_i, set by the model).</param>
    public Dropout(double rate, string? name = null)
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, string.Create(CultureInfo.InvariantCulture,
                $"Dropout: rate must be in [0, 1) (the fraction of values dropped in training, e.g. 0.5), got {rate}."));
        }
        Rate = rate;
        Scale = (float)(1 / (1 - rate));
        Name = name ?? string.Empty;
    }

    /// <summary>The fraction of values dropped in training.</summary>
    public double Rate { get; }

    /// <summary>The factor a kept value is multiplied by in training, 1/(1 − rate).</summary>
    public float Scale { get; }

    /// <inheritdoc />
    public override int OutputDim => InputDim;

    /// <inheritdoc />
    private protected override bool KeepsShape => true;

    /// <inheritdoc />
    public override string KindName => "Dropout";

    /// <summary>The multipliers of the last forward pass (rows×width: 0 for a dropped value, <see cref="Scale"/> for a
    /// kept one), or empty when that pass did not drop (inference, probe, or rate 0).</summary>
    public ReadOnlySpan<float> Mask => _dropped ? _mask.AsSpan(0, BatchRows * InputDim) : [];

    internal override float[] OutputArray => _output;

    internal override float[] OutputGradientArray => _outputGradient;

    internal override void BuildWeights(int inputDim, Rng? rng)
    {
        CheckWidth(this, inputDim);
        InputDim = inputDim;
        _noise = (rng ?? new Rng(LoadedModelKey)).Fork(0);
    }

    internal override void EnsureCapacity(int rows)
    {
        int needed = rows * InputDim;
        if (_output.Length < needed)
        {
            _output = new float[needed];
            _outputGradient = new float[needed];
            _mask = new float[needed];
        }
    }

    internal override void Forward(float[] input, int rows, PassMode mode, int threads)
    {
        CheckInput(this, input, rows);
        EnsureCapacity(rows);
        BatchRows = rows;
        int n = rows * InputDim;
        _dropped = mode == PassMode.Train && Rate > 0;
        if (!_dropped)
        {
            input.AsSpan(0, n).CopyTo(_output);
            return;
        }
        Span<float> mask = _mask.AsSpan(0, n);
        double rate = Rate;
        float scale = Scale;
        Rng noise = _noise;
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = noise.NextDouble() >= rate ? scale : 0f;
        }
        TensorPrimitives.Multiply(input.AsSpan(0, n), mask, _output.AsSpan(0, n));
    }

    internal override void Backward(float[]? inputGradient, int threads)
    {
        if (inputGradient is null)
        {
            return;
        }
        int n = BatchRows * InputDim;
        if (_dropped)
        {
            TensorPrimitives.Multiply(_outputGradient.AsSpan(0, n), _mask.AsSpan(0, n), inputGradient.AsSpan(0, n));
        }
        else
        {
            _outputGradient.AsSpan(0, n).CopyTo(inputGradient);
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Dropout '{Name}' rate {Rate}");
}
