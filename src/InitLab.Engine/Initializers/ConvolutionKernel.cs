using InitLab.Tensors;

namespace InitLab.Initializers;

/// <summary>Index arithmetic for 3- to 5-D convolution kernels in either layout: Keras (k…, in, out) or PyTorch (out, in, k…).</summary>
internal readonly struct ConvolutionKernel
{
    private readonly IReadOnlyList<int> _shape;
    private readonly WeightLayout _layout;

    public ConvolutionKernel(IReadOnlyList<int> shape, WeightLayout layout, string initializer)
    {
        if (shape.Count is < 3 or > 5)
        {
            throw new ArgumentException($"{initializer}: needs a 3-, 4- or 5-D convolution kernel, got shape {Tensor.FormatShape(shape)}.", nameof(shape));
        }
        _shape = shape;
        _layout = layout;
    }

    public int SpatialRank => _shape.Count - 2;

    public int OutChannels => _layout == WeightLayout.Keras ? _shape[^1] : _shape[0];

    public int InChannels => _layout == WeightLayout.Keras ? _shape[^2] : _shape[1];

    public int KernelSize(int axis) => _layout == WeightLayout.Keras ? _shape[axis] : _shape[axis + 2];

    /// <summary>Flat row-major offset of element (out, in, taps…).</summary>
    public int Offset(int output, int input, ReadOnlySpan<int> taps)
    {
        int rank = _shape.Count;
        Span<int> index = stackalloc int[rank];
        if (_layout == WeightLayout.Keras)
        {
            taps.CopyTo(index);
            index[rank - 2] = input;
            index[rank - 1] = output;
        }
        else
        {
            index[0] = output;
            index[1] = input;
            taps.CopyTo(index[2..]);
        }
        int offset = 0;
        for (int i = 0; i < rank; i++)
        {
            offset = offset * _shape[i] + index[i];
        }
        return offset;
    }
}
