using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace InitLab.Kernels;

/// <summary>
/// What the GEMM needs to know about the processor: vendor, family/model, the vector width the runtime will use, and
/// the data-cache sizes, read with CPUID (leaf 0 vendor, leaf 1 family/model, leaf 7 AVX2/AVX-512F, and the
/// deterministic cache parameters of leaf 4 on Intel or 0x8000001D on AMD).
/// </summary>
/// <param name="Vendor">The CPUID vendor string, e.g. <c>AuthenticAMD</c>, <c>GenuineIntel</c> (empty off x86).</param>
/// <param name="Family">Display family (base family, plus the extended family when the base is 0xF).</param>
/// <param name="Model">Display model (base model, plus the extended model ≪ 4 for families 6 and 0xF).</param>
/// <param name="HasAvx2">Whether AVX2 + FMA kernels can run (CPUID and the runtime agree).</param>
/// <param name="HasAvx512">Whether AVX-512F kernels can run (CPUID and the runtime agree).</param>
/// <param name="L1DataBytes">Per-core L1 data cache in bytes (0 if not reported).</param>
/// <param name="L2Bytes">Per-core L2 cache in bytes (0 if not reported).</param>
/// <param name="L3Bytes">L3 cache in bytes (0 if not reported).</param>
public sealed record CpuInfo(string Vendor, int Family, int Model, bool HasAvx2, bool HasAvx512, long L1DataBytes, long L2Bytes, long L3Bytes)
{
    /// <summary>The CPUID vendor string of AMD processors.</summary>
    public const string Amd = "AuthenticAMD";

    /// <summary>The CPUID vendor string of Intel processors.</summary>
    public const string Intel = "GenuineIntel";

    private static CpuInfo? s_current;

    /// <summary>This machine, read once.</summary>
    public static CpuInfo Current => s_current ??= Detect();

    /// <summary>A short name of the microarchitecture, e.g. <c>AMD Zen 4</c>, <c>Intel family 6 model 207 (Emerald Rapids)</c>.</summary>
    public string Microarchitecture => (Vendor, Family) switch
    {
        (Amd, 0x1A) => "AMD Zen 5",
        (Amd, 0x19) when IsZen4Model(Model) => "AMD Zen 4",
        (Amd, 0x19) => "AMD Zen 3",
        (Amd, 0x17) => "AMD Zen/Zen 2",
        (Intel, 6) => $"Intel family 6 model {Model}{IntelCodeName(Model)}",
        ("", _) => "unknown (no CPUID)",
        _ => $"{Vendor} family {Family} model {Model}",
    };

    /// <summary>Reads this processor; the vector flags are also limited by what the runtime enables
    /// (<c>DOTNET_EnableAVX512=0</c> turns the AVX-512 kernels off).</summary>
    /// <returns>The detected processor.</returns>
    public static CpuInfo Detect()
    {
        if (!X86Base.IsSupported)
        {
            return new CpuInfo(string.Empty, 0, 0, false, false, 0, 0, 0);
        }
        CpuInfo fromCpuId = Parse((leaf, subleaf) => X86Base.CpuId(leaf, subleaf));
        return fromCpuId with
        {
            HasAvx2 = fromCpuId.HasAvx2 && Vector256.IsHardwareAccelerated && Fma.IsSupported,
            HasAvx512 = fromCpuId.HasAvx512 && Vector512.IsHardwareAccelerated && Avx512F.IsSupported,
        };
    }

    /// <summary>Decodes CPUID leaves (for this machine, or leaves recorded on another one).</summary>
    /// <param name="cpuId">Returns (EAX, EBX, ECX, EDX) of CPUID for (leaf, subleaf).</param>
    /// <returns>The decoded processor (vector flags as CPUID states them).</returns>
    public static CpuInfo Parse(Func<int, int, (int Eax, int Ebx, int Ecx, int Edx)> cpuId)
    {
        ArgumentNullException.ThrowIfNull(cpuId);
        var (maxLeaf, vendorB, vendorC, vendorD) = cpuId(0, 0);
        string vendor = VendorString(vendorB, vendorD, vendorC);
        int signature = maxLeaf >= 1 ? cpuId(1, 0).Eax : 0;
        int baseFamily = (signature >> 8) & 0xF;
        int baseModel = (signature >> 4) & 0xF;
        int family = baseFamily == 0xF ? baseFamily + ((signature >> 20) & 0xFF) : baseFamily;
        int model = baseFamily is 6 or 0xF ? baseModel + (((signature >> 16) & 0xF) << 4) : baseModel;
        int features7 = maxLeaf >= 7 ? cpuId(7, 0).Ebx : 0;
        bool avx2 = (features7 & (1 << 5)) != 0;
        bool avx512 = (features7 & (1 << 16)) != 0;
        // Intel describes its caches in leaf 4; AMD (Zen and later, with TopologyExtensions) the same way in 0x8000001D.
        int cacheLeaf = 0;
        if (vendor == Intel && maxLeaf >= 4)
        {
            cacheLeaf = 4;
        }
        else if (vendor == Amd && (uint)cpuId(unchecked((int)0x80000000), 0).Eax >= 0x8000001D)
        {
            cacheLeaf = unchecked((int)0x8000001D);
        }
        long l1 = 0, l2 = 0, l3 = 0;
        for (int subleaf = 0; cacheLeaf != 0 && subleaf < 16; subleaf++)
        {
            var (eax, ebx, ecx, _) = cpuId(cacheLeaf, subleaf);
            int type = eax & 0x1F; // 0 none (end of list), 1 data, 2 instruction, 3 unified
            if (type == 0)
            {
                break;
            }
            int level = (eax >> 5) & 0x7;
            // Size = ways × partitions × line size × sets, each field stored minus one.
            long size = (long)(((ebx >> 22) & 0x3FF) + 1) * (((ebx >> 12) & 0x3FF) + 1) * ((ebx & 0xFFF) + 1) * ((long)(uint)ecx + 1);
            switch (level, type)
            {
                case (1, 1) or (1, 3):
                    l1 = size;
                    break;
                case (2, 3) or (2, 1):
                    l2 = size;
                    break;
                case (3, 3) or (3, 1):
                    l3 = size;
                    break;
                default:
                    break;
            }
        }
        return new CpuInfo(vendor, family, model, avx2, avx512, l1, l2, l3);
    }

    /// <summary>One line for <c>initlab bench --cpu</c>.</summary>
    /// <returns>Vendor, family/model, microarchitecture, vector width and caches.</returns>
    public override string ToString() =>
        $"{Microarchitecture} ({Vendor}, family {Family} = 0x{Family:X}, model {Model} = 0x{Model:X}); " +
        $"{(HasAvx512 ? "AVX-512" : HasAvx2 ? "AVX2" : "no AVX2")}; " +
        $"L1d {Kib(L1DataBytes)}, L2 {Kib(L2Bytes)}, L3 {Kib(L3Bytes)}";

    private static bool IsZen4Model(int model) => model is (>= 0x10 and <= 0x1F) or (>= 0x60 and <= 0x7F) or (>= 0xA0 and <= 0xAF);

    private static string IntelCodeName(int model) => model switch
    {
        0x55 => " (Skylake-SP/Cascade Lake)",
        0x6A or 0x6C => " (Ice Lake-SP)",
        0x8F => " (Sapphire Rapids)",
        0xCF => " (Emerald Rapids)",
        0xAD or 0xAE => " (Granite Rapids)",
        _ => string.Empty,
    };

    private static string Kib(long bytes) => bytes == 0 ? "not reported" : bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes >> 10} KiB";

    private static string VendorString(params int[] registers)
    {
        var text = new StringBuilder(12);
        foreach (int register in registers)
        {
            for (int shift = 0; shift < 32; shift += 8)
            {
                char ch = (char)((register >> shift) & 0xFF);
                if (ch != '\0')
                {
                    text.Append(ch);
                }
            }
        }
        return text.ToString();
    }
}
