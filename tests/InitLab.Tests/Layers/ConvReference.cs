using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// Issue 22: convolution models written out again in double as direct sums (no im2col, no GEMM), the independent side of
/// the convolution tests. Conv2D: y[r, oh, ow, f] = b[f] + Σ_{i, j, c} x[r, oh·sh − pt + i·dh, ow·sw − pl + j·dw, g·C/G + c]·
/// W[i, j, c, f] with g = f div (F/G) and zero outside the image; Conv2DTranspose by its scatter definition, each input
/// pixel (ih, iw, c) adding x·W[i, j, f, c] to output pixel (ih·sh − pt + i·dh, iw·sw − pl + j·dw, f); batch normalization
/// per channel over rows×H×W; Flatten the identity. The padding and output sizes are Keras's formulas, restated here.
/// Dense and activation layers come from <see cref="LayerReference"/>.
/// </summary>
internal static class ConvReference
{
    /// <summary>Keras (TensorFlow) conv output length and padding before: valid ⌊(n − k_eff)/s⌋ + 1 and none; same ⌈n/s⌉
    /// and ⌊max((out − 1)·s + k_eff − n, 0)/2⌋.</summary>
    public static (int Length, int PadBefore) ConvAxis(int n, int k, int s, int d, bool same)
    {
        int keff = (k - 1) * d + 1;
        if (!same)
        {
            return ((n - keff) / s + 1, 0);
        }
        int length = (n + s - 1) / s;
        return (length, Math.Max((length - 1) * s + keff - n, 0) / 2);
    }

    /// <summary>Keras's <c>deconv_output_length</c> (no output_padding): valid n·s + max(k_eff − s, 0), same n·s.</summary>
    public static int TransposeLength(int n, int k, int s, int d, bool same) => same ? n * s : n * s + Math.Max((k - 1) * d + 1 - s, 0);

    public static double[] Forward(Sequential model, double[] x, int rows, PassMode mode, float[]? replaced = null, double[]? values = null)
    {
        double[] current = x;
        int width = model.InputDim;
        foreach (Layer layer in model.Layers)
        {
            current = Forward(layer, current, rows, width, mode, replaced, values);
            width = layer.OutputDim;
        }
        return current;
    }

    private static double[] Forward(Layer layer, double[] x, int rows, int width, PassMode mode, float[]? replaced, double[]? values)
    {
        double[] Read(float[] array) => ReferenceEquals(array, replaced) ? values! : [.. array.Select(v => (double)v)];
        switch (layer)
        {
            case Conv2D conv:
                {
                    double[] z = Conv(conv, x, rows, Read(conv.OwnParameters[0].Value), conv.UseBias ? Read(conv.OwnParameters[1].Value) : null);
                    var a = new double[z.Length];
                    conv.Activation.Forward<double>(z, a, conv.Filters);
                    return a;
                }
            case Conv2DTranspose transpose:
                {
                    double[] z = Transpose(transpose, x, rows, Read(transpose.OwnParameters[0].Value),
                        transpose.UseBias ? Read(transpose.OwnParameters[1].Value) : null);
                    var a = new double[z.Length];
                    transpose.Activation.Forward<double>(z, a, transpose.Filters);
                    return a;
                }
            case Flatten:
                return x;
            case BatchNormalization bn when bn.InputShape.Count == 3:
                return ChannelNormalize(bn, x, mode, Read(bn.OwnParameters[0].Value), Read(bn.OwnParameters[1].Value));
            default:
                return LayerReference.Forward(layer, x, rows, width, mode, replaced, values);
        }
    }

    public static double[] Conv(Conv2D conv, double[] x, int rows, double[] kernel, double[]? bias)
    {
        (int h, int w, int c) = (conv.InputShape[0], conv.InputShape[1], conv.InputShape[2]);
        (int kh, int kw) = conv.KernelSize;
        (int sh, int sw) = conv.Strides;
        (int dh, int dw) = conv.DilationRate;
        bool same = conv.Padding == ConvolutionPadding.Same;
        (int oh, int pt) = ConvAxis(h, kh, sh, dh, same);
        (int ow, int pl) = ConvAxis(w, kw, sw, dw, same);
        int filters = conv.Filters;
        int groupChannels = c / conv.Groups;
        int groupFilters = filters / conv.Groups;
        var y = new double[rows * oh * ow * filters];
        for (int r = 0; r < rows; r++)
        {
            for (int p = 0; p < oh; p++)
            {
                for (int q = 0; q < ow; q++)
                {
                    for (int f = 0; f < filters; f++)
                    {
                        int g = f / groupFilters;
                        double sum = bias is null ? 0 : bias[f];
                        for (int i = 0; i < kh; i++)
                        {
                            for (int j = 0; j < kw; j++)
                            {
                                int ih = p * sh - pt + i * dh;
                                int iw = q * sw - pl + j * dw;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= w)
                                {
                                    continue;
                                }
                                for (int k = 0; k < groupChannels; k++)
                                {
                                    sum += x[((r * h + ih) * w + iw) * c + g * groupChannels + k]
                                        * kernel[((i * kw + j) * groupChannels + k) * filters + f];
                                }
                            }
                        }
                        y[((r * oh + p) * ow + q) * filters + f] = sum;
                    }
                }
            }
        }
        return y;
    }

    public static double[] Transpose(Conv2DTranspose layer, double[] x, int rows, double[] kernel, double[]? bias)
    {
        (int h, int w, int c) = (layer.InputShape[0], layer.InputShape[1], layer.InputShape[2]);
        (int kh, int kw) = layer.KernelSize;
        (int sh, int sw) = layer.Strides;
        (int dh, int dw) = layer.DilationRate;
        bool same = layer.Padding == ConvolutionPadding.Same;
        int oh = TransposeLength(h, kh, sh, dh, same);
        int ow = TransposeLength(w, kw, sw, dw, same);
        int pt = ConvAxis(oh, kh, sh, dh, same).PadBefore;
        int pl = ConvAxis(ow, kw, sw, dw, same).PadBefore;
        int filters = layer.Filters;
        var y = new double[rows * oh * ow * filters];
        for (int r = 0; r < rows; r++)
        {
            for (int n = 0; n < oh * ow * filters; n++)
            {
                y[r * oh * ow * filters + n] = bias is null ? 0 : bias[n % filters];
            }
            for (int ih = 0; ih < h; ih++)
            {
                for (int iw = 0; iw < w; iw++)
                {
                    for (int k = 0; k < c; k++)
                    {
                        double v = x[((r * h + ih) * w + iw) * c + k];
                        for (int i = 0; i < kh; i++)
                        {
                            for (int j = 0; j < kw; j++)
                            {
                                int p = ih * sh - pt + i * dh;
                                int q = iw * sw - pl + j * dw;
                                if (p < 0 || p >= oh || q < 0 || q >= ow)
                                {
                                    continue;
                                }
                                for (int f = 0; f < filters; f++)
                                {
                                    y[((r * oh + p) * ow + q) * filters + f] += v * kernel[((i * kw + j) * filters + f) * c + k];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    /// <summary>Keras BatchNormalization(axis=-1) on images: per channel over all rows and pixels, biased variance (or the
    /// running statistics for <see cref="PassMode.Infer"/>).</summary>
    public static double[] ChannelNormalize(BatchNormalization bn, double[] x, PassMode mode, double[] gamma, double[] beta)
    {
        int c = bn.InputShape[2];
        int samples = x.Length / c;
        var mean = new double[c];
        var variance = new double[c];
        if (mode == PassMode.Infer)
        {
            for (int k = 0; k < c; k++)
            {
                mean[k] = bn.MovingMean[k];
                variance[k] = bn.MovingVariance[k];
            }
        }
        else
        {
            for (int s = 0; s < samples; s++)
            {
                for (int k = 0; k < c; k++)
                {
                    mean[k] += x[s * c + k] / samples;
                }
            }
            for (int s = 0; s < samples; s++)
            {
                for (int k = 0; k < c; k++)
                {
                    double d = x[s * c + k] - mean[k];
                    variance[k] += d * d / samples;
                }
            }
        }
        var y = new double[x.Length];
        for (int s = 0; s < samples; s++)
        {
            for (int k = 0; k < c; k++)
            {
                y[s * c + k] = gamma[k] * (x[s * c + k] - mean[k]) / Math.Sqrt(variance[k] + bn.Epsilon) + beta[k];
            }
        }
        return y;
    }
}
