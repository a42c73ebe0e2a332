using System.Runtime.Intrinsics;

namespace InitLab.Tests.Kernels;

/// <summary>Proves that the instruction-set runs of scripts/test.sh really run at the lower level.</summary>
public class IsaLevelTests
{
    [Fact]
    public void EnvironmentSwitches_TurnTheVectorPathsOff()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
        {
            Assert.False(Vector512.IsHardwareAccelerated);
        }
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
        {
            Assert.False(Vector256.IsHardwareAccelerated);
        }
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
        {
            Assert.False(Vector128.IsHardwareAccelerated);
        }
    }
}
