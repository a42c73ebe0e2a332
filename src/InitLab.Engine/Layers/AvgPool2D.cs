using System.Numerics.Tensors;

namespace InitLab.Layers;

/// <summary>
/// 2-D average pooling (Keras <c>layers.AveragePooling2D</c> / <c>AvgPool2D</c>, PyTorch <c>nn.AvgPool2d</c>): each
/// channel's mean over every window, on channels-last rows. Size and padding as in <see cref="Pooling2D"/>.
/// </summary>
/// <remarks>
/// With "same" padding a border window is averaged over its real elements only: y = Σ x / (number of real elements),
/// as TensorFlow's <c>avg_pool</c> and so Keras do. PyTorch differs by default: <c>nn.AvgPool2d(padding=p)</c> has
/// <c>count_include_pad=True</c> and divides by the whole window k_h·k_w, padded zeros included (e.g. a 3×3 window at a
/// corner with one row and column of padding: Keras divides the sum of 4 values by 4, PyTorch by 9). PyTorch matches
/// Keras with <c>count_include_pad=False</c> when the padding is symmetric; with TensorFlow's uneven split (the extra row
/// and column at the end) it has no padding argument that matches, and padding with <c>F.pad</c> first makes the zeros
/// count again (timm's <c>AvgPool2dSame</c> does that). "valid" windows have no padding, so all agree.
/// Backward: every real element of a window receives ∂loss/∂y / count; overlapping windows add up.
/// </remarks>
public sealed class AvgPool2D : Pooling2D
{
    /// <summary>Creates a square-window layer (Keras defaults: 2×2 window, stride = window, "valid").</summary>
    /// <param name="poolSize">Window height and width, ≥ 1.</param>
    /// <param name="strides">Stride in both directions (default the window size), ≥ 1.</param>
    /// <param name="padding">"valid" or "same".</param>
    /// <param name="name">Name (default set by the model).</param>
    public AvgPool2D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null)
        : base(poolSize, poolSize, strides, strides, padding, name, "AveragePooling2D", squareArguments: true)
    {
    }

    /// <summary>Creates a layer with a rectangular window and separate strides.</summary>
    /// <param name="poolHeight">Window height, ≥ 1.</param>
    /// <param name="poolWidth">Window width, ≥ 1.</param>
    /// <param name="strideHeight">Vertical stride (default the window height), ≥ 1.</param>
    /// <param name="strideWidth">Horizontal stride (default the window width), ≥ 1.</param>
    /// <param name="padding">"valid" or "same".</param>
    /// <param name="name">Name (default set by the model).</param>
    public AvgPool2D(int poolHeight, int poolWidth, int? strideHeight, int? strideWidth, string padding = "valid", string? name = null)
        : base(poolHeight, poolWidth, strideHeight, strideWidth, padding, name, "AveragePooling2D", squareArguments: false)
    {
    }

    /// <inheritdoc />
    public override string KindName => "AveragePooling2D";

    private protected override void ForwardRow(ReadOnlySpan<float> x, Span<float> y, int row)
    {
        int channels = Channels;
        for (int oh = 0; oh < OutputHeight; oh++)
        {
            (int rowStart, int rowEnd) = WindowRows(oh);
            for (int ow = 0; ow < OutputWidth; ow++)
            {
                (int columnStart, int columnEnd) = WindowColumns(ow);
                Span<float> sum = y.Slice((oh * OutputWidth + ow) * channels, channels);
                sum.Clear();
                for (int h = rowStart; h < rowEnd; h++)
                {
                    for (int w = columnStart; w < columnEnd; w++)
                    {
                        TensorPrimitives.Add(sum, x.Slice((h * InputWidth + w) * channels, channels), sum);
                    }
                }
                int count = (rowEnd - rowStart) * (columnEnd - columnStart);
                TensorPrimitives.Divide(sum, count, sum);
            }
        }
    }

    private protected override void BackwardRow(ReadOnlySpan<float> dy, Span<float> dx, int row)
    {
        int channels = Channels;
        for (int oh = 0; oh < OutputHeight; oh++)
        {
            (int rowStart, int rowEnd) = WindowRows(oh);
            for (int ow = 0; ow < OutputWidth; ow++)
            {
                (int columnStart, int columnEnd) = WindowColumns(ow);
                ReadOnlySpan<float> g = dy.Slice((oh * OutputWidth + ow) * channels, channels);
                float share = 1f / ((rowEnd - rowStart) * (columnEnd - columnStart));
                for (int h = rowStart; h < rowEnd; h++)
                {
                    for (int w = columnStart; w < columnEnd; w++)
                    {
                        Span<float> target = dx.Slice((h * InputWidth + w) * channels, channels);
                        TensorPrimitives.MultiplyAdd(g, share, target, target);
                    }
                }
            }
        }
    }
}
