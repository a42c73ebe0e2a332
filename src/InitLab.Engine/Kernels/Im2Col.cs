namespace InitLab.Kernels;

/// <summary>
/// im2col and its adjoint col2im for channels-last images, so a convolution is one GEMM: the patch matrix has one row
/// per (image, oh, ow) and one column per (tap i, tap j, channel) — the row order of a Keras kernel (kh, kw, C, filters)
/// read as a (kh·kw·C)×filters matrix. A channel range selects one group of a grouped convolution.
/// </summary>
/// <remarks>Each image's rows depend on that image alone, and col2im adds into one image from that image's rows in a
/// fixed order (positions, then taps, ascending), so splitting the images over threads (<see cref="PatchWork"/>) gives the
/// same bits for any thread count.</remarks>
internal static class Im2Col
{
    /// <summary>Writes the patch rows of images [<paramref name="firstImage"/>, +<paramref name="imageCount"/>) into
    /// <paramref name="patches"/> (all images' rows, rows·OH·OW × kh·kw·<paramref name="channelCount"/>); zeros where the
    /// window reads padding.</summary>
    public static void Pack(ReadOnlySpan<float> input, int firstImage, int imageCount, in ConvolutionGeometry g, int channelStart,
        int channelCount, Span<float> patches)
    {
        int channels = g.Channels;
        int imageSize = g.Pixels * channels;
        int rowLength = g.Taps * channelCount;
        int tapRow = g.KernelWidth * channelCount;
        for (int r = firstImage; r < firstImage + imageCount; r++)
        {
            ReadOnlySpan<float> image = input.Slice(r * imageSize, imageSize);
            int row = r * g.Positions;
            for (int oh = 0; oh < g.OutputHeight; oh++)
            {
                for (int ow = 0; ow < g.OutputWidth; ow++, row++)
                {
                    Span<float> patch = patches.Slice(row * rowLength, rowLength);
                    for (int i = 0; i < g.KernelHeight; i++)
                    {
                        int ih = oh * g.StrideHeight - g.PadTop + i * g.DilationHeight;
                        if ((uint)ih >= (uint)g.Height)
                        {
                            patch.Slice(i * tapRow, tapRow).Clear();
                            continue;
                        }
                        for (int j = 0; j < g.KernelWidth; j++)
                        {
                            int iw = ow * g.StrideWidth - g.PadLeft + j * g.DilationWidth;
                            Span<float> destination = patch.Slice(i * tapRow + j * channelCount, channelCount);
                            if ((uint)iw >= (uint)g.Width)
                            {
                                destination.Clear();
                            }
                            else
                            {
                                image.Slice((ih * g.Width + iw) * channels + channelStart, channelCount).CopyTo(destination);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>col2im: adds every patch value of images [<paramref name="firstImage"/>, +<paramref name="imageCount"/>)
    /// back onto the input pixel it was read from (padding reads are dropped) — the adjoint of <see cref="Pack"/>. The
    /// caller clears <paramref name="output"/> first.</summary>
    public static void UnpackAdd(ReadOnlySpan<float> patches, int firstImage, int imageCount, in ConvolutionGeometry g, int channelStart,
        int channelCount, Span<float> output)
    {
        int channels = g.Channels;
        int imageSize = g.Pixels * channels;
        int rowLength = g.Taps * channelCount;
        int tapRow = g.KernelWidth * channelCount;
        for (int r = firstImage; r < firstImage + imageCount; r++)
        {
            Span<float> image = output.Slice(r * imageSize, imageSize);
            int row = r * g.Positions;
            for (int oh = 0; oh < g.OutputHeight; oh++)
            {
                for (int ow = 0; ow < g.OutputWidth; ow++, row++)
                {
                    ReadOnlySpan<float> patch = patches.Slice(row * rowLength, rowLength);
                    for (int i = 0; i < g.KernelHeight; i++)
                    {
                        int ih = oh * g.StrideHeight - g.PadTop + i * g.DilationHeight;
                        if ((uint)ih >= (uint)g.Height)
                        {
                            continue;
                        }
                        for (int j = 0; j < g.KernelWidth; j++)
                        {
                            int iw = ow * g.StrideWidth - g.PadLeft + j * g.DilationWidth;
                            if ((uint)iw < (uint)g.Width)
                            {
                                Span<float> pixel = image.Slice((ih * g.Width + iw) * channels + channelStart, channelCount);
                                System.Numerics.Tensors.TensorPrimitives.Add(pixel, patch.Slice(i * tapRow + j * channelCount, channelCount), pixel);
                            }
                        }
                    }
                }
            }
        }
    }
}
