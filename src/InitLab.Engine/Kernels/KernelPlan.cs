using System.Globalization;
using InitLab.Common;

namespace InitLab.Kernels;

/// <summary>
/// The one place that decides how <see cref="Gemm.Multiply"/> runs on this processor: which micro-kernel
/// (MR×NR register tile) and which blocking — kc (the k-block: a kc×NR panel of B stays in L1), mc (rows of the packed
/// A block, kept in L2) and nc (columns of the packed B block, kept in L3). Chosen from <see cref="CpuInfo"/>, or
/// forced with the environment variables <see cref="KernelVariable"/>, <see cref="McVariable"/>,
/// <see cref="KcVariable"/> and <see cref="NcVariable"/> (for tests and comparisons).
/// </summary>
/// <param name="Kernel">The micro-kernel.</param>
/// <param name="Mc">Rows of a packed A block (a multiple of the kernel's MR).</param>
/// <param name="Kc">Length of the k-blocks the sum is split into; results depend on it in the last bits.</param>
/// <param name="Nc">Columns of a packed B block (a multiple of the kernel's NR).</param>
/// <param name="Reason">Why this plan: what was detected or which variable forced it.</param>
public sealed record KernelPlan(GemmKernel Kernel, int Mc, int Kc, int Nc, string Reason)
{
    /// <summary>Forces the micro-kernel: <c>auto</c> or one of <see cref="KernelNames"/>.</summary>
    public const string KernelVariable = "INITLAB_GEMM_KERNEL";

    /// <summary>Forces mc (rows of the packed A block).</summary>
    public const string McVariable = "INITLAB_GEMM_MC";

    /// <summary>Forces kc (the k-block length).</summary>
    public const string KcVariable = "INITLAB_GEMM_KC";

    /// <summary>Forces nc (columns of the packed B block).</summary>
    public const string NcVariable = "INITLAB_GEMM_NC";

    private static readonly (GemmKernel Kernel, string Name, int Mr, int Nr)[] s_kernels =
    [
        (GemmKernel.Avx512X8x32, "avx512-8x32", 8, 32),
        (GemmKernel.Avx512X24x16, "avx512-24x16", 24, 16),
        (GemmKernel.Avx2X6x16, "avx2-6x16", 6, 16),
        (GemmKernel.Scalar, "scalar", 1, 1),
    ];

    private static KernelPlan? s_current;

    /// <summary>The plan of this process: detected once, with the environment's overrides applied.</summary>
    /// <exception cref="ArgumentException">An override variable has a bad value, or forces a kernel this machine cannot run.</exception>
    public static KernelPlan Current => s_current ??= FromEnvironment(CpuInfo.Current, Environment.GetEnvironmentVariable);

    /// <summary>The names <see cref="KernelVariable"/> accepts (besides <c>auto</c>).</summary>
    public static IReadOnlyList<string> KernelNames { get; } = [.. s_kernels.Select(k => k.Name)];

    /// <summary>Rows of the kernel's register tile.</summary>
    public int Mr => Shape(Kernel).Mr;

    /// <summary>Columns of the kernel's register tile.</summary>
    public int Nr => Shape(Kernel).Nr;

    /// <summary>The kernel's name, as <see cref="KernelVariable"/> spells it.</summary>
    public string KernelName => Shape(Kernel).Name;

    /// <summary>The kernel's name (as <see cref="KernelVariable"/> spells it).</summary>
    /// <param name="kernel">The kernel.</param>
    /// <returns>E.g. <c>avx512-8x32</c>.</returns>
    public static string NameOf(GemmKernel kernel) => Shape(kernel).Name;

    /// <summary>Whether <paramref name="kernel"/> can run on <paramref name="cpu"/>.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="cpu">The processor (with the runtime's limits applied, as <see cref="CpuInfo.Detect"/> does).</param>
    /// <returns>True when its instructions are available.</returns>
    public static bool CanRun(GemmKernel kernel, CpuInfo cpu)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        return kernel switch
        {
            GemmKernel.Avx512X8x32 or GemmKernel.Avx512X24x16 => cpu.HasAvx512,
            GemmKernel.Avx2X6x16 => cpu.HasAvx2,
            _ => true,
        };
    }

    /// <summary>The automatic choice for a processor.</summary>
    /// <param name="cpu">The processor.</param>
    /// <returns>The kernel and blocking for it.</returns>
    public static KernelPlan Choose(CpuInfo cpu)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        string arch = cpu.Microarchitecture;
        if (cpu.HasAvx512)
        {
            if (cpu.Vendor == CpuInfo.Amd && cpu.Family == 0x1A)
            {
                // Zen 5 (48 KiB L1d, two full 512-bit FMA pipes): 8×32 with kc = 256, mc = 96 was measured best
                // (docs/performance.md, 82–87% of peak); a 32 KiB kc×NR panel still fits its L1d.
                KernelPlan computed = ForKernel(GemmKernel.Avx512X8x32, cpu, $"{arch} with AVX-512, measured blocking");
                return computed with { Mc = 96, Kc = 256 };
            }
            if (cpu.Vendor == CpuInfo.Intel)
            {
                // Two 512-bit FMA ports with 4-cycle latency want ≥ 8 independent chains: 24×16 has 24, and its
                // broadcasts folded into the FMAs halve the instructions per k-step (1 load + 24 FMAs).
                return ForKernel(GemmKernel.Avx512X24x16, cpu, $"{arch} with AVX-512, blocking from its caches");
            }
            if (cpu.Vendor == CpuInfo.Amd && cpu.Microarchitecture == "AMD Zen 4")
            {
                // Zen 4 runs a 512-bit FMA as two 256-bit halves (one zmm FMA per cycle): 16 chains of the 8×32 kernel
                // cover its latency. Measured on an EPYC 9xx4 (docs/performance.md), quiet machine: kc = 512, mc = 64,
                // nc = 8192 reach 100–105 GFLOP/s of the 117 peak on SGEMM 512–2048 where kc = 256, mc = 96 gave
                // 94–97 (2048³: 82 % of peak); the longer k-run halves the C tile's loads and stores per FMA. Both beat
                // the cache-derived mc = 480, kc = 144 and the 24×16 kernel.
                KernelPlan computed = ForKernel(GemmKernel.Avx512X8x32, cpu, $"{arch} with AVX-512, measured blocking");
                return computed with { Mc = 64, Kc = 512, Nc = 8192 };
            }
            return ForKernel(GemmKernel.Avx512X8x32, cpu, $"{arch} with AVX-512, blocking from its caches");
        }
        if (cpu.HasAvx2)
        {
            if (cpu.Vendor == CpuInfo.Amd && arch == "AMD Zen 4")
            {
                // Zen 4 with AVX-512 turned off (DOTNET_EnableAVX512=0): measured (docs/performance.md, AVX2 table), kc = 512
                // reaches 97–99 GFLOP/s on SGEMM 512–2048 where the cache-derived kc = 272 gave 85–97; mc and nc follow from
                // the caches for that kc. Other AVX2 processors (Zen 3 included) are unmeasured and keep the cache formula.
                return ForKernel(GemmKernel.Avx2X6x16, cpu, $"{arch} with AVX2, measured k-block", 512);
            }
            return ForKernel(GemmKernel.Avx2X6x16, cpu, $"{arch} with AVX2, blocking from its caches");
        }
        return ForKernel(GemmKernel.Scalar, cpu, $"{arch} without AVX2");
    }

    /// <summary>A kernel with the blocking computed from the caches of <paramref name="cpu"/> (fallbacks when CPUID
    /// does not report them: 32 KiB L1d, 512 KiB L2, 8 MiB L3).</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="cpu">The processor.</param>
    /// <param name="reason">Why this kernel.</param>
    /// <returns>The plan.</returns>
    public static KernelPlan ForKernel(GemmKernel kernel, CpuInfo cpu, string reason) => ForKernel(kernel, cpu, reason, null);

    /// <summary>As <see cref="ForKernel(GemmKernel, CpuInfo, string)"/>, with a measured k-block (≥ 1) instead of the one
    /// derived from L1d; mc and nc follow from it.</summary>
    private static KernelPlan ForKernel(GemmKernel kernel, CpuInfo cpu, string reason, int? kc)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        var (_, _, mr, nr) = Shape(kernel);
        if (kernel == GemmKernel.Scalar)
        {
            return new KernelPlan(kernel, 1, int.MaxValue, 1, reason);
        }
        long l1 = cpu.L1DataBytes > 0 ? cpu.L1DataBytes : 32 << 10;
        long l2 = cpu.L2Bytes > 0 ? cpu.L2Bytes : 512 << 10;
        long l3 = cpu.L3Bytes > 0 ? cpu.L3Bytes : 8 << 20;
        // kc: the kc×NR panel of B, reused by every row panel of an A block, and the kc×MR panel of A streaming past
        // it fill three quarters of L1d (the rest is for C and the ways the two evict from each other).
        int k = kc ?? (int)Math.Clamp(RoundDown(l1 * 3 / 4 / ((mr + nr) * sizeof(float)), 16), 64, 512);
        // mc: the packed mc×kc A block is reused by every column panel, so it gets half of L2.
        int mc = (int)Math.Clamp(RoundDown(l2 / 2 / (k * sizeof(float)), mr), mr, RoundDown(480, mr));
        // nc: the packed kc×nc B block is shared by the cores, so it gets a quarter of L3.
        int nc = (int)Math.Clamp(RoundDown(l3 / 4 / (k * sizeof(float)), nr), nr, RoundDown(8192, nr));
        return new KernelPlan(kernel, mc, k, nc, reason);
    }

    /// <summary>The automatic plan with the overrides of the environment applied.</summary>
    /// <param name="cpu">The processor.</param>
    /// <param name="getVariable">Reads an environment variable (null when unset).</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentException">A variable has a bad value, or forces a kernel <paramref name="cpu"/> cannot run.</exception>
    public static KernelPlan FromEnvironment(CpuInfo cpu, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        ArgumentNullException.ThrowIfNull(getVariable);
        KernelPlan plan = Choose(cpu);
        string? forced = getVariable(KernelVariable)?.Trim();
        if (!string.IsNullOrEmpty(forced) && !forced.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            var match = s_kernels.FirstOrDefault(k => k.Name.Equals(forced, StringComparison.OrdinalIgnoreCase));
            if (match.Name is null)
            {
                throw new UnknownNameException($"{KernelVariable} value", forced, ["auto", .. KernelNames], nameof(getVariable));
            }
            if (!CanRun(match.Kernel, cpu))
            {
                var runnable = s_kernels.Where(k => CanRun(k.Kernel, cpu)).Select(k => k.Name);
                throw new ArgumentException(
                    $"{KernelVariable}={forced} needs {(match.Name.StartsWith("avx512", StringComparison.Ordinal) ? "AVX-512" : "AVX2 and FMA")}, " +
                    $"which this processor or runtime does not offer ({cpu.Microarchitecture}; DOTNET_EnableAVX512=0 or DOTNET_EnableAVX2=0 also turn them off). " +
                    $"Valid here: auto, {string.Join(", ", runnable)}.", nameof(getVariable));
            }
            plan = match.Kernel == plan.Kernel
                ? plan with { Reason = $"{KernelVariable}={match.Name} (the automatic choice too)" }
                : ForKernel(match.Kernel, cpu, $"forced by {KernelVariable}={match.Name}, blocking from the caches of {cpu.Microarchitecture}");
        }
        if (plan.Kernel == GemmKernel.Scalar)
        {
            return plan;
        }
        int mr = plan.Mr, nr = plan.Nr;
        if (Override(getVariable, McVariable, mr, 1 << 16, mr, $"a multiple of {mr} (the {plan.KernelName} kernel's rows)") is int mc)
        {
            plan = plan with { Mc = mc, Reason = plan.Reason + $"; {McVariable}={mc}" };
        }
        if (Override(getVariable, KcVariable, 1, 1 << 16, 1, "an integer") is int kc)
        {
            plan = plan with { Kc = kc, Reason = plan.Reason + $"; {KcVariable}={kc}" };
        }
        if (Override(getVariable, NcVariable, nr, 1 << 20, nr, $"a multiple of {nr} (the {plan.KernelName} kernel's columns)") is int nc)
        {
            plan = plan with { Nc = nc, Reason = plan.Reason + $"; {NcVariable}={nc}" };
        }
        return plan;
    }

    /// <summary>One line for <c>initlab bench --cpu</c>.</summary>
    /// <returns>Kernel, tile, blocking and reason.</returns>
    public override string ToString() => Kernel == GemmKernel.Scalar
        ? $"{KernelName} (the reference loops, no blocking) — {Reason}"
        : $"{KernelName} ({Mr}×{Nr} tile), mc={Mc}, kc={Kc}, nc={Nc} — {Reason}";

    private static int? Override(Func<string, string?> getVariable, string name, int min, int max, int multipleOf, string what)
    {
        string? text = getVariable(name)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max || value % multipleOf != 0)
        {
            throw new ArgumentException($"{name} must be {what} from {min} to {max}, got '{text}'. Unset it to let the processor decide.", nameof(getVariable));
        }
        return value;
    }

    private static long RoundDown(long value, int multiple) => value / multiple * multiple;

    private static (GemmKernel Kernel, string Name, int Mr, int Nr) Shape(GemmKernel kernel) =>
        s_kernels.First(k => k.Kernel == kernel);
}
