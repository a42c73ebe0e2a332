using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// Keras <c>Flatten</c>: an H×W×C image becomes a vector of H·W·C features, in the same row-major (channels-last) order
/// — the rows are already flat, so only <see cref="Layer.OutputShape"/> changes. The output is the input array itself
/// (nothing is copied forward); backward copies ∂loss/∂output into the previous layer's gradient buffer.
/// </summary>
/// <remarks>PyTorch's <c>nn.Flatten</c> on NCHW tensors orders the features (c, h, w); a Dense kernel after a Flatten
/// therefore has its rows permuted between the two frameworks (Keras's order is (h, w, c)).</remarks>
public sealed class Flatten : Layer
{
    private float[] _input = [];
    private float[] _outputGradient = [];

    /// <summary>Creates the layer.</summary>
    /// <param name="name">Name (default flatten_i, set by the model).</param>
    public Flatten(string? name = null) => Name = name ?? string.Empty;

    /// <inheritdoc />
    public override int OutputDim => InputDim;

    /// <inheritdoc />
    public override string KindName => "Flatten";

    /// <summary>The forward input, passed through by reference.</summary>
    internal override float[] OutputArray => _input;

    internal override float[] OutputGradientArray => _outputGradient;

    internal override void BuildWeights(int inputDim, Rng? rng)
    {
        CheckWidth(this, inputDim);
        InputDim = inputDim;
    }

    internal override void EnsureCapacity(int rows)
    {
        int needed = rows * InputDim;
        if (_outputGradient.Length < needed)
        {
            _outputGradient = new float[needed];
        }
    }

    internal override void Forward(float[] input, int rows, PassMode mode, int threads)
    {
        CheckInput(this, input, rows);
        EnsureCapacity(rows);
        _input = input;
        BatchRows = rows;
    }

    internal override void Backward(float[]? inputGradient, int threads)
    {
        if (inputGradient is not null)
        {
            _outputGradient.AsSpan(0, BatchRows * InputDim).CopyTo(inputGradient);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Flatten '{Name}' [{string.Join(", ", InputShape)}]→[{InputDim}]";
}
