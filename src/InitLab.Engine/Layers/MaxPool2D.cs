namespace InitLab.Layers;

/// <summary>
/// 2-D max pooling (Keras <c>layers.MaxPooling2D</c> / <c>MaxPool2D</c>, PyTorch <c>nn.MaxPool2d</c>): each channel's
/// largest value in every window, on channels-last rows. Size and padding as in <see cref="Pooling2D"/>; padding never
/// wins (it acts as −∞, as in TensorFlow and in PyTorch's implicit padding).
/// </summary>
/// <remarks>
/// The gradient goes to one input per window and channel, the argmax recorded by the forward pass; on a tie it is the
/// first maximum in the window's row-major order (top to bottom, then left to right), which is what PyTorch's CPU kernel
/// picks (it replaces the running maximum only on a strictly larger value). When windows overlap (stride &lt; window)
/// an input that wins several windows receives the sum of their gradients. A NaN in a window is its maximum (PyTorch
/// propagates NaN the same way), so a diverging model is not hidden by the pool.
/// </remarks>
public sealed class MaxPool2D : Pooling2D
{
    private int[] _argmax = [];

    /// <summary>Creates a square-window layer (Keras defaults: 2×2 window, stride = window, "valid").</summary>
    /// <param name="poolSize">Window height and width, ≥ 1.</param>
    /// <param name="strides">Stride in both directions (default the window size), ≥ 1.</param>
    /// <param name="padding">"valid" or "same".</param>
    /// <param name="name">Name (default set by the model).</param>
    public MaxPool2D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null)
        : base(poolSize, poolSize, strides, strides, padding, name, "MaxPooling2D", squareArguments: true)
    {
    }

    /// <summary>Creates a layer with a rectangular window and separate strides.</summary>
    /// <param name="poolHeight">Window height, ≥ 1.</param>
    /// <param name="poolWidth">Window width, ≥ 1.</param>
    /// <param name="strideHeight">Vertical stride (default the window height), ≥ 1.</param>
    /// <param name="strideWidth">Horizontal stride (default the window width), ≥ 1.</param>
    /// <param name="padding">"valid" or "same".</param>
    /// <param name="name">Name (default set by the model).</param>
    public MaxPool2D(int poolHeight, int poolWidth, int? strideHeight, int? strideWidth, string padding = "valid", string? name = null)
        : base(poolHeight, poolWidth, strideHeight, strideWidth, padding, name, "MaxPooling2D", squareArguments: false)
    {
    }

    /// <inheritdoc />
    public override string KindName => "MaxPooling2D";

    /// <summary>For each output value of the last forward pass, the index within its input row of the value that won
    /// (rows×OutputDim).</summary>
    public ReadOnlySpan<int> ArgMax => _argmax.AsSpan(0, BatchRows * OutputDim);

    internal override void EnsureCapacity(int rows)
    {
        base.EnsureCapacity(rows);
        if (_argmax.Length < rows * OutputDim)
        {
            _argmax = new int[rows * OutputDim];
        }
    }

    private protected override void ForwardRow(ReadOnlySpan<float> x, Span<float> y, int row)
    {
        int channels = Channels;
        Span<int> winners = _argmax.AsSpan(row * OutputDim, OutputDim);
        for (int oh = 0; oh < OutputHeight; oh++)
        {
            (int rowStart, int rowEnd) = WindowRows(oh);
            for (int ow = 0; ow < OutputWidth; ow++)
            {
                (int columnStart, int columnEnd) = WindowColumns(ow);
                int outputOffset = (oh * OutputWidth + ow) * channels;
                Span<float> best = y.Slice(outputOffset, channels);
                Span<int> bestAt = winners.Slice(outputOffset, channels);
                int first = (rowStart * InputWidth + columnStart) * channels;
                x.Slice(first, channels).CopyTo(best);
                for (int c = 0; c < channels; c++)
                {
                    bestAt[c] = first + c;
                }
                for (int h = rowStart; h < rowEnd; h++)
                {
                    for (int w = h == rowStart ? columnStart + 1 : columnStart; w < columnEnd; w++)
                    {
                        int offset = (h * InputWidth + w) * channels;
                        ReadOnlySpan<float> candidate = x.Slice(offset, channels);
                        for (int c = 0; c < channels; c++)
                        {
                            float v = candidate[c];
                            // Strictly larger: a tie keeps the first maximum (PyTorch's CPU rule); NaN always wins.
                            if (v > best[c] || float.IsNaN(v))
                            {
                                best[c] = v;
                                bestAt[c] = offset + c;
                            }
                        }
                    }
                }
            }
        }
    }

    private protected override void BackwardRow(ReadOnlySpan<float> dy, Span<float> dx, int row)
    {
        ReadOnlySpan<int> winners = _argmax.AsSpan(row * OutputDim, OutputDim);
        for (int i = 0; i < dy.Length; i++)
        {
            dx[winners[i]] += dy[i];
        }
    }
}
