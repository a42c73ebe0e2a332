using InitLab.Random;
using InitLab.Tensors;

namespace InitLab.Data;

/// <summary>Seeded synthetic sets: the non-linearly-separable toys of the tutorials, same rows for the same seed.</summary>
public static class SyntheticData
{
    /// <summary>Two interleaving half circles (scikit-learn's make_moons), Gaussian noise of std <paramref name="noise"/>.</summary>
    /// <param name="rows">Rows, ≥ 2.</param>
    /// <param name="noise">Noise std, ≥ 0.</param>
    /// <param name="seed">Seed.</param>
    /// <returns>2 features, 2 classes.</returns>
    public static Dataset Moons(int rows = 1000, double noise = 0.1, ulong seed = 1)
    {
        var rng = Start(rows, noise, seed);
        var x = new float[rows * 2];
        var labels = new int[rows];
        int outer = rows / 2;
        for (int i = 0; i < rows; i++)
        {
            bool upper = i < outer;
            int k = upper ? i : i - outer;
            int n = upper ? outer : rows - outer;
            double t = Math.PI * k / Math.Max(1, n - 1);
            double px = upper ? Math.Cos(t) : 1 - Math.Cos(t);
            double py = upper ? Math.Sin(t) : 0.5 - Math.Sin(t);
            x[2 * i] = (float)(px + noise * rng.NextNormal());
            x[2 * i + 1] = (float)(py + noise * rng.NextNormal());
            labels[i] = upper ? 0 : 1;
        }
        return Shuffled("moons", x, labels, 2, 2, rng);
    }

    /// <summary>Two concentric circles (make_circles): inner radius <paramref name="factor"/>, outer 1.</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="noise">Noise std.</param>
    /// <param name="factor">Inner/outer radius ratio in (0, 1).</param>
    /// <param name="seed">Seed.</param>
    /// <returns>2 features, 2 classes.</returns>
    public static Dataset Circles(int rows = 1000, double noise = 0.05, double factor = 0.5, ulong seed = 1)
    {
        var rng = Start(rows, noise, seed);
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"Circles: factor must be in (0, 1), got {factor}.");
        }
        var x = new float[rows * 2];
        var labels = new int[rows];
        int outer = rows / 2;
        for (int i = 0; i < rows; i++)
        {
            bool isOuter = i < outer;
            int k = isOuter ? i : i - outer;
            int n = isOuter ? outer : rows - outer;
            double t = 2 * Math.PI * k / Math.Max(1, n);
            double radius = isOuter ? 1 : factor;
            x[2 * i] = (float)(radius * Math.Cos(t) + noise * rng.NextNormal());
            x[2 * i + 1] = (float)(radius * Math.Sin(t) + noise * rng.NextNormal());
            labels[i] = isOuter ? 0 : 1;
        }
        return Shuffled("circles", x, labels, 2, 2, rng);
    }

    /// <summary>K interleaved spiral arms (the CS231n spiral): r ∈ [0, 1], angle 4r + 2πk/K + noise.</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="arms">Number of arms (classes), ≥ 2.</param>
    /// <param name="noise">Angular noise std.</param>
    /// <param name="seed">Seed.</param>
    /// <returns>2 features, <paramref name="arms"/> classes.</returns>
    public static Dataset Spirals(int rows = 1500, int arms = 3, double noise = 0.2, ulong seed = 1)
    {
        var rng = Start(rows, noise, seed);
        if (arms < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(arms), arms, $"Spirals: needs at least 2 arms, got {arms}.");
        }
        var x = new float[rows * 2];
        var labels = new int[rows];
        int perArm = rows / arms;
        for (int i = 0; i < rows; i++)
        {
            int arm = Math.Min(i / Math.Max(1, perArm), arms - 1);
            int k = i - arm * perArm;
            int n = arm == arms - 1 ? rows - arm * perArm : perArm;
            double r = (double)k / Math.Max(1, n - 1);
            double t = 4.0 * r + 2 * Math.PI * arm / arms + noise * rng.NextNormal();
            x[2 * i] = (float)(r * Math.Sin(t));
            x[2 * i + 1] = (float)(r * Math.Cos(t));
            labels[i] = arm;
        }
        return Shuffled("spirals", x, labels, 2, arms, rng);
    }

    /// <summary>XOR: points uniform in [−1, 1]², label 1 when the signs of x and y differ.</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="noise">Gaussian jitter added after labelling.</param>
    /// <param name="seed">Seed.</param>
    /// <returns>2 features, 2 classes.</returns>
    public static Dataset Xor(int rows = 1000, double noise = 0.0, ulong seed = 1)
    {
        var rng = Start(rows, noise, seed);
        var x = new float[rows * 2];
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            double a = rng.Uniform(-1, 1), b = rng.Uniform(-1, 1);
            labels[i] = (a > 0) != (b > 0) ? 1 : 0;
            x[2 * i] = (float)(a + noise * rng.NextNormal());
            x[2 * i + 1] = (float)(b + noise * rng.NextNormal());
        }
        return new Dataset("xor", new Tensor(x, rows, 2), labels, 2);
    }

    /// <summary>Gaussian blobs: <paramref name="centers"/> centres uniform in [−10, 10]^d, std <paramref name="spread"/>.</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="centers">Classes, ≥ 2.</param>
    /// <param name="features">Dimensions, ≥ 1.</param>
    /// <param name="spread">Cluster std, &gt; 0.</param>
    /// <param name="seed">Seed.</param>
    /// <returns><paramref name="features"/> features, <paramref name="centers"/> classes.</returns>
    public static Dataset Blobs(int rows = 1000, int centers = 3, int features = 2, double spread = 1.0, ulong seed = 1)
    {
        var rng = Start(rows, spread, seed);
        ArgumentOutOfRangeException.ThrowIfLessThan(centers, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        var centres = new double[centers * features];
        for (int i = 0; i < centres.Length; i++)
        {
            centres[i] = rng.Uniform(-10, 10);
        }
        var x = new float[rows * features];
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            int c = i % centers;
            labels[i] = c;
            for (int f = 0; f < features; f++)
            {
                x[i * features + f] = (float)(centres[c * features + f] + spread * rng.NextNormal());
            }
        }
        return Shuffled("blobs", x, labels, features, centers, rng);
    }

    /// <summary>A noisy regression curve: x uniform in [−3, 3], y = sin(x) + 0.3·x + noise.</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="noise">Noise std.</param>
    /// <param name="seed">Seed.</param>
    /// <returns>1 feature, 1 target.</returns>
    public static Dataset Curve(int rows = 500, double noise = 0.1, ulong seed = 1)
    {
        var rng = Start(rows, noise, seed);
        var x = new float[rows];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            double v = rng.Uniform(-3, 3);
            x[i] = (float)v;
            y[i] = (float)(Math.Sin(v) + 0.3 * v + noise * rng.NextNormal());
        }
        return new Dataset("curve", new Tensor(x, rows, 1), new Tensor(y, rows, 1));
    }

    private static Rng Start(int rows, double noise, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 2);
        if (!(noise >= 0) || !double.IsFinite(noise))
        {
            throw new ArgumentOutOfRangeException(nameof(noise), noise, $"noise must be finite and >= 0, got {noise}.");
        }
        return new Rng(seed);
    }

    private static Dataset Shuffled(string name, float[] x, int[] labels, int features, int classes, Rng rng)
    {
        int rows = labels.Length;
        int[] order = [.. Enumerable.Range(0, rows)];
        rng.Shuffle(order.AsSpan());
        var data = new Dataset(name, new Tensor(x, rows, features), labels, classes);
        return data.Subset(order, name);
    }
}
