using System.Globalization;
using InitLab.Random;
using InitLab.Tensors;

namespace InitLab.Data;

/// <summary>
/// Image sets read as sequences, the long-memory tasks recurrent nets are tested on (Le, Jaitly &amp; Hinton 2015, "A
/// Simple Way to Initialize Recurrent Networks of Rectified Linear Units", §4.2: MNIST pixel by pixel, T = 784, and
/// permuted by one fixed random permutation; row by row is the easy version, T = 28). An image of shape
/// [height, width, channels] becomes:
/// <list type="bullet">
/// <item>row by row: [height, width·channels], step t = image row t;</item>
/// <item>pixel by pixel: [height·width, channels], step t = pixel t in reading order (row-major);</item>
/// <item>permuted: [height·width, channels], step t = pixel π(t) for one permutation π drawn from a seed and applied
/// to every image alike, so the task keeps its labels but loses the pixels' locality.</item>
/// </list>
/// The first two are the same floats as the image rows (a row-major [H, W, C] array read as [H, W·C] or [H·W, C] is
/// the same memory), so only <see cref="Dataset.RowShape"/> changes; the permuted view copies.
/// </summary>
public static class SequenceViews
{
    /// <summary>Row by row: shape [height, width·channels].</summary>
    /// <param name="images">A set whose <see cref="Dataset.RowShape"/> is [height, width, channels].</param>
    /// <param name="name">The view's name (null: the images' name + " (rows)").</param>
    /// <returns>The same rows, shaped as a sequence of <c>height</c> steps.</returns>
    /// <exception cref="ArgumentException">The rows are not images.</exception>
    public static Dataset RowByRow(Dataset images, string? name = null)
    {
        (int height, int width, int channels) = ImageShape(images, nameof(RowByRow));
        return images.WithRowShape([height, width * channels], name ?? images.Name + " (rows)");
    }

    /// <summary>Pixel by pixel: shape [height·width, channels], pixels in reading order.</summary>
    /// <param name="images">A set whose <see cref="Dataset.RowShape"/> is [height, width, channels].</param>
    /// <param name="name">The view's name (null: the images' name + " (pixels)").</param>
    /// <returns>The same rows, shaped as a sequence of <c>height·width</c> steps.</returns>
    /// <exception cref="ArgumentException">The rows are not images.</exception>
    public static Dataset PixelByPixel(Dataset images, string? name = null)
    {
        (int height, int width, int channels) = ImageShape(images, nameof(PixelByPixel));
        return images.WithRowShape([height * width, channels], name ?? images.Name + " (pixels)");
    }

    /// <summary>Permuted pixel by pixel: step t of every row is pixel <c>PixelPermutation(height·width, seed)[t]</c>.</summary>
    /// <param name="images">A set whose <see cref="Dataset.RowShape"/> is [height, width, channels].</param>
    /// <param name="seed">Seed of the permutation; the same seed gives the same permutation on every machine.</param>
    /// <param name="name">The view's name (null: the images' name + " (permuted pixels)").</param>
    /// <returns>A copy with shape [height·width, channels] and the pixels reordered.</returns>
    /// <exception cref="ArgumentException">The rows are not images.</exception>
    public static Dataset PermutedPixelByPixel(Dataset images, ulong seed, string? name = null)
    {
        (int height, int width, int channels) = ImageShape(images, nameof(PermutedPixelByPixel));
        int steps = height * width, rowWidth = images.FeatureCount;
        int[] permutation = PixelPermutation(steps, seed);
        float[] source = images.Features.Data;
        var permuted = new float[source.Length];
        for (int row = 0; row < images.Rows; row++)
        {
            int offset = row * rowWidth;
            for (int t = 0; t < steps; t++)
            {
                source.AsSpan(offset + permutation[t] * channels, channels).CopyTo(permuted.AsSpan(offset + t * channels));
            }
        }
        return images.WithFeatures(new Tensor(permuted, images.Rows, rowWidth))
            .WithRowShape([steps, channels], name ?? images.Name + " (permuted pixels)");
    }

    /// <summary>A permutation of 0..<paramref name="steps"/>−1 drawn by a Fisher–Yates shuffle from a stream of
    /// <see cref="Rng"/>(<paramref name="seed"/>) reserved for it: step t of a permuted sequence reads pixel π[t].</summary>
    /// <param name="steps">The sequence length, ≥ 1.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>π, each index exactly once.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 1.</exception>
    public static int[] PixelPermutation(int steps, ulong seed)
    {
        if (steps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, string.Create(CultureInfo.InvariantCulture,
                $"PixelPermutation: the sequence needs at least 1 step, got {steps}."));
        }
        int[] permutation = [.. Enumerable.Range(0, steps)];
        new Rng(seed).Fork(PermutationStream).Shuffle(permutation.AsSpan());
        return permutation;
    }

    // "PERM": a stream of its own, so the permutation does not move when another use of the same seed draws more.
    private const ulong PermutationStream = 0x5045524D;

    private static (int Height, int Width, int Channels) ImageShape(Dataset images, string view)
    {
        ArgumentNullException.ThrowIfNull(images);
        IReadOnlyList<int> shape = images.RowShape;
        if (shape.Count != 3)
        {
            throw new ArgumentException(
                $"{view}: '{images.Name}' has rows of shape {Tensor.FormatShape(shape)}; a sequence view needs images shaped " +
                "[height, width, channels], e.g. the built-in digits [8, 8, 1] or an MNIST folder [28, 28, 1].", nameof(images));
        }
        return (shape[0], shape[1], shape[2]);
    }
}
