using InitLab.Tensors;

namespace InitLab.Models;

/// <summary>RMSE, MAE and R² of predictions against targets, accumulated in double.</summary>
internal static class RegressionMetrics
{
    /// <summary>(RMSE, MAE, R²) for row-major <paramref name="predicted"/> against <paramref name="targets"/> (rows×outputs).</summary>
    public static (double Rmse, double Mae, double R2) Compute(ReadOnlySpan<double> predicted, Tensor targets)
    {
        int rows = targets.Shape[0], outputs = targets.Shape[1];
        double squares = 0, absolute = 0, r2Sum = 0;
        for (int c = 0; c < outputs; c++)
        {
            double mean = 0;
            for (int r = 0; r < rows; r++)
            {
                mean += targets.Data[r * outputs + c];
            }
            mean /= rows;
            double residual = 0, total = 0;
            for (int r = 0; r < rows; r++)
            {
                double y = targets.Data[r * outputs + c];
                double e = predicted[r * outputs + c] - y;
                residual += e * e;
                absolute += Math.Abs(e);
                total += (y - mean) * (y - mean);
            }
            squares += residual;
            r2Sum += total > 0 ? 1 - residual / total : double.NaN;
        }
        double n = (double)rows * outputs;
        return (Math.Sqrt(squares / n), absolute / n, r2Sum / outputs);
    }
}
