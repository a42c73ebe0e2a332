using InitLab.Common;
using InitLab.Kernels;

namespace InitLab.Tests.Kernels;

public class KernelPlanTests
{
    private static readonly CpuInfo Zen4 = new("AuthenticAMD", 25, 17, true, true, 32 << 10, 1 << 20, 32 << 20);

    private static readonly CpuInfo Avx2Only = Zen4 with { HasAvx512 = false };

    [Fact]
    public void FromEnvironment_Unset_IsTheAutomaticChoice()
    {
        Assert.Equal(KernelPlan.Choose(Zen4), KernelPlan.FromEnvironment(Zen4, _ => null));
        Assert.Equal(KernelPlan.Choose(Zen4), KernelPlan.FromEnvironment(Zen4, name => name == KernelPlan.KernelVariable ? "AUTO" : null));
    }

    [Fact]
    public void FromEnvironment_ForcedKernelAndBlocking_Applied()
    {
        var variables = new Dictionary<string, string>
        {
            [KernelPlan.KernelVariable] = "avx2-6x16",
            [KernelPlan.McVariable] = "60",
            [KernelPlan.KcVariable] = "100",
            [KernelPlan.NcVariable] = "64",
        };
        KernelPlan plan = KernelPlan.FromEnvironment(Zen4, variables.GetValueOrDefault);
        Assert.Equal((GemmKernel.Avx2X6x16, 6, 16, 60, 100, 64), (plan.Kernel, plan.Mr, plan.Nr, plan.Mc, plan.Kc, plan.Nc));
        Assert.Contains("INITLAB_GEMM_KERNEL=avx2-6x16", plan.Reason, StringComparison.Ordinal);
        Assert.Contains("INITLAB_GEMM_KC=100", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_MisspelledKernel_NamesVariableAndNearest()
    {
        var ex = Assert.Throws<UnknownNameException>(() => KernelPlan.FromEnvironment(Zen4, Only(KernelPlan.KernelVariable, "avx512-8x23")));
        Assert.Contains("INITLAB_GEMM_KERNEL", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'avx512-8x32'?", ex.Message, StringComparison.Ordinal);
        Assert.Contains("auto, avx2-6x16, avx512-24x16, avx512-8x32, scalar", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_KernelTheCpuLacks_SaysWhatIsValidHere()
    {
        var ex = Assert.Throws<ArgumentException>(() => KernelPlan.FromEnvironment(Avx2Only, Only(KernelPlan.KernelVariable, "avx512-24x16")));
        Assert.Contains("INITLAB_GEMM_KERNEL=avx512-24x16 needs AVX-512", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Valid here: auto, avx2-6x16, scalar.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KernelPlan.McVariable, "100", "INITLAB_GEMM_MC must be a multiple of 8")] // 8x32 on Zen 4: mc in 8-row panels
    [InlineData(KernelPlan.McVariable, "0", "INITLAB_GEMM_MC must be a multiple of 8")]
    [InlineData(KernelPlan.KcVariable, "-3", "INITLAB_GEMM_KC must be an integer from 1 to 65536, got '-3'")]
    [InlineData(KernelPlan.KcVariable, "12x", "INITLAB_GEMM_KC must be an integer from 1 to 65536, got '12x'")]
    [InlineData(KernelPlan.NcVariable, "48", "INITLAB_GEMM_NC must be a multiple of 32")]
    public void FromEnvironment_BadBlocking_NamesVariableValueAndRange(string variable, string value, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => KernelPlan.FromEnvironment(Zen4, Only(variable, value)));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", ex.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Only(string variable, string value) => name => name == variable ? value : null;
}
