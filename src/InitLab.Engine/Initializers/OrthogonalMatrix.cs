using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>Haar-distributed (semi-)orthogonal matrices, the shared step of orthogonal, delta-orthogonal and LSUV.</summary>
public static class OrthogonalMatrix
{
    /// <summary>
    /// A rows×cols matrix (row-major, double) with orthonormal columns when rows ≥ cols, orthonormal rows otherwise:
    /// the Q of a Gaussian max×min matrix (drawn row-major, like the frameworks) with R's diagonal made positive — the
    /// sign fix (Mezzadri 2007) that makes Q Haar-distributed — by Householder QR (<see cref="HouseholderQr"/>; blocked
    /// and GEMM-driven from 128 columns). Up to rounding it is the matrix <see cref="DrawGramSchmidt"/> returns for the
    /// same generator state, since Q with a positive-diagonal R is unique.
    /// </summary>
    /// <param name="rows">Rows, ≥ 1.</param>
    /// <param name="cols">Columns, ≥ 1.</param>
    /// <param name="rng">The generator the Gaussian matrix is drawn from.</param>
    /// <returns>The rows×cols matrix, row-major.</returns>
    public static double[] Draw(int rows, int cols, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        ArgumentNullException.ThrowIfNull(rng);
        int tall = Math.Max(rows, cols), narrow = Math.Min(rows, cols);
        // transposed[j·tall + i] = A[i, j]: column j of the tall×narrow Gaussian matrix is row j.
        var transposed = new double[narrow * tall];
        for (int i = 0; i < tall; i++)
        {
            for (int j = 0; j < narrow; j++)
            {
                transposed[j * tall + i] = rng.NextNormal();
            }
        }
        double[] qt = HouseholderQr.OrthonormalRows(transposed, narrow, tall, Environment.ProcessorCount);
        if (rows < cols)
        {
            return qt;
        }
        // result = (Qᵀ)ᵀ, in 32×32 tiles so that both the reads and the strided writes stay in cache.
        const int Tile = 32;
        var result = new double[rows * cols];
        for (int j0 = 0; j0 < narrow; j0 += Tile)
        {
            for (int i0 = 0; i0 < tall; i0 += Tile)
            {
                for (int j = j0; j < Math.Min(j0 + Tile, narrow); j++)
                {
                    for (int i = i0; i < Math.Min(i0 + Tile, tall); i++)
                    {
                        result[i * cols + j] = qt[j * tall + i];
                    }
                }
            }
        }
        return result;
    }

    /// <summary>
    /// The previous algorithm, kept as the test's second implementation: modified Gram–Schmidt run twice on the columns
    /// of the same Gaussian matrix (Gram–Schmidt gives R a positive diagonal directly). ~4·m·n² scalar flops.
    /// </summary>
    internal static double[] DrawGramSchmidt(int rows, int cols, Rng rng)
    {
        int tall = Math.Max(rows, cols), narrow = Math.Min(rows, cols);
        // columns[j] is column j of the tall×narrow Gaussian matrix; the draw order is row-major like the frameworks'.
        var columns = new double[narrow][];
        for (int j = 0; j < narrow; j++)
        {
            columns[j] = new double[tall];
        }
        for (int i = 0; i < tall; i++)
        {
            for (int j = 0; j < narrow; j++)
            {
                columns[j][i] = rng.NextNormal();
            }
        }
        for (int j = 0; j < narrow; j++)
        {
            double[] v = columns[j];
            for (int pass = 0; pass < 2; pass++)
            {
                for (int p = 0; p < j; p++)
                {
                    double[] q = columns[p];
                    double dot = 0;
                    for (int i = 0; i < tall; i++)
                    {
                        dot += q[i] * v[i];
                    }
                    for (int i = 0; i < tall; i++)
                    {
                        v[i] -= dot * q[i];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < tall; i++)
            {
                norm += v[i] * v[i];
            }
            norm = Math.Sqrt(norm);
            for (int i = 0; i < tall; i++)
            {
                v[i] /= norm;
            }
        }
        var result = new double[rows * cols];
        for (int i = 0; i < tall; i++)
        {
            for (int j = 0; j < narrow; j++)
            {
                // rows ≥ cols: Q itself; rows < cols: Qᵀ.
                if (rows >= cols)
                {
                    result[i * cols + j] = columns[j][i];
                }
                else
                {
                    result[j * cols + i] = columns[j][i];
                }
            }
        }
        return result;
    }
}
