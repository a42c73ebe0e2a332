using System.Numerics.Tensors;
using InitLab.Kernels;

namespace InitLab.Initializers;

/// <summary>
/// The Q factor of a thin QR decomposition A = Q·R with diag(R) &gt; 0, by Householder reflections (Golub &amp; Van Loan
/// §5.2). With the positive diagonal the factorisation is unique, so Q is the same matrix Gram–Schmidt gives and, for a
/// Gaussian A, Haar-distributed (Mezzadri 2007). Matrices are passed transposed (row j = column j of A), so that a
/// column of A is contiguous.
/// </summary>
/// <remarks>
/// <para>Below <see cref="BlockedFrom"/> columns everything is scalar double (bit-identical on every CPU). From there
/// the reflectors are grouped in blocks of <see cref="BlockSize"/> in compact WY form, H₀⋯H_{b−1} = I − V·T·Vᵀ (Schreiber
/// &amp; Van Loan 1989; LAPACK's geqrf/larft/orgqr), and the trailing updates and the accumulation of Q run through the
/// packed float <see cref="Gemm"/> over the rows and columns a block really touches: ~4·m·n² − (4/3)·n³ flops
/// (≈ 2.9 GFlop for 1024×1024), nearly all in GEMM. Each reflector I − τ·v·vᵀ is built from the float
/// v with τ = 2/(vᵀv) in double, so it is orthogonal to double precision; Q comes out orthonormal to float precision
/// (~1e-6), which is what the float weights keep anyway. The GEMM's bits depend on the instruction set (FMA), not on the
/// thread count.</para>
/// </remarks>
internal static class HouseholderQr
{
    /// <summary>Reflectors per compact-WY block.</summary>
    internal const int BlockSize = 64;

    /// <summary>From this many columns on, the blocked GEMM path is used.</summary>
    internal const int BlockedFrom = 128;

    /// <summary>Qᵀ (narrow×tall, row-major) for Aᵀ given as <paramref name="transposed"/> (narrow×tall, overwritten).</summary>
    public static double[] OrthonormalRows(double[] transposed, int narrow, int tall, int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(narrow, tall);
        return narrow >= BlockedFrom ? Blocked(transposed, narrow, tall, maxThreads) : Unblocked(transposed, narrow, tall);
    }

    /// <summary>The scalar double algorithm: reflect column j, apply to the later columns; then Q = H₀⋯H_{n−1}·I by
    /// backward accumulation (only rows ≥ j of Qᵀ change at step j).</summary>
    internal static double[] Unblocked(double[] at, int narrow, int tall)
    {
        var taus = new double[narrow];
        var signs = new double[narrow];
        for (int j = 0; j < narrow; j++)
        {
            Span<double> row = at.AsSpan(j * tall, tall);
            (taus[j], signs[j]) = MakeReflector(row, j, roundToFloat: false);
            for (int i = j + 1; i < narrow; i++)
            {
                Reflect(at.AsSpan(i * tall, tall), row, j, taus[j]);
            }
        }
        var qt = new double[narrow * tall];
        for (int j = 0; j < narrow; j++)
        {
            qt[j * tall + j] = 1;
        }
        for (int j = narrow - 1; j >= 0; j--)
        {
            ReadOnlySpan<double> v = at.AsSpan(j * tall, tall);
            for (int i = j; i < narrow; i++)
            {
                Reflect(qt.AsSpan(i * tall, tall), v, j, taus[j]);
            }
        }
        FixSigns(qt, signs, tall);
        return qt;
    }

    private static double[] Blocked(double[] source, int narrow, int tall, int maxThreads)
    {
        // Row j of `at` holds column j of A, later its reflector v_j (zeros before j, 1 at j): V's rows, zero-padded, so
        // every GEMM runs over whole contiguous rows.
        var at = new float[narrow * tall];
        TensorPrimitives.ConvertTruncating<double, float>(source.AsSpan(0, at.Length), at);
        var signs = new double[narrow];
        var blocks = new List<(int Start, int Width, float[] T)>();
        var panel = new double[BlockSize * tall];
        var work = new Workspace(narrow, tall);
        for (int k = 0; k < narrow; k += BlockSize)
        {
            int width = Math.Min(BlockSize, narrow - k);
            Span<float> vRows = at.AsSpan(k * tall, width * tall);
            Span<double> p = panel.AsSpan(0, width * tall);
            TensorPrimitives.ConvertTruncating<float, double>(vRows, p);
            var taus = new double[width];
            for (int j = 0; j < width; j++)
            {
                Span<double> row = p.Slice(j * tall, tall);
                (taus[j], signs[k + j]) = MakeReflector(row, k + j, roundToFloat: true);
                for (int i = j + 1; i < width; i++)
                {
                    ReflectVectorized(p.Slice(i * tall, tall), row, k + j, taus[j]);
                }
            }
            TensorPrimitives.ConvertTruncating<double, float>(p, vRows);
            float[] t = TriangularFactor(p, taus, width, tall, k);
            blocks.Add((k, width, t));

            // Aᵀ_trail ← Aᵀ_trail·(I − V·T·Vᵀ) = Aᵀ_trail − ((Aᵀ_trail·V)·T)·Vᵀ.
            int trailing = narrow - k - width;
            if (trailing > 0)
            {
                Span<float> trail = at.AsSpan((k + width) * tall, trailing * tall);
                ApplyBlock(trail, trailing, vRows, t, width, tall, k, transposeT: false, work, maxThreads);
            }
        }

        // Q = (I − V₀T₀V₀ᵀ)⋯(I − V_last T_last V_lastᵀ)·I, accumulated from the last block: Qᵀ ← Qᵀ − ((Qᵀ·V)·Tᵀ)·Vᵀ on the
        // rows ≥ the block's start (earlier columns of Q are still unit vectors the block does not touch).
        var qt = new float[narrow * tall];
        for (int j = 0; j < narrow; j++)
        {
            qt[j * tall + j] = 1;
        }
        for (int b = blocks.Count - 1; b >= 0; b--)
        {
            (int k, int width, float[] t) = blocks[b];
            ReadOnlySpan<float> vRows = at.AsSpan(k * tall, width * tall);
            ApplyBlock(qt.AsSpan(k * tall, (narrow - k) * tall), narrow - k, vRows, t, width, tall, k, transposeT: true, work, maxThreads);
        }
        var result = new double[qt.Length];
        TensorPrimitives.ConvertTruncating<float, double>(qt, result);
        FixSigns(result, signs, tall);
        return result;
    }

    /// <summary>
    /// rows ← rows − ((rows·Vᵀ_stored)·op(T))·V_stored, with V stored as width×tall rows that are zero before column
    /// <paramref name="from"/>: only columns ≥ from take part, copied into contiguous buffers (the GEMM has no leading
    /// dimension), which saves the third of the flops the zeros would cost for a square matrix.
    /// </summary>
    private static void ApplyBlock(Span<float> rows, int count, ReadOnlySpan<float> vRows, float[] t, int width, int tall, int from,
        bool transposeT, Workspace work, int maxThreads)
    {
        int length = tall - from;
        Span<float> compact = work.Rows.AsSpan(0, count * length);
        Span<float> compactV = work.Reflectors.AsSpan(0, width * length);
        for (int i = 0; i < count; i++)
        {
            rows.Slice(i * tall + from, length).CopyTo(compact.Slice(i * length, length));
        }
        for (int i = 0; i < width; i++)
        {
            vRows.Slice(i * tall + from, length).CopyTo(compactV.Slice(i * length, length));
        }
        Span<float> projection = work.Projection.AsSpan(0, count * width);
        Span<float> scaled = work.Scaled.AsSpan(0, count * width);
        Gemm.Multiply(compact, false, compactV, true, projection, count, width, length, accumulate: false, maxThreads);
        Gemm.Multiply(projection, false, t, transposeT, scaled, count, width, width, accumulate: false, maxThreads);
        TensorPrimitives.Negate(scaled, scaled);
        Gemm.Multiply(scaled, false, compactV, false, compact, count, length, width, accumulate: true, maxThreads);
        for (int i = 0; i < count; i++)
        {
            compact.Slice(i * length, length).CopyTo(rows.Slice(i * tall + from, length));
        }
    }

    /// <summary>Buffers reused by every block of one decomposition.</summary>
    private sealed class Workspace(int narrow, int tall)
    {
        public float[] Rows { get; } = new float[narrow * tall];

        public float[] Reflectors { get; } = new float[BlockSize * tall];

        public float[] Projection { get; } = new float[narrow * BlockSize];

        public float[] Scaled { get; } = new float[narrow * BlockSize];
    }

    /// <summary>
    /// Turns row[pivot..] (a column x of A below the diagonal) into the reflector v with v[pivot] = 1 and zeros before,
    /// such that (I − τ·v·vᵀ)·x = β·e_pivot with β = −sign(x₀)·‖x‖ (the sign that avoids cancellation). Returns τ and
    /// sign(β), the sign Q's column must be multiplied by so that R's diagonal becomes positive.
    /// </summary>
    private static (double Tau, double Sign) MakeReflector(Span<double> row, int pivot, bool roundToFloat)
    {
        row[..pivot].Clear();
        double alpha = row[pivot], tail = 0;
        for (int i = pivot + 1; i < row.Length; i++)
        {
            tail += row[i] * row[i];
        }
        if (tail == 0)
        {
            // Already a multiple of e_pivot: no reflection; R's diagonal is alpha itself.
            row[pivot] = 1;
            row[(pivot + 1)..].Clear();
            return (0, alpha < 0 ? -1 : 1);
        }
        double norm = Math.Sqrt(alpha * alpha + tail);
        double beta = alpha >= 0 ? -norm : norm;
        double scale = 1 / (alpha - beta);
        row[pivot] = 1;
        double squares = 1;
        for (int i = pivot + 1; i < row.Length; i++)
        {
            double v = row[i] * scale;
            v = roundToFloat ? (float)v : v;
            row[i] = v;
            squares += v * v;
        }
        // τ from the stored v, so that I − τ·v·vᵀ is orthogonal for exactly this v.
        return (2 / squares, beta < 0 ? -1 : 1);
    }

    /// <summary>target ← (I − τ·v·vᵀ)·target over indices ≥ pivot (v is zero before).</summary>
    private static void Reflect(Span<double> target, ReadOnlySpan<double> v, int pivot, double tau)
    {
        double dot = 0;
        for (int i = pivot; i < v.Length; i++)
        {
            dot += v[i] * target[i];
        }
        double f = tau * dot;
        for (int i = pivot; i < v.Length; i++)
        {
            target[i] -= f * v[i];
        }
    }

    /// <summary>The same with TensorPrimitives (its sums are ordered per vector width, so the bits depend on the CPU).</summary>
    private static void ReflectVectorized(Span<double> target, ReadOnlySpan<double> v, int pivot, double tau)
    {
        double f = tau * TensorPrimitives.Dot(v[pivot..], target[pivot..]);
        TensorPrimitives.MultiplyAdd(v[pivot..], -f, target[pivot..], target[pivot..]);
    }

    /// <summary>LAPACK's larft (forward, columnwise): the upper-triangular T with H₀⋯H_{w−1} = I − V·T·Vᵀ;
    /// T[j][j] = τ_j, T[0..j, j] = −τ_j·T[0..j, 0..j]·(V[:, 0..j]ᵀ·v_j).</summary>
    private static float[] TriangularFactor(ReadOnlySpan<double> vRows, double[] taus, int width, int tall, int start)
    {
        var t = new double[width * width];
        var products = new double[width];
        for (int j = 0; j < width; j++)
        {
            // v_j is zero before its pivot (the block's start + j), so only indices from there on enter the dots.
            int from = start + j;
            ReadOnlySpan<double> vj = vRows.Slice(j * tall + from, tall - from);
            for (int i = 0; i < j; i++)
            {
                products[i] = -taus[j] * TensorPrimitives.Dot(vRows.Slice(i * tall + from, tall - from), vj);
            }
            for (int i = 0; i < j; i++)
            {
                double sum = 0;
                for (int l = i; l < j; l++)
                {
                    sum += t[i * width + l] * products[l];
                }
                t[i * width + j] = sum;
            }
            t[j * width + j] = taus[j];
        }
        var result = new float[t.Length];
        TensorPrimitives.ConvertTruncating<double, float>(t, result);
        return result;
    }

    private static void FixSigns(double[] qt, double[] signs, int tall)
    {
        for (int j = 0; j < signs.Length; j++)
        {
            if (signs[j] < 0)
            {
                Span<double> row = qt.AsSpan(j * tall, tall);
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] = -row[i];
                }
            }
        }
    }
}
