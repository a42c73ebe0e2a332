namespace InitLab.Losses;

/// <summary>Mean squared error, mean over all rows·cols of (y − t)² (Keras: mean over the last axis, then the batch).</summary>
public sealed class MeanSquaredError : Loss
{
    /// <inheritdoc />
    public override string Name => "mean_squared_error";

    /// <inheritdoc />
    public override double Compute<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows, int cols)
    {
        CheckShape(output.Length, target.Length, gradient.Length, rows, cols);
        int count = rows * cols;
        double sum = 0;
        T scale = T.CreateChecked(2.0 / count);
        for (int i = 0; i < count; i++)
        {
            T diff = output[i] - target[i];
            sum += double.CreateChecked(diff * diff);
            gradient[i] = scale * diff;
        }
        return sum / count;
    }
}

/// <summary>Mean absolute error, mean of |y − t|; the gradient at y = t is taken as 0.</summary>
public sealed class MeanAbsoluteError : Loss
{
    /// <inheritdoc />
    public override string Name => "mean_absolute_error";

    /// <inheritdoc />
    public override double Compute<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> gradient, int rows, int cols)
    {
        CheckShape(output.Length, target.Length, gradient.Length, rows, cols);
        int count = rows * cols;
        double sum = 0;
        T scale = T.CreateChecked(1.0 / count);
        for (int i = 0; i < count; i++)
        {
            T diff = output[i] - target[i];
            sum += double.CreateChecked(T.Abs(diff));
            gradient[i] = diff > T.Zero ? scale : diff < T.Zero ? -scale : T.Zero;
        }
        return sum / count;
    }
}
