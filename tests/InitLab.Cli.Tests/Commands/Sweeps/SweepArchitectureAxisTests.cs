namespace InitLab.Cli.Tests.Commands.Sweeps;

/// <summary>Every architecture flag is a sweep axis (comma lists), checked before anything runs.</summary>
public class SweepArchitectureAxisTests
{
    [Fact]
    public void SweepCreate_ResidualInitsTimesBlocks_ExpandsToSixTrials()
    {
        using var temp = new TempDirectory();

        var (code, output, error) = CliRunner.Run("sweep", "create", "--store", temp.File("s.db"), "--name", "res", "--data", "digits",
            "--arch", "resmlp", "--residual-init", "none,fixup,skipinit", "--blocks", "4,8", "--norm", "none", "--parametrization", "sp",
            "--block-layers", "2", "--base-width", "32", "--width", "32");

        Assert.True(code == 0, error);
        Assert.Contains("6 trials (6 new)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error: --residual-init: residual-init needs arch", "--residual-init", "none,fixup")]
    [InlineData("error: --residual-init: Unknown residual init 'fixp'. Did you mean 'fixup'?", "--arch", "resmlp", "--residual-init", "none,fixp")]
    [InlineData("error: --norm: Unknown normalization 'batc'. Did you mean 'batch'?", "--arch", "mlp", "--norm", "none,batc")]
    [InlineData("error: --arch: Unknown architecture 'resmpl'. Did you mean 'resmlp'?", "--arch", "mlp,resmpl")]
    [InlineData("error: --blocks: got '0'; it must be a whole number >= 1.", "--arch", "resmlp", "--blocks", "0,4")]
    [InlineData("error: --arch: arch and sigma-w2 cannot both be set", "--arch", "resmlp", "--sigma-w2", "1,2")]
    [InlineData("error: --model: 'nothere.yaml' is not a file", "--model", "nothere.yaml")]
    public void SweepCreate_BadArchitectureAxis_ExitsTwoNamingTheFlag(string expected, params string[] flags)
    {
        using var temp = new TempDirectory();

        var (code, _, error) = CliRunner.Run(["sweep", "create", "--store", temp.File("s.db"), "--name", "bad", "--data", "digits", .. flags]);

        Assert.Equal(2, code);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }
}
