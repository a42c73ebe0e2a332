namespace InitLab.Losses;

/// <summary>
/// Binary cross-entropy, mean over rows·cols of −[t·log p + (1 − t)·log(1 − p)]. From probabilities, p is clipped to
/// [ε, 1 − ε] with Keras's ε = 1e-7 (gradient 0 where clipped); from logits it uses the stable
/// max(z, 0) − z·t + log(1 + e^−|z|), gradient σ(z) − t.
/// </summary>
/// <param name="fromLogits">Whether outputs are logits.</param>
public sealed class BinaryCrossEntropy(bool fromLogits = false) : Loss
{
    /// <summary>Keras's backend epsilon.</summary>
    public const double Epsilon = 1e-7;

    /// <inheritdoc />
    public override string Name => FromLogits ? "binary_crossentropy_from_logits" : "binary_crossentropy";

    /// <inheritdoc />
    public override bool FromLogits => fromLogits;

    /// <inheritdoc />
    public override Loss? FuseWith(string finalActivation) =>
        !fromLogits && finalActivation == "sigmoid" ? new BinaryCrossEntropy(fromLogits: true) : null;

    /// <inheritdoc />
    public override double Compute<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows, int cols)
    {
        CheckShape(output.Length, target.Length, gradient.Length, rows, cols);
        int count = rows * cols;
        double sum = 0;
        double scale = 1.0 / count;
        for (int i = 0; i < count; i++)
        {
            double y = double.CreateChecked(output[i]);
            double t = double.CreateChecked(target[i]);
            if (fromLogits)
            {
                sum += Math.Max(y, 0) - y * t + Math.Log(1 + Math.Exp(-Math.Abs(y)));
                double p = y >= 0 ? 1 / (1 + Math.Exp(-y)) : Math.Exp(y) / (1 + Math.Exp(y));
                gradient[i] = T.CreateChecked((p - t) * scale);
            }
            else
            {
                double p = Math.Clamp(y, Epsilon, 1 - Epsilon);
                sum += -(t * Math.Log(p) + (1 - t) * Math.Log(1 - p));
                bool clipped = y < Epsilon || y > 1 - Epsilon;
                gradient[i] = clipped ? T.Zero : T.CreateChecked((p - t) / (p * (1 - p)) * scale);
            }
        }
        return sum * scale;
    }
}

/// <summary>
/// Categorical cross-entropy, mean over rows of −Σⱼ tⱼ·log pⱼ, with one-hot targets
/// (<paramref name="sparse"/> = false) or integer class indices (true). From probabilities p is clipped to [ε, 1 − ε];
/// from logits it uses log-softmax (z − max − log Σ e^(z − max)) and the gradient softmax(z) − t.
/// </summary>
/// <param name="sparse">Targets are class indices (Keras's SparseCategoricalCrossentropy).</param>
/// <param name="fromLogits">Outputs are logits.</param>
public sealed class CategoricalCrossEntropy(bool sparse = false, bool fromLogits = false) : Loss
{
    /// <inheritdoc />
    public override string Name => (sparse ? "sparse_" : string.Empty) + "categorical_crossentropy" + (fromLogits ? "_from_logits" : string.Empty);

    /// <inheritdoc />
    public override TargetKind TargetKind => sparse ? TargetKind.ClassIndex : TargetKind.Dense;

    /// <inheritdoc />
    public override bool FromLogits => fromLogits;

    /// <inheritdoc />
    public override Loss? FuseWith(string finalActivation) =>
        !fromLogits && finalActivation == "softmax" ? new CategoricalCrossEntropy(sparse, fromLogits: true) : null;

    /// <inheritdoc />
    public override double Compute<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows, int cols)
    {
        CheckShape(output.Length, target.Length, gradient.Length, rows, cols);
        double sum = 0;
        double scale = 1.0 / rows;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> y = output.Slice(r * cols, cols);
            Span<T> g = gradient.Slice(r * cols, cols);
            int label = sparse ? ClassIndex(target[r], cols, r) : -1;
            if (fromLogits)
            {
                double max = double.NegativeInfinity;
                for (int j = 0; j < cols; j++)
                {
                    max = Math.Max(max, double.CreateChecked(y[j]));
                }
                double sumExp = 0;
                for (int j = 0; j < cols; j++)
                {
                    sumExp += Math.Exp(double.CreateChecked(y[j]) - max);
                }
                double logSum = Math.Log(sumExp) + max;
                for (int j = 0; j < cols; j++)
                {
                    double t = sparse ? (j == label ? 1 : 0) : double.CreateChecked(target[r * cols + j]);
                    double logP = double.CreateChecked(y[j]) - logSum;
                    if (t != 0)
                    {
                        sum -= t * logP;
                    }
                    g[j] = T.CreateChecked((Math.Exp(logP) - t) * scale);
                }
            }
            else
            {
                for (int j = 0; j < cols; j++)
                {
                    double t = sparse ? (j == label ? 1 : 0) : double.CreateChecked(target[r * cols + j]);
                    double raw = double.CreateChecked(y[j]);
                    double p = Math.Clamp(raw, BinaryCrossEntropy.Epsilon, 1 - BinaryCrossEntropy.Epsilon);
                    if (t != 0)
                    {
                        sum -= t * Math.Log(p);
                    }
                    bool clipped = raw < BinaryCrossEntropy.Epsilon || raw > 1 - BinaryCrossEntropy.Epsilon;
                    g[j] = clipped ? T.Zero : T.CreateChecked(-t / p * scale);
                }
            }
        }
        return sum * scale;
    }

    private static int ClassIndex<T>(T value, int cols, int row)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        double v = double.CreateChecked(value);
        int label = (int)v;
        if (label != v || label < 0 || label >= cols)
        {
            throw new ArgumentException($"Sparse categorical cross-entropy: target of row {row} is {v}, expected a class index 0..{cols - 1}.");
        }
        return label;
    }
}
