using System.Numerics.Tensors;
using InitLab.Layers;

namespace InitLab.Diagnostics;

/// <summary>Statistics of a layer's weights: symmetry (distinct units), numerical rank, change since a reference.</summary>
public static class WeightStatistics
{
    /// <summary>Relative tolerance under which two units' incoming weights count as identical.</summary>
    public const double SymmetryTolerance = 1e-6;

    /// <summary>
    /// How many hidden units of the layer are distinct: unit j is its incoming weight column W[:, j] and bias b_j; two
    /// units are the same when every entry differs by at most <see cref="SymmetryTolerance"/>·(1 + max|w|). A layer
    /// started from a constant stays at 1 forever: the units compute the same function and get the same gradient.
    /// </summary>
    /// <param name="layer">The layer.</param>
    /// <returns>The number of distinct units (1..Units).</returns>
    public static int DistinctUnits(Dense layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ReadOnlySpan<float> w = layer.Kernel;
        ReadOnlySpan<float> b = layer.Bias;
        int inputs = layer.InputDim, units = layer.Units;
        double tolerance = Tolerance(w);
        var representatives = new List<int>();
        for (int j = 0; j < units; j++)
        {
            bool matched = false;
            foreach (int r in representatives)
            {
                if (SameUnit(w, b, inputs, units, j, r, tolerance))
                {
                    matched = true;
                    break;
                }
            }
            if (!matched)
            {
                representatives.Add(j);
            }
        }
        return representatives.Count;
    }

    /// <summary>
    /// Whether every unit of the layer equals unit 0 (incoming column and bias, within the <see cref="DistinctUnits"/>
    /// tolerance): the question "is this layer one neuron?" in one pass over the kernel, O(inputs·units), where counting the
    /// distinct units can take O(inputs·units²).
    /// </summary>
    /// <param name="layer">The layer.</param>
    /// <returns>True when all units are identical (always for one unit).</returns>
    public static bool AllUnitsIdentical(Dense layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ReadOnlySpan<float> w = layer.Kernel;
        ReadOnlySpan<float> b = layer.Bias;
        double tolerance = Tolerance(w);
        for (int j = 1; j < layer.Units; j++)
        {
            if (!SameUnit(w, b, layer.InputDim, layer.Units, j, 0, tolerance))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether every row of the in×out kernel equals row 0 (within the <see cref="DistinctUnits"/> tolerance): the
    /// layer weights all of its inputs alike, so identical input units receive identical gradients from it.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>True when all rows are identical.</returns>
    public static bool AllInputRowsIdentical(Dense layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ReadOnlySpan<float> w = layer.Kernel;
        double tolerance = Tolerance(w);
        int units = layer.Units;
        for (int i = units; i < w.Length; i++)
        {
            if (Math.Abs(w[i] - w[i % units]) > tolerance)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Numerical rank of the in×out kernel: the number of columns left with a residual norm above
    /// tol·(largest column norm) after modified Gram–Schmidt with column pivoting, in double (tol = 1e-5, float32 level).
    /// </summary>
    /// <param name="layer">The layer.</param>
    /// <returns>The rank.</returns>
    public static int NumericalRank(Dense layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        int rows = layer.InputDim, cols = layer.Units;
        var columns = new double[cols][];
        ReadOnlySpan<float> w = layer.Kernel;
        for (int j = 0; j < cols; j++)
        {
            columns[j] = new double[rows];
            for (int i = 0; i < rows; i++)
            {
                columns[j][i] = w[i * cols + j];
            }
        }
        double maxNorm = columns.Max(Norm);
        if (maxNorm == 0)
        {
            return 0;
        }
        double threshold = 1e-5 * maxNorm;
        var remaining = Enumerable.Range(0, cols).ToList();
        int rank = 0;
        while (remaining.Count > 0 && rank < rows)
        {
            int pivot = remaining.MaxBy(j => Norm(columns[j]));
            double norm = Norm(columns[pivot]);
            if (norm <= threshold)
            {
                break;
            }
            rank++;
            remaining.Remove(pivot);
            double[] q = [.. columns[pivot].Select(v => v / norm)];
            foreach (int j in remaining)
            {
                double dot = 0;
                for (int i = 0; i < rows; i++)
                {
                    dot += q[i] * columns[j][i];
                }
                for (int i = 0; i < rows; i++)
                {
                    columns[j][i] -= dot * q[i];
                }
            }
        }
        return rank;
    }

    /// <summary>‖W − W₀‖ / ‖W₀‖, or ‖W − W₀‖ when W₀ = 0 (so a zero start still shows movement).</summary>
    /// <param name="current">W.</param>
    /// <param name="reference">W₀.</param>
    /// <returns>The relative change.</returns>
    public static double RelativeChange(ReadOnlySpan<float> current, ReadOnlySpan<float> reference)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < current.Length; i++)
        {
            double d = current[i] - reference[i];
            diff += d * d;
            norm += (double)reference[i] * reference[i];
        }
        return norm > 0 ? Math.Sqrt(diff / norm) : Math.Sqrt(diff);
    }

    private static bool SameUnit(ReadOnlySpan<float> w, ReadOnlySpan<float> b, int inputs, int units, int j, int k, double tolerance)
    {
        if (!b.IsEmpty && Math.Abs(b[j] - b[k]) > tolerance)
        {
            return false;
        }
        for (int i = 0; i < inputs; i++)
        {
            if (Math.Abs(w[i * units + j] - w[i * units + k]) > tolerance)
            {
                return false;
            }
        }
        return true;
    }

    // MaxMagnitude returns the signed value of largest magnitude.
    private static double Tolerance(ReadOnlySpan<float> w) => SymmetryTolerance * (1 + (w.IsEmpty ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(w))));

    private static double Norm(double[] v)
    {
        double sum = 0;
        foreach (double x in v)
        {
            sum += x * x;
        }
        return Math.Sqrt(sum);
    }
}
