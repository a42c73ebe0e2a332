using InitLab.Architectures;

namespace InitLab.Cli.Tests.Commands;

/// <summary><c>initlab inits</c> also lists the residual inits and the parametrizations, from their library tables.</summary>
public class InitsCommandTests
{
    [Fact]
    public void Inits_ListsEveryResidualInitAndParametrization_WithTheirSources()
    {
        var (code, output, _) = CliRunner.Run("inits", "--wide");
        Assert.Equal(0, code);
        string flat = string.Join(' ', output.Split((char[])[' ', '\n', '\r', '│', '|'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Residual inits", output, StringComparison.Ordinal);
        Assert.All(ResidualInits.All, r => Assert.Contains(r.Name, output, StringComparison.Ordinal));
        Assert.Contains("Parametrizations", output, StringComparison.Ordinal);
        Assert.All(Parametrizations.All, p => Assert.Contains(p.Name, output, StringComparison.Ordinal));
        Assert.Contains("Fixup", flat, StringComparison.Ordinal);
        Assert.Contains("MuReadout", flat, StringComparison.Ordinal);
        Assert.Contains("Tensor", flat, StringComparison.Ordinal);
    }

    [Fact]
    public void Inits_Compact_NamesEveryResidualInitAndParametrization_AndPointsToWide()
    {
        var (code, output, _) = CliRunner.Run("inits");
        Assert.Equal(0, code);
        Assert.Contains("Residual inits (--residual-init): none, fixup, skipinit, rezero, zero_gamma, scaled.", output, StringComparison.Ordinal);
        Assert.Contains("Parametrizations (--parametrization): sp, ntk, mup.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("MuReadout", output, StringComparison.Ordinal);
    }
}
