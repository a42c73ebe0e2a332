using System.Globalization;
using InitLab.Random;

namespace InitLab.Layers;

/// <summary>
/// What <see cref="MaxPool2D"/> and <see cref="AvgPool2D"/> share (Keras's <c>BasePooling</c>): the window, the strides,
/// the padding and the output size, for rows that are channels-last images [height, width, channels] flattened
/// row-major. Pooling acts on each channel separately and has no weights.
/// </summary>
/// <remarks>
/// Output size and padding are Keras's (TensorFlow's) exactly, per spatial axis with input n, window k, stride s:
/// <list type="bullet">
/// <item><c>"valid"</c>: out = ⌊(n − k)/s⌋ + 1 (needs n ≥ k); no padding, so trailing rows a window cannot reach are dropped.</item>
/// <item><c>"same"</c>: out = ⌈n/s⌉; padding p = max((out − 1)·s + k − n, 0) split ⌊p/2⌋ before (top/left) and the
/// rest after (bottom/right) — the extra one goes at the end. PyTorch's <c>padding=</c> argument is symmetric, so an
/// odd p cannot be expressed there; <c>F.pad(x, [p_w//2, p_w − p_w//2, p_h//2, p_h − p_h//2])</c> first reproduces it.</item>
/// </list>
/// Padding is never a value: a max pool ignores it (as if −∞), an average pool divides by the number of real elements
/// in the window (see <see cref="AvgPool2D"/>). With "same", every window holds at least one real element (p &lt; k).
/// Work runs on the calling thread, row by row, so the results do not depend on the thread count.
/// </remarks>
public abstract class Pooling2D : Layer
{
    private protected float[] _input = [];
    private protected float[] _output = [];
    private protected float[] _outputGradient = [];

    private protected Pooling2D(int poolHeight, int poolWidth, int? strideHeight, int? strideWidth, string padding, string? name, string kind, bool squareArguments)
    {
        // A square layer's arguments are poolSize and strides; report the name the caller wrote.
        bool square = squareArguments;
        PoolHeight = Positive(poolHeight, square ? "poolSize" : nameof(poolHeight), kind);
        PoolWidth = Positive(poolWidth, square ? "poolSize" : nameof(poolWidth), kind);
        StrideHeight = Positive(strideHeight ?? poolHeight, square ? "strides" : nameof(strideHeight), kind);
        StrideWidth = Positive(strideWidth ?? poolWidth, square ? "strides" : nameof(strideWidth), kind);
        ArgumentNullException.ThrowIfNull(padding);
        Padding = padding.Trim().ToLowerInvariant() switch
        {
            "valid" => "valid",
            "same" => "same",
            _ => throw new ArgumentOutOfRangeException(nameof(padding), padding,
                $"{kind}: padding must be \"valid\" (no padding, Keras's default) or \"same\" (output ⌈n/stride⌉), got \"{padding}\"."),
        };
        Name = name ?? string.Empty;
    }

    /// <summary>Window height k_h.</summary>
    public int PoolHeight { get; }

    /// <summary>Window width k_w.</summary>
    public int PoolWidth { get; }

    /// <summary>Vertical stride s_h (Keras's default: the window height).</summary>
    public int StrideHeight { get; }

    /// <summary>Horizontal stride s_w (Keras's default: the window width).</summary>
    public int StrideWidth { get; }

    /// <summary>"valid" or "same" (Keras's names and meaning).</summary>
    public string Padding { get; }

    /// <summary>Input height, width and channels (0 until built).</summary>
    public int InputHeight { get; private set; }

    /// <inheritdoc cref="InputHeight"/>
    public int InputWidth { get; private set; }

    /// <inheritdoc cref="InputHeight"/>
    public int Channels { get; private set; }

    /// <summary>Output height and width (0 until built).</summary>
    public int OutputHeight { get; private set; }

    /// <inheritdoc cref="OutputHeight"/>
    public int OutputWidth { get; private set; }

    /// <summary>Padding rows above and columns to the left ("same": ⌊p/2⌋; the rest goes below and to the right).</summary>
    public int PadTop { get; private set; }

    /// <inheritdoc cref="PadTop"/>
    public int PadLeft { get; private set; }

    /// <inheritdoc />
    public override int OutputDim => OutputHeight * OutputWidth * Channels;

    /// <inheritdoc />
    public override IReadOnlyList<int> OutputShape => IsBuilt ? [OutputHeight, OutputWidth, Channels] : [OutputDim];

    /// <summary>The input of the last forward pass (rows×InputDim).</summary>
    public ReadOnlySpan<float> Input => _input.AsSpan(0, BatchRows * InputDim);

    internal override float[] OutputArray => _output;

    internal override float[] OutputGradientArray => _outputGradient;

    /// <summary>Keras's output size along one axis (see the remarks), and the padding before it.</summary>
    /// <param name="size">Input size n.</param>
    /// <param name="pool">Window k.</param>
    /// <param name="stride">Stride s.</param>
    /// <param name="same">"same" padding.</param>
    /// <returns>The output size (0 when "valid" and n &lt; k) and the padding before the first element.</returns>
    public static (int Output, int PadBefore) OutputSize(int size, int pool, int stride, bool same)
    {
        if (!same)
        {
            return (size < pool ? 0 : (size - pool) / stride + 1, 0);
        }
        int output = (size + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + pool - size, 0);
        return (output, total / 2);
    }

    internal override void BuildWeights(int inputDim, Rng? rng)
    {
        CheckWidth(this, inputDim);
        (int height, int width, int channels) = SpatialShape(this);
        bool same = Padding == "same";
        (int outputHeight, int padTop) = OutputSize(height, PoolHeight, StrideHeight, same);
        (int outputWidth, int padLeft) = OutputSize(width, PoolWidth, StrideWidth, same);
        if (outputHeight < 1 || outputWidth < 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{KindName} '{Name}': a {PoolHeight}×{PoolWidth} window with \"valid\" padding does not fit a {height}×{width} input. Use a window no larger than the input, or padding \"same\"."));
        }
        InputHeight = height;
        InputWidth = width;
        Channels = channels;
        OutputHeight = outputHeight;
        OutputWidth = outputWidth;
        PadTop = padTop;
        PadLeft = padLeft;
        InputDim = inputDim;
    }

    /// <summary>The [height, width, channels] a 2-D layer needs, or a clear error naming the shape it got.</summary>
    internal static (int Height, int Width, int Channels) SpatialShape(Layer layer)
    {
        IReadOnlyList<int> shape = layer.InputShape;
        if (shape.Count != 3)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{layer.KindName} '{layer.Name}' needs rows shaped [height, width, channels] (Keras's channels-last layout), got [{string.Join(", ", shape)}]. Build the model with an input shape, e.g. new Sequential(new[] {{ 8, 8, 1 }}, layers, seed), and put it before any Dense or Flatten."));
        }
        return (shape[0], shape[1], shape[2]);
    }

    internal override void EnsureCapacity(int rows)
    {
        if (_output.Length < rows * OutputDim)
        {
            _output = new float[rows * OutputDim];
            _outputGradient = new float[rows * OutputDim];
        }
    }

    internal override void Forward(float[] input, int rows, PassMode mode, int threads)
    {
        CheckInput(this, input, rows);
        EnsureCapacity(rows);
        _input = input;
        BatchRows = rows;
        for (int r = 0; r < rows; r++)
        {
            ForwardRow(input.AsSpan(r * InputDim, InputDim), _output.AsSpan(r * OutputDim, OutputDim), r);
        }
    }

    internal override void Backward(float[]? inputGradient, int threads)
    {
        if (inputGradient is null)
        {
            return;
        }
        for (int r = 0; r < BatchRows; r++)
        {
            Span<float> dx = inputGradient.AsSpan(r * InputDim, InputDim);
            dx.Clear();
            BackwardRow(_outputGradient.AsSpan(r * OutputDim, OutputDim), dx, r);
        }
    }

    /// <summary>Pools one row (an image) into its output row; <paramref name="row"/> is its index in the batch.</summary>
    private protected abstract void ForwardRow(ReadOnlySpan<float> x, Span<float> y, int row);

    /// <summary>Adds one row's ∂loss/∂input into <paramref name="dx"/> (cleared by the caller).</summary>
    private protected abstract void BackwardRow(ReadOnlySpan<float> dy, Span<float> dx, int row);

    /// <summary>The real (unpadded) input rows [start, end) of output row <paramref name="outputRow"/>'s window.</summary>
    private protected (int Start, int End) WindowRows(int outputRow)
    {
        int start = outputRow * StrideHeight - PadTop;
        return (Math.Max(start, 0), Math.Min(start + PoolHeight, InputHeight));
    }

    /// <summary>The real (unpadded) input columns [start, end) of output column <paramref name="outputColumn"/>'s window.</summary>
    private protected (int Start, int End) WindowColumns(int outputColumn)
    {
        int start = outputColumn * StrideWidth - PadLeft;
        return (Math.Max(start, 0), Math.Min(start + PoolWidth, InputWidth));
    }

    private static int Positive(int value, string parameter, string kind) => value >= 1 ? value
        : throw new ArgumentOutOfRangeException(parameter, value, string.Create(CultureInfo.InvariantCulture,
            $"{kind}: {parameter} must be >= 1, got {value}."));

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{KindName} '{Name}' {PoolHeight}×{PoolWidth} stride {StrideHeight}×{StrideWidth} {Padding}");
}
