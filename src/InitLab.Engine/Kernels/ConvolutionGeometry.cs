namespace InitLab.Kernels;

/// <summary>
/// Where a 2-D convolution over channels-last images reads: input H×W×C, a kh×kw window with stride (sh, sw) and
/// dilation (dh, dw), padded by <see cref="PadTop"/>/<see cref="PadLeft"/> zeros before the first row/column (the rest of
/// the padding, if any, is after the last), giving an OH×OW output grid. Output (oh, ow) with tap (i, j) reads input pixel
/// (oh·sh − padTop + i·dh, ow·sw − padLeft + j·dw), zero outside the image.
/// </summary>
internal readonly record struct ConvolutionGeometry(
    int Height, int Width, int Channels,
    int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth,
    int DilationHeight, int DilationWidth,
    int PadTop, int PadLeft,
    int OutputHeight, int OutputWidth)
{
    /// <summary>Output positions per image, OH·OW.</summary>
    public int Positions => OutputHeight * OutputWidth;

    /// <summary>Input pixels per image, H·W.</summary>
    public int Pixels => Height * Width;

    /// <summary>Kernel taps, kh·kw.</summary>
    public int Taps => KernelHeight * KernelWidth;

    /// <summary>Whether every output position reads exactly its own input pixel with one tap (1×1 kernel, stride 1, no
    /// padding): then the patch matrix of all channels is the input itself and im2col/col2im can be skipped.</summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1
        && PadTop == 0 && PadLeft == 0 && OutputHeight == Height && OutputWidth == Width;

    /// <summary>
    /// The output length and the zeros before the first element along one axis, by Keras's (TensorFlow's) rules:
    /// "valid": out = ⌊(n − k_eff)/s⌋ + 1, no padding; "same": out = ⌈n/s⌉, total padding max((out − 1)·s + k_eff − n, 0),
    /// of which ⌊total/2⌋ before and the rest (the extra one) after; k_eff = (k − 1)·d + 1.
    /// </summary>
    /// <param name="length">n, the input length.</param>
    /// <param name="kernel">k.</param>
    /// <param name="stride">s.</param>
    /// <param name="dilation">d.</param>
    /// <param name="same">"same" padding (else "valid").</param>
    /// <returns>The output length (≤ 0 when a valid window does not fit) and the padding before.</returns>
    public static (int Length, int PadBefore) Axis(int length, int kernel, int stride, int dilation, bool same)
    {
        long effective = (long)(kernel - 1) * dilation + 1;
        if (!same)
        {
            return (length < effective ? 0 : (int)((length - effective) / stride + 1), 0);
        }
        int output = (int)(((long)length + stride - 1) / stride);
        long total = Math.Max((output - 1L) * stride + effective - length, 0);
        return (output, (int)(total / 2));
    }
}
