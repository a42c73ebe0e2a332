using System.Runtime.Intrinsics;

namespace InitLab.Tests.Kernels;

/// <summary>Proves that the instruction-set runs of scripts/test.sh really run at the lower level.</summary>
public class IsaLevelTests
{
    [LowerIsaLevelFact]
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

/// <summary>A fact that runs only when an instruction-set switch is off (scripts/test.sh sets one per rerun) and is
/// reported as skipped, with the reason, in a plain <c>dotnet test</c>, where it would have nothing to assert. xunit 2
/// takes <c>Skip</c> from the attribute instance, so it can be set here at run time.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LowerIsaLevelFactAttribute : FactAttribute
{
    private static readonly string[] Switches = ["DOTNET_EnableAVX512", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic"];

    public LowerIsaLevelFactAttribute()
    {
        if (!Switches.Any(name => Environment.GetEnvironmentVariable(name) == "0"))
        {
            Skip = $"runs only at a lower instruction-set level: set one of {string.Join(", ", Switches)} to 0, as scripts/test.sh does";
        }
    }
}
