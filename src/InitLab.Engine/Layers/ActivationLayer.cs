using InitLab.Activations;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// Applies an activation on its own, a = φ(x) (Keras <c>layers.Activation</c>, PyTorch <c>nn.ReLU</c> and friends): what
/// a block needs when the nonlinearity comes after a normalization (Dense → BatchNormalization → ReLU) rather than
/// inside a <see cref="Dense"/>. No weights.
/// </summary>
public sealed class ActivationLayer : Layer
{
    private float[] _input = [];
    private float[] _output = [];
    private float[] _outputGradient = [];

    /// <summary>Creates the layer.</summary>
    /// <param name="activation">The activation.</param>
    /// <param name="name">Name (default activation_i, set by the model).</param>
    public ActivationLayer(Activation activation, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(activation);
        Activation = activation;
        Name = name ?? string.Empty;
    }

    /// <summary>Creates the layer from a registry name, e.g. <c>new ActivationLayer("relu")</c>.</summary>
    /// <param name="activation">Activation name.</param>
    public ActivationLayer(string activation)
        : this(ActivationRegistry.Resolve(activation))
    {
    }

    /// <summary>The activation.</summary>
    public Activation Activation { get; }

    /// <inheritdoc />
    public override int OutputDim => InputDim;

    /// <inheritdoc />
    private protected override bool KeepsShape => true;

    /// <inheritdoc />
    public override string KindName => "Activation";

    /// <summary>The input of the last forward pass (rows×width).</summary>
    public ReadOnlySpan<float> Input => _input.AsSpan(0, BatchRows * InputDim);

    internal override float[] OutputArray => _output;

    internal override float[] OutputGradientArray => _outputGradient;

    internal override void BuildWeights(int inputDim, Rng? rng)
    {
        CheckWidth(this, inputDim);
        InputDim = inputDim;
    }

    internal override void EnsureCapacity(int rows)
    {
        int needed = rows * InputDim;
        if (_output.Length < needed)
        {
            _output = new float[needed];
            _outputGradient = new float[needed];
        }
    }

    internal override void Forward(float[] input, int rows, PassMode mode, int threads)
    {
        CheckInput(this, input, rows);
        EnsureCapacity(rows);
        _input = input;
        BatchRows = rows;
        int n = rows * InputDim;
        Activation.Forward<float>(input.AsSpan(0, n), _output.AsSpan(0, n), InputDim);
    }

    internal override void Backward(float[]? inputGradient, int threads)
    {
        if (inputGradient is null)
        {
            return;
        }
        int n = BatchRows * InputDim;
        Activation.Backward<float>(_input.AsSpan(0, n), _output.AsSpan(0, n), _outputGradient.AsSpan(0, n), inputGradient.AsSpan(0, n), InputDim);
    }

    /// <inheritdoc />
    public override string ToString() => $"Activation '{Name}' {Activation.Name}";
}
