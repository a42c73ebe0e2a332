using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// Adds one trainable scalar to every element, y = x + b, b starting at 0: the "scalar bias" Fixup (Zhang, Dauphin &amp;
/// Ma 2019, §3) puts before each linear layer and activation of a residual branch, in place of normalization's shift.
/// </summary>
public sealed class ScalarBias : Layer
{
    private readonly float[] _value = new float[1];
    private readonly float[] _gradient = new float[1];
    private Parameter[] _parameters = [];
    private float[] _output = [];
    private float[] _outputGradient = [];

    /// <summary>Creates the layer.</summary>
    /// <param name="initialValue">b at initialisation (Fixup: 0).</param>
    /// <param name="name">Name (default scalar_bias_i, set by the model).</param>
    public ScalarBias(float initialValue = 0, string? name = null)
    {
        if (!float.IsFinite(initialValue))
        {
            throw new ArgumentOutOfRangeException(nameof(initialValue), initialValue, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"ScalarBias: initialValue must be finite, got {initialValue}; Fixup starts it at 0."));
        }
        InitialValue = initialValue;
        Name = name ?? string.Empty;
    }

    /// <summary>b at initialisation.</summary>
    public float InitialValue { get; }

    /// <summary>The current b.</summary>
    public float Value => _value[0];

    /// <inheritdoc />
    public override int OutputDim => InputDim;

    /// <inheritdoc />
    private protected override bool KeepsShape => true;

    /// <inheritdoc />
    public override string KindName => "ScalarBias";

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> OwnParameters => _parameters;

    internal override float[] OutputArray => _output;

    internal override float[] OutputGradientArray => _outputGradient;

    internal override void BuildWeights(int inputDim, Rng? rng)
    {
        CheckWidth(this, inputDim);
        InputDim = inputDim;
        _value[0] = rng is null ? 0 : InitialValue;
        // Named when built (the model names the layer first); before that there is no parameter, not a null one.
        _parameters = [new Parameter(Name + "/bias", _value, _gradient, IsBias: true)];
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
        BatchRows = rows;
        int n = rows * InputDim;
        System.Numerics.Tensors.TensorPrimitives.Add(input.AsSpan(0, n), _value[0], _output.AsSpan(0, n));
    }

    internal override void Backward(float[]? inputGradient, int threads)
    {
        int n = BatchRows * InputDim;
        ReadOnlySpan<float> dy = _outputGradient.AsSpan(0, n);
        _gradient[0] = System.Numerics.Tensors.TensorPrimitives.Sum(dy);
        if (inputGradient is not null)
        {
            dy.CopyTo(inputGradient);
        }
    }
}
