using System.Runtime.CompilerServices;

namespace InitLab.Kernels;

/// <summary>
/// Single-precision matrix multiply in the three forms back-propagation needs:
/// C = op(A)·op(B) (or C += op(A)·op(B)), where op(A) is m×k and op(B) is k×n, all row-major.
/// </summary>
/// <remarks>
/// <para><c>transA = false</c>: A is stored m×k; <c>true</c>: A is stored k×m and used transposed (Aᵀ·B).
/// <c>transB = false</c>: B is stored k×n; <c>true</c>: B is stored n×k (A·Bᵀ).</para>
/// <para>Every element of C is a sum over k in ascending order, in blocks of <see cref="KernelPlan.Kc"/>, whatever the
/// thread count: threads split the output tiles only, never the sum, so 1 and N threads give the same bits. Different
/// kernels and blockings (<see cref="KernelPlan.Current"/>, chosen per processor) may differ from each other and from
/// <see cref="Reference"/> in the last bits, because of FMA contraction and the k-blocks.</para>
/// </remarks>
public static partial class Gemm
{
    /// <summary>Computes C = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/> is true.</summary>
    /// <param name="a">A, m×k (or k×m when <paramref name="transA"/>).</param>
    /// <param name="transA">Whether A is stored transposed.</param>
    /// <param name="b">B, k×n (or n×k when <paramref name="transB"/>).</param>
    /// <param name="transB">Whether B is stored transposed.</param>
    /// <param name="c">C, m×n.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">Length of the inner dimension.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    /// <param name="maxThreads">How many threads may work on it (1 = the calling thread only).</param>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void Multiply(ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB, Span<float> c,
        int m, int n, int k, bool accumulate = false, int maxThreads = 1)
    {
        CheckArguments(a.Length, b.Length, c.Length, m, n, k);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0)
        {
            if (!accumulate)
            {
                c[..(m * n)].Clear();
            }
            return;
        }
        Run(KernelPlan.Current, a, transA, b, transB, c, m, n, k, accumulate, maxThreads);
    }

    /// <summary>Multiply with a given plan (tests force each kernel and blocking through this); arguments already checked.</summary>
    /// <exception cref="ArgumentException">The plan's kernel cannot run on this machine.</exception>
    internal static void Run(KernelPlan plan, ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB, Span<float> c,
        int m, int n, int k, bool accumulate, int maxThreads)
    {
        switch (plan.Kernel)
        {
            case GemmKernel.Avx512X8x32 when Vector512Kernel.IsSupported:
                Blocked<Vector512Kernel>(plan, a, transA, b, transB, c, m, n, k, accumulate, maxThreads);
                break;
            case GemmKernel.Avx512X24x16 when Vector512BroadcastKernel.IsSupported:
                Blocked<Vector512BroadcastKernel>(plan, a, transA, b, transB, c, m, n, k, accumulate, maxThreads);
                break;
            case GemmKernel.Avx2X6x16 when Vector256Kernel.IsSupported:
                Blocked<Vector256Kernel>(plan, a, transA, b, transB, c, m, n, k, accumulate, maxThreads);
                break;
            case GemmKernel.Scalar:
                Reference(a, transA, b, transB, c, m, n, k, accumulate);
                break;
            default:
                throw new ArgumentException($"Gemm: the {plan.KernelName} kernel cannot run on this machine.", nameof(plan));
        }
    }

    /// <summary>
    /// A dense layer's forward pass in one sweep: z = op(A)·op(B) (+ <paramref name="bias"/>, per column) and
    /// <paramref name="output"/> = φ(z). The bias and φ are applied to each tile of z when the micro-kernel stores its
    /// last k-block, while the tile is in L1, instead of in a second pass over the whole of z. z and the output get
    /// exactly the bits of <see cref="Multiply"/> followed by <see cref="OutputPass.Row(Span{float}, ReadOnlySpan{float}, Span{float}, OutputActivation, RowActivation?)"/>
    /// over whole rows, for any thread count.
    /// </summary>
    /// <param name="a">A, m×k (or k×m when <paramref name="transA"/>).</param>
    /// <param name="transA">Whether A is stored transposed.</param>
    /// <param name="b">B, k×n (or n×k when <paramref name="transB"/>).</param>
    /// <param name="transB">Whether B is stored transposed.</param>
    /// <param name="z">Destination of the pre-activation, m×n.</param>
    /// <param name="bias">Per-column bias (n values), or empty for none.</param>
    /// <param name="output">Destination of φ(z), m×n (not overlapping <paramref name="z"/> unless it is the same buffer).</param>
    /// <param name="activation">φ.</param>
    /// <param name="rows">φ for <see cref="OutputActivation.Rows"/> (required then, ignored otherwise).</param>
    /// <param name="m">Rows.</param>
    /// <param name="n">Columns.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="maxThreads">How many threads may work on it.</param>
    internal static void MultiplyBiasActivation(ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB, Span<float> z,
        ReadOnlySpan<float> bias, Span<float> output, OutputActivation activation, RowActivation? rows, int m, int n, int k, int maxThreads)
    {
        CheckArguments(a.Length, b.Length, z.Length, m, n, k);
        if ((!bias.IsEmpty && bias.Length < n) || output.Length < (long)m * n || (activation == OutputActivation.Rows && rows is null))
        {
            throw new ArgumentException(
                $"Gemm: the fused output pass needs a bias of {n} values (or none), an output of {(long)m * n} and a row function for Rows; " +
                $"got bias={bias.Length}, output={output.Length}, {activation}, row function {(rows is null ? "none" : "given")}.");
        }
        RunBiasActivation(KernelPlan.Current, a, transA, b, transB, z, bias, output, activation, rows, m, n, k, maxThreads);
    }

    /// <summary><see cref="MultiplyBiasActivation"/> with a given plan (tests force each kernel through this); arguments checked.</summary>
    /// <exception cref="ArgumentException">The plan's kernel cannot run on this machine.</exception>
    internal static void RunBiasActivation(KernelPlan plan, ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB, Span<float> z,
        ReadOnlySpan<float> bias, Span<float> output, OutputActivation activation, RowActivation? rows, int m, int n, int k, int maxThreads)
    {
        if (m == 0 || n == 0)
        {
            return;
        }
        if (bias.Length > n)
        {
            bias = bias[..n];
        }
        switch (plan.Kernel)
        {
            case GemmKernel.Avx512X8x32 when k > 0 && Vector512Kernel.IsSupported:
                Blocked<Vector512Kernel>(plan, a, transA, b, transB, z, m, n, k, false, maxThreads, bias, output, activation, rows);
                break;
            case GemmKernel.Avx512X24x16 when k > 0 && Vector512BroadcastKernel.IsSupported:
                Blocked<Vector512BroadcastKernel>(plan, a, transA, b, transB, z, m, n, k, false, maxThreads, bias, output, activation, rows);
                break;
            case GemmKernel.Avx2X6x16 when k > 0 && Vector256Kernel.IsSupported:
                Blocked<Vector256Kernel>(plan, a, transA, b, transB, z, m, n, k, false, maxThreads, bias, output, activation, rows);
                break;
            default:
                // The scalar plan (and k = 0, where z is 0): the product first, then the same row pass over all of it.
                if (k == 0)
                {
                    z[..(m * n)].Clear();
                }
                else
                {
                    Run(plan, a, transA, b, transB, z, m, n, k, accumulate: false, maxThreads);
                }
                for (int r = 0; r < m; r++)
                {
                    OutputPass.Row(z.Slice(r * n, n), bias, output.Slice(r * n, n), activation, rows);
                }
                break;
        }
    }

    /// <summary>The plain scalar definition the fast path is tested against (double accumulation per k-block
    /// is not used: one float multiply-add per term, in ascending k).</summary>
    /// <param name="a">A, m×k (or k×m when <paramref name="transA"/>).</param>
    /// <param name="transA">Whether A is stored transposed.</param>
    /// <param name="b">B, k×n (or n×k when <paramref name="transB"/>).</param>
    /// <param name="transB">Whether B is stored transposed.</param>
    /// <param name="c">C, m×n.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Reference(ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB, Span<float> c,
        int m, int n, int k, bool accumulate = false)
    {
        CheckArguments(a.Length, b.Length, c.Length, m, n, k);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * m + i] : a[i * k + p];
                    float bv = transB ? b[j * k + p] : b[p * n + j];
                    sum += av * bv;
                }
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
            }
        }
    }

    /// <summary>The same definition in double precision, for gradient checks.</summary>
    internal static void ReferenceDouble(ReadOnlySpan<double> a, bool transA, ReadOnlySpan<double> b, bool transB, Span<double> c,
        int m, int n, int k, bool accumulate = false)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                }
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
            }
        }
    }

    private static void CheckArguments(int aLength, int bLength, int cLength, int m, int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if ((long)m * k > aLength || (long)k * n > bLength || (long)m * n > cLength)
        {
            ThrowTooShort(aLength, bLength, cLength, m, n, k);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooShort(int aLength, int bLength, int cLength, int m, int n, int k) =>
        throw new ArgumentException(
            $"Gemm: m={m}, n={n}, k={k} needs A ≥ {(long)m * k}, B ≥ {(long)k * n}, C ≥ {(long)m * n} elements; " +
            $"got A={aLength}, B={bLength}, C={cLength}.");
}
