namespace InitLab.Analysis;

/// <summary>
/// Singular values by one-sided Jacobi (Hestenes 1958; Demmel &amp; Veselić 1992): plane rotations make the columns
/// pairwise orthogonal, and the singular values are then the column norms. Chosen over an eigen solver on JᵀJ because it
/// never squares the condition number (small σ keep their relative accuracy) and over a library (MathNet.Numerics)
/// because this is the only decomposition InitLab needs: ~60 lines, double precision, no dependency.
/// </summary>
public static class SingularValues
{
    private const int MaxSweeps = 60;

    /// <summary>All min(rows, cols) singular values of <paramref name="matrix"/>, largest first.</summary>
    /// <param name="matrix">Any finite matrix. Cost ≈ 10 sweeps of n²/2 rotations of length m, with n = min(rows, cols)
    /// and m = max: about a second for 512×512 on one core.</param>
    /// <returns>σ₁ ≥ σ₂ ≥ … ≥ 0.</returns>
    /// <exception cref="ArgumentException">The matrix holds NaN or an infinity.</exception>
    public static double[] Compute(Matrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        foreach (double v in matrix.Values)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"SingularValues: the {matrix.Rows}×{matrix.Cols} matrix holds {v}; singular values need finite entries.", nameof(matrix));
            }
        }
        // Work on the orientation with fewer columns (A and Aᵀ have the same singular values); column j is columns[j].
        bool transpose = matrix.Cols > matrix.Rows;
        int n = Math.Min(matrix.Rows, matrix.Cols), m = Math.Max(matrix.Rows, matrix.Cols);
        var columns = new double[n][];
        for (int j = 0; j < n; j++)
        {
            columns[j] = new double[m];
            for (int i = 0; i < m; i++)
            {
                columns[j][i] = transpose ? matrix.Values[j * matrix.Cols + i] : matrix.Values[i * matrix.Cols + j];
            }
        }
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    rotated |= Orthogonalize(columns[p], columns[q]);
                }
            }
            if (!rotated)
            {
                break;
            }
        }
        var result = new double[n];
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            foreach (double v in columns[j])
            {
                sum += v * v;
            }
            result[j] = Math.Sqrt(sum);
        }
        Array.Sort(result);
        Array.Reverse(result);
        return result;
    }

    /// <summary>The largest singular value ‖A‖₂ (the spectral norm).</summary>
    /// <param name="matrix">The matrix.</param>
    /// <returns>σ₁, or 0 for an empty matrix.</returns>
    public static double SpectralNorm(Matrix matrix)
    {
        double[] values = Compute(matrix);
        return values.Length == 0 ? 0 : values[0];
    }

    /// <summary>One Jacobi rotation making columns a and b orthogonal; false when they already are (to 1e-15).</summary>
    private static bool Orthogonalize(double[] a, double[] b)
    {
        double alpha = 0, beta = 0, gamma = 0;
        for (int i = 0; i < a.Length; i++)
        {
            alpha += a[i] * a[i];
            beta += b[i] * b[i];
            gamma += a[i] * b[i];
        }
        if (gamma == 0 || Math.Abs(gamma) <= 1e-15 * Math.Sqrt(alpha * beta))
        {
            return false;
        }
        // The rotation that zeroes the off-diagonal entry of the 2×2 Gram matrix [[α, γ], [γ, β]] (smaller angle).
        double zeta = (beta - alpha) / (2 * gamma);
        double t = Math.Sign(zeta == 0 ? 1 : zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
        double c = 1 / Math.Sqrt(1 + t * t), s = c * t;
        for (int i = 0; i < a.Length; i++)
        {
            double x = a[i], y = b[i];
            a[i] = c * x - s * y;
            b[i] = s * x + c * y;
        }
        return true;
    }
}
