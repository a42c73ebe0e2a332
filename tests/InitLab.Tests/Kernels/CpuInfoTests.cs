using System.Text;
using InitLab.Kernels;

namespace InitLab.Tests.Kernels;

/// <summary>
/// CPUID leaves of three processors, written from the documented fields (AMD PPR for family 19h/1Ah: leaf 0x8000001D;
/// Intel SDM vol. 2A: leaf 4 — ways, partitions, line size and sets each stored minus one), decoded into the
/// processor and the plan chosen for it. The Zen 4 leaves are the ones this project's AMD EPYC 9xx4 VM returns.
/// </summary>
public class CpuInfoTests
{
    // Leaf 7 EBX: bit 5 AVX2, bit 16 AVX-512F (other feature bits set as on the real parts).
    private const int Avx2AndAvx512 = unchecked((int)0xf1bf07ab);

    [Fact]
    public void Parse_Zen4Genoa_Family25Model17CachesAndPlan()
    {
        var leaves = Vendor("AuthenticAMD", maxLeaf: 0x1C);
        leaves[(1, 0)] = (0x00A10F11, 0, 0, 0); // base family 0xF + extended 0xA = 0x19, model 0x1·16 + 0x1 = 0x11, stepping 1
        leaves[(7, 0)] = (0, Avx2AndAvx512, 0, 0);
        leaves[(unchecked((int)0x80000000), 0)] = (unchecked((int)0x80000021), 0, 0, 0);
        AmdCache(leaves, 0, 0x121, ways: 8, sets: 64);      // L1d: 8 × 64 B × 64 = 32 KiB
        AmdCache(leaves, 1, 0x122, ways: 8, sets: 64);      // L1i
        AmdCache(leaves, 2, 0x143, ways: 8, sets: 2048);    // L2: 8 × 64 × 2048 = 1 MiB
        AmdCache(leaves, 3, 0x4163, ways: 16, sets: 32768); // L3: 16 × 64 × 32768 = 32 MiB (sharing bits set in EAX)

        CpuInfo cpu = CpuInfo.Parse(Lookup(leaves));

        Assert.Equal(new CpuInfo("AuthenticAMD", 25, 17, true, true, 32 << 10, 1 << 20, 32 << 20), cpu);
        Assert.Equal("AMD Zen 4", cpu.Microarchitecture);
        KernelPlan plan = KernelPlan.Choose(cpu);
        // The measured blocking mc = 64, kc = 512, nc = 8192 (docs/performance.md)
        // ¾ · 32 KiB / ((8 + 32) × 4 B) = 153.6 → 144: 32 MiB / 4 / (144 × 4 B) = 14563, capped at 8192.
        Assert.Equal((GemmKernel.Avx512X8x32, 64, 512, 8192), (plan.Kernel, plan.Mc, plan.Kc, plan.Nc));
    }

    [Fact]
    public void Parse_Zen5Turin_Family26KeepsMeasuredBlocking()
    {
        var leaves = Vendor("AuthenticAMD", maxLeaf: 0x1C);
        leaves[(1, 0)] = (0x00B00F21, 0, 0, 0); // family 0xF + 0xB = 0x1A, model 0x02
        leaves[(7, 0)] = (0, Avx2AndAvx512, 0, 0);
        leaves[(unchecked((int)0x80000000), 0)] = (unchecked((int)0x80000028), 0, 0, 0);
        AmdCache(leaves, 0, 0x121, ways: 12, sets: 64);     // L1d 48 KiB
        AmdCache(leaves, 1, 0x122, ways: 8, sets: 64);
        AmdCache(leaves, 2, 0x143, ways: 16, sets: 1024);   // L2 1 MiB
        AmdCache(leaves, 3, 0x4163, ways: 16, sets: 32768); // L3 32 MiB

        CpuInfo cpu = CpuInfo.Parse(Lookup(leaves));

        Assert.Equal(new CpuInfo("AuthenticAMD", 26, 2, true, true, 48 << 10, 1 << 20, 32 << 20), cpu);
        Assert.Equal("AMD Zen 5", cpu.Microarchitecture);
        KernelPlan plan = KernelPlan.Choose(cpu);
        // The blocking measured in docs/performance.md; nc (from the computed kc 224) = 32 MiB / 4 / (224 × 4 B) = 9362, capped at 8192.
        Assert.Equal((GemmKernel.Avx512X8x32, 96, 256, 8192), (plan.Kernel, plan.Mc, plan.Kc, plan.Nc));
    }

    [Fact]
    public void Parse_IntelModel207_EmeraldRapidsLeaf4AndEmbeddedBroadcastKernel()
    {
        var leaves = Vendor("GenuineIntel", maxLeaf: 0x20);
        leaves[(1, 0)] = (0x000C06F2, 0, 0, 0); // family 6, model 0xC·16 + 0xF = 0xCF = 207, stepping 2
        leaves[(7, 0)] = (0, Avx2AndAvx512, 0, 0);
        IntelCache(leaves, 0, 0x121, ways: 12, sets: 64);        // L1d 48 KiB
        IntelCache(leaves, 1, 0x122, ways: 8, sets: 64);         // L1i 32 KiB
        IntelCache(leaves, 2, 0x143, ways: 16, sets: 2048);      // L2 2 MiB
        IntelCache(leaves, 3, 0x163, ways: 15, sets: 327680);    // L3 300 MiB

        CpuInfo cpu = CpuInfo.Parse(Lookup(leaves));

        Assert.Equal(new CpuInfo("GenuineIntel", 6, 207, true, true, 48 << 10, 2 << 20, 300L << 20), cpu);
        Assert.Equal("Intel family 6 model 207 (Emerald Rapids)", cpu.Microarchitecture);
        KernelPlan plan = KernelPlan.Choose(cpu);
        // kc = ¾ · 48 KiB / ((24 + 16) × 4 B) = 230.4 → 224; mc = 2 MiB / 2 / (224 × 4 B) = 1170, capped at 480;
        // nc = 300 MiB / 4 / (224 × 4 B) = 87771, capped at 8192.
        Assert.Equal((GemmKernel.Avx512X24x16, 480, 224, 8192), (plan.Kernel, plan.Mc, plan.Kc, plan.Nc));
    }

    [Fact]
    public void Parse_Zen4WithoutAvx512Bit_ChoosesAvx2Kernel()
    {
        var leaves = Vendor("AuthenticAMD", maxLeaf: 0x1C);
        leaves[(1, 0)] = (0x00A10F11, 0, 0, 0);
        leaves[(7, 0)] = (0, Avx2AndAvx512 & ~(1 << 16), 0, 0);
        leaves[(unchecked((int)0x80000000), 0)] = (unchecked((int)0x80000021), 0, 0, 0);
        AmdCache(leaves, 0, 0x121, ways: 8, sets: 64);
        AmdCache(leaves, 1, 0x143, ways: 8, sets: 2048);

        CpuInfo cpu = CpuInfo.Parse(Lookup(leaves));
        KernelPlan plan = KernelPlan.Choose(cpu);

        Assert.False(cpu.HasAvx512);
        Assert.Equal(0, cpu.L3Bytes);
        // Zen 4 (family 0x19, model 0x11) with AVX2 only: the measured kc = 512; mc = 1 MiB / 2 / (512 × 4 B) = 256 → 252 (multiple of 6);
        // nc with the 8 MiB fallback L3 = 8 MiB / 4 / (512 × 4 B) = 1024 (multiple of 16).
        Assert.Equal((GemmKernel.Avx2X6x16, 252, 512, 1024), (plan.Kernel, plan.Mc, plan.Kc, plan.Nc));
    }

    [Fact]
    public void Choose_Zen3_DerivesTheAvx2BlockingFromItsCaches()
    {
        // Zen 3 (family 0x19, model 0x21; 32 KiB L1d, 512 KiB L2, 32 MiB L3) is unmeasured: kc = 272 from L1d;
        // mc = 512 KiB / 2 / (272 × 4 B) = 240.9 → 240 (multiple of 6); nc = 32 MiB / 4 / (272 × 4 B) = 7710.1 → 7696.
        var cpu = new CpuInfo(CpuInfo.Amd, 0x19, 0x21, true, false, 32 << 10, 512 << 10, 32 << 20);
        Assert.Equal("AMD Zen 3", cpu.Microarchitecture);
        KernelPlan plan = KernelPlan.Choose(cpu);
        Assert.Equal((GemmKernel.Avx2X6x16, 240, 272, 7696), (plan.Kernel, plan.Mc, plan.Kc, plan.Nc));
    }

    [Fact]
    public void Choose_IntelWithAvx2Only_DerivesTheBlockingFromItsCaches()
    {
        // Haswell-like: 32 KiB L1d, 256 KiB L2, 8 MiB L3. kc = ¾ · 32 KiB / ((6 + 16) × 4 B) = 279.3 → 272;
        // mc = 256 KiB / 2 / (272 × 4 B) = 120.5 → 120 (multiple of 6); nc = 8 MiB / 4 / (272 × 4 B) = 1927.5 → 1920.
        var cpu = new CpuInfo(CpuInfo.Intel, 6, 0x3C, true, false, 32 << 10, 256 << 10, 8 << 20);
        KernelPlan plan = KernelPlan.Choose(cpu);
        Assert.Equal((GemmKernel.Avx2X6x16, 120, 272, 1920), (plan.Kernel, plan.Mc, plan.Kc, plan.Nc));
    }

    [Fact]
    public void Detect_ThisMachine_ReportsAVendorAndAPlanItCanRun()
    {
        CpuInfo cpu = CpuInfo.Current;
        KernelPlan plan = KernelPlan.Choose(cpu);
        Assert.True(KernelPlan.CanRun(plan.Kernel, cpu), $"{plan} on {cpu}");
        if (System.Runtime.Intrinsics.X86.X86Base.IsSupported)
        {
            Assert.Contains(cpu.Vendor, new[] { CpuInfo.Amd, CpuInfo.Intel });
        }
    }

    private static Dictionary<(int Leaf, int Subleaf), (int Eax, int Ebx, int Ecx, int Edx)> Vendor(string vendor, int maxLeaf)
    {
        // The vendor string is EBX, EDX, ECX, four little-endian ASCII bytes each.
        byte[] text = Encoding.ASCII.GetBytes(vendor);
        return new() { [(0, 0)] = (maxLeaf, BitConverter.ToInt32(text, 0), BitConverter.ToInt32(text, 8), BitConverter.ToInt32(text, 4)) };
    }

    private static void AmdCache(Dictionary<(int, int), (int, int, int, int)> leaves, int subleaf, int eax, int ways, int sets) =>
        leaves[(unchecked((int)0x8000001D), subleaf)] = (eax, ((ways - 1) << 22) | 63, sets - 1, 0);

    private static void IntelCache(Dictionary<(int, int), (int, int, int, int)> leaves, int subleaf, int eax, int ways, int sets) =>
        leaves[(4, subleaf)] = (eax, ((ways - 1) << 22) | 63, sets - 1, 0);

    private static Func<int, int, (int, int, int, int)> Lookup(Dictionary<(int, int), (int, int, int, int)> leaves) =>
        (leaf, subleaf) => leaves.TryGetValue((leaf, subleaf), out var value) ? value : (0, 0, 0, 0);
}
