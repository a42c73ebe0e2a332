using InitLab.Layers;
using InitLab.Random;
using InitLab.Training;

namespace InitLab.Tests.Layers;

/// <summary>
/// The pooling and dropout layers written out again in double the way the Keras and TensorFlow docs state them, not the
/// way the engine computes them: the input is first copied into an explicitly padded image (padding marked missing),
/// the padding comes from TensorFlow's documented rule (p = max(k − s, 0) when s divides n, else max(k − n mod s, 0);
/// ⌊p/2⌋ before), the output size from Keras's docstring ("valid": ⌊(n − k)/s⌋ + 1; "same": ⌊(n − 1)/s⌋ + 1), and every
/// window is scanned in full. Other layers go to <see cref="LayerReference"/>.
/// </summary>
internal static class PoolingReference
{
    /// <summary>The model's output for <paramref name="x"/>, with the parameter whose value array is
    /// <paramref name="replaced"/> taking <paramref name="values"/> instead.</summary>
    public static double[] Forward(Sequential model, double[] x, int rows, PassMode mode, float[]? replaced = null, double[]? values = null)
    {
        double[] current = x;
        int width = model.InputDim;
        foreach (Layer layer in model.Layers)
        {
            current = layer switch
            {
                MaxPool2D max => Pool(max, current, rows, isMax: true),
                AvgPool2D average => Pool(average, current, rows, isMax: false),
                GlobalAveragePooling2D global => GlobalAverage(global, current, rows),
                Dropout dropout => mode == PassMode.Train && dropout.Rate > 0
                    ? [.. current.Select((v, i) => v * dropout.Mask[i])]
                    : current,
                _ => LayerReference.Forward(layer, current, rows, width, mode, replaced, values),
            };
            width = layer.OutputDim;
        }
        return current;
    }

    /// <summary>Keras's output size along one axis, from its docstring.</summary>
    public static int KerasOutputSize(int size, int pool, int stride, string padding) =>
        padding == "valid" ? (int)Math.Floor((size - pool) / (double)stride) + 1 : (int)Math.Floor((size - 1) / (double)stride) + 1;

    /// <summary>TensorFlow's documented "same" padding before the first element along one axis.</summary>
    public static int TensorFlowPadBefore(int size, int pool, int stride, string padding)
    {
        if (padding == "valid")
        {
            return 0;
        }
        int total = size % stride == 0 ? Math.Max(pool - stride, 0) : Math.Max(pool - size % stride, 0);
        return total / 2;
    }

    private static double[] Pool(Pooling2D layer, double[] x, int rows, bool isMax)
    {
        int height = layer.InputShape[0], width = layer.InputShape[1], channels = layer.InputShape[2];
        int outputHeight = KerasOutputSize(height, layer.PoolHeight, layer.StrideHeight, layer.Padding);
        int outputWidth = KerasOutputSize(width, layer.PoolWidth, layer.StrideWidth, layer.Padding);
        int top = TensorFlowPadBefore(height, layer.PoolHeight, layer.StrideHeight, layer.Padding);
        int left = TensorFlowPadBefore(width, layer.PoolWidth, layer.StrideWidth, layer.Padding);
        // A padded image big enough for every window, NaN where there is no input.
        int paddedHeight = (outputHeight - 1) * layer.StrideHeight + layer.PoolHeight;
        int paddedWidth = (outputWidth - 1) * layer.StrideWidth + layer.PoolWidth;
        var result = new double[rows * outputHeight * outputWidth * channels];
        for (int r = 0; r < rows; r++)
        {
            var padded = new double[paddedHeight, paddedWidth, channels];
            for (int h = 0; h < paddedHeight; h++)
            {
                for (int w = 0; w < paddedWidth; w++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        int sourceH = h - top, sourceW = w - left;
                        bool inside = sourceH >= 0 && sourceH < height && sourceW >= 0 && sourceW < width;
                        padded[h, w, c] = inside ? x[r * height * width * channels + (sourceH * width + sourceW) * channels + c] : double.NaN;
                    }
                }
            }
            for (int oh = 0; oh < outputHeight; oh++)
            {
                for (int ow = 0; ow < outputWidth; ow++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        var window = new List<double>();
                        for (int i = 0; i < layer.PoolHeight; i++)
                        {
                            for (int j = 0; j < layer.PoolWidth; j++)
                            {
                                double v = padded[oh * layer.StrideHeight + i, ow * layer.StrideWidth + j, c];
                                if (!double.IsNaN(v))
                                {
                                    window.Add(v);
                                }
                            }
                        }
                        result[((r * outputHeight + oh) * outputWidth + ow) * channels + c] = isMax ? window.Max() : window.Average();
                    }
                }
            }
        }
        return result;
    }

    private static double[] GlobalAverage(GlobalAveragePooling2D layer, double[] x, int rows)
    {
        int pixels = layer.InputShape[0] * layer.InputShape[1], channels = layer.InputShape[2];
        var result = new double[rows * channels];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < channels; c++)
            {
                result[r * channels + c] = Enumerable.Range(0, pixels).Average(p => x[(r * pixels + p) * channels + c]);
            }
        }
        return result;
    }

    /// <summary><paramref name="count"/> distinct values (a shuffled ladder with steps of 0.05 around 0), so no max-pool
    /// window has a tie within a finite-difference step.</summary>
    public static float[] DistinctValues(int count, ulong seed)
    {
        float[] values = [.. Enumerable.Range(0, count).Select(i => (float)(0.05 * (i - count / 2.0)))];
        new Rng(seed).Shuffle(values.AsSpan());
        return values;
    }

    /// <summary>The values 1, 2, …, count (row-major image entries in hand-worked examples).</summary>
    public static float[] Ramp(int count) => [.. Enumerable.Range(1, count).Select(i => (float)i)];
}
