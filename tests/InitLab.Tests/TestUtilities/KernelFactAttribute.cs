using InitLab.Kernels;

namespace InitLab.Tests.TestUtilities;

/// <summary>A fact about one GEMM kernel: runs where the machine (and runtime) can run that kernel, and says why it was
/// skipped elsewhere (e.g. the AVX-512 kernels under <c>DOTNET_EnableAVX512=0</c> or on an AVX2-only CPU).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute(GemmKernel kernel)
    {
        Kernel = kernel;
        if (!KernelPlan.CanRun(kernel, CpuInfo.Current))
        {
            Skip = $"{KernelPlan.NameOf(kernel)} cannot run here: {CpuInfo.Current}";
        }
    }

    public GemmKernel Kernel { get; }
}
