using System.Globalization;
using InitLab.Layers;

namespace InitLab.Performance;

/// <summary>
/// The convolutional front of a benchmark workload (C1): per entry of <see cref="Filters"/>, a k×k Conv2D with "same"
/// padding, stride 1 and ReLU, then a 2×2 max-pool of stride 2; a Flatten follows the last pool. "Same" because the
/// LeNet-like network C1 copies — TensorFlow's "Deep MNIST for experts" (5×5×32, pool, 5×5×64, pool, 1024, 10) and
/// its PyTorch ports (Conv2d(padding=2)) — pads, so 28×28 becomes 14×14 and then 7×7×64 = 3136 features.
/// </summary>
/// <param name="ImageShape">One input row's shape, channels last: [height, width, channels].</param>
/// <param name="KernelSize">The square window's side k.</param>
/// <param name="Filters">Output channels of each convolution, in order.</param>
public sealed record ConvolutionFront(IReadOnlyList<int> ImageShape, int KernelSize, IReadOnlyList<int> Filters)
{
    /// <summary>Pooling window and stride.</summary>
    public const int Pool = 2;

    /// <summary>The layers, first convolution to Flatten.</summary>
    /// <param name="initializer">Kernel initializer name (biases start at zero).</param>
    /// <returns>New layers.</returns>
    public IEnumerable<Layer> Layers(string initializer)
    {
        foreach (int filters in Filters)
        {
            yield return new Conv2D(filters, KernelSize, padding: "same", activation: "relu", kernelInitializer: initializer);
            yield return new MaxPool2D(Pool);
        }
        yield return new Flatten();
    }

    /// <summary>Multiply-adds of each convolution for one image (stride 1, "same": output H·W·filters, each of
    /// k·k·channels products), first convolution first.</summary>
    public IReadOnlyList<double> MultiplyAddsPerImage
    {
        get
        {
            var result = new List<double>();
            double height = ImageShape[0], width = ImageShape[1], channels = ImageShape[2];
            foreach (int filters in Filters)
            {
                result.Add(height * width * filters * KernelSize * KernelSize * channels);
                (height, width, channels) = (Math.Floor(height / Pool), Math.Floor(width / Pool), filters);
            }
            return result;
        }
    }

    /// <summary>Features out of the Flatten: the last pool's height·width·filters.</summary>
    public int FlattenedSize
    {
        get
        {
            int height = ImageShape[0], width = ImageShape[1];
            foreach (int _ in Filters)
            {
                (height, width) = (height / Pool, width / Pool);
            }
            return height * width * Filters[^1];
        }
    }

    /// <summary>"28×28×1-conv5×5×32-pool-conv5×5×64-pool".</summary>
    public override string ToString() => string.Join("-",
        new[] { string.Join("×", ImageShape) }.Concat(Filters.Select(f => string.Create(CultureInfo.InvariantCulture, $"conv{KernelSize}×{KernelSize}×{f}-pool"))));
}
