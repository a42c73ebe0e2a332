using System.Globalization;
using System.Numerics.Tensors;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// Global average pooling (Keras <c>layers.GlobalAveragePooling2D</c> with <c>keepdims=False</c>, PyTorch
/// <c>nn.AdaptiveAvgPool2d(1)</c> + flatten): each channel's mean over the whole image, [H, W, C] → [C]. What ends a
/// network-in-network or ResNet instead of a wide Dense on the flattened features. No weights.
/// </summary>
/// <remarks>y_c = (1/(H·W)) Σ_{h,w} x_{h,w,c}; ∂loss/∂x_{h,w,c} = ∂loss/∂y_c / (H·W). The sum runs in a fixed order on the
/// calling thread, so the result does not depend on the thread count.</remarks>
public sealed class GlobalAveragePooling2D : Layer
{
    private float[] _output = [];
    private float[] _outputGradient = [];
    private int _pixels;

    /// <summary>Creates the layer.</summary>
    /// <param name="name">Name (default set by the model).</param>
    public GlobalAveragePooling2D(string? name = null)
    {
        Name = name ?? string.Empty;
    }

    /// <summary>Channels (0 until built); the output width.</summary>
    public int Channels { get; private set; }

    /// <inheritdoc />
    public override int OutputDim => Channels;

    /// <inheritdoc />
    public override string KindName => "GlobalAveragePooling2D";

    internal override float[] OutputArray => _output;

    internal override float[] OutputGradientArray => _outputGradient;

    internal override void BuildWeights(int inputDim, Rng? rng)
    {
        CheckWidth(this, inputDim);
        (int height, int width, int channels) = Pooling2D.SpatialShape(this);
        _pixels = height * width;
        Channels = channels;
        InputDim = inputDim;
    }

    internal override void EnsureCapacity(int rows)
    {
        if (_output.Length < rows * Channels)
        {
            _output = new float[rows * Channels];
            _outputGradient = new float[rows * Channels];
        }
    }

    internal override void Forward(float[] input, int rows, PassMode mode, int threads)
    {
        CheckInput(this, input, rows);
        EnsureCapacity(rows);
        BatchRows = rows;
        int channels = Channels;
        for (int r = 0; r < rows; r++)
        {
            Span<float> sum = _output.AsSpan(r * channels, channels);
            sum.Clear();
            for (int p = 0; p < _pixels; p++)
            {
                TensorPrimitives.Add(sum, input.AsSpan(r * InputDim + p * channels, channels), sum);
            }
            TensorPrimitives.Divide(sum, _pixels, sum);
        }
    }

    internal override void Backward(float[]? inputGradient, int threads)
    {
        if (inputGradient is null)
        {
            return;
        }
        int channels = Channels;
        float share = 1f / _pixels;
        for (int r = 0; r < BatchRows; r++)
        {
            ReadOnlySpan<float> dy = _outputGradient.AsSpan(r * channels, channels);
            for (int p = 0; p < _pixels; p++)
            {
                TensorPrimitives.Multiply(dy, share, inputGradient.AsSpan(r * InputDim + p * channels, channels));
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"GlobalAveragePooling2D '{Name}' {InputShape.Count switch { 3 => $"{InputShape[0]}×{InputShape[1]}×{InputShape[2]}", _ => "unbuilt" }} → {Channels}");
}
