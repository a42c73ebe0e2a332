using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

/// <summary><c>train</c> and <c>diagnose</c> with <c>--arch</c> and its settings (issue 21, CLI): the networks build and train,
/// and every bad value or contradictory combination is exit 2 naming the flag.</summary>
public class TrainArchitectureTests
{
    [Fact]
    public void Train_ResMlpBatchNormZeroGamma_TrainsAndReportsTheBlocks()
    {
        var (code, output, error) = CliRunner.Run("train", "--data", "digits", "--arch", "resmlp", "--blocks", "3", "--norm", "batch",
            "--residual-init", "zero_gamma", "--epochs", "1", "--threads", "1");

        Assert.True(code == 0, error);
        Assert.Equal(3, output.Split("Residual[").Length - 1);
        Assert.Contains("BatchNormalization", output, StringComparison.Ordinal);
        Assert.Matches(@"test\s*│\s*[0-9.]+\s*│\s*[0-9.]+ %", output);
    }

    /// <summary>The defaults of --arch mlp are train's default network (2 × 32, --init for every Dense), so the two must
    /// train to the same bits: the builder's MLP and the plain stack are one network.</summary>
    [Fact]
    public void Train_ArchMlpWithDefaults_SameBitsAsThePlainDefaultStack()
    {
        using var temp = new TempDirectory();
        string[] common = ["train", "--data", "moons", "--rows", "200", "--epochs", "2", "--threads", "1", "--init", "he_normal"];

        var plain = CliRunner.Run([.. common, "--json", temp.File("plain.json")]);
        var mlp = CliRunner.Run([.. common, "--arch", "mlp", "--json", temp.File("mlp.json")]);
        var wider = CliRunner.Run([.. common, "--arch", "mlp", "--width", "33", "--json", temp.File("wider.json")]);

        Assert.True(plain.ExitCode == 0 && mlp.ExitCode == 0 && wider.ExitCode == 0, plain.Error + mlp.Error + wider.Error);
        Assert.Equal(FinalLoss(temp.File("plain.json")), FinalLoss(temp.File("mlp.json")));
        Assert.NotEqual(FinalLoss(temp.File("plain.json")), FinalLoss(temp.File("wider.json")));
    }

    /// <summary>--parametrization reaches the training: μP equals SP at the base width (Tensor Programs V: every
    /// parametrization is SP there) and differs from it away from the base width (init variances and learning rates).</summary>
    [Fact]
    public void Train_Mup_SameBitsAsSpAtTheBaseWidthAndNotAway()
    {
        using var temp = new TempDirectory();
        string[] common = ["train", "--data", "moons", "--rows", "200", "--epochs", "2", "--threads", "1", "--init", "he_normal", "--optimizer", "sgd", "--arch", "mlp", "--width", "64"];

        var sp = CliRunner.Run([.. common, "--json", temp.File("sp.json")]);
        var mupAtBase = CliRunner.Run([.. common, "--parametrization", "mup", "--base-width", "64", "--json", temp.File("base.json")]);
        var mupWider = CliRunner.Run([.. common, "--parametrization", "mup", "--base-width", "16", "--json", temp.File("wide.json")]);
        var spWider = CliRunner.Run([.. common, "--parametrization", "sp", "--base-width", "16", "--json", temp.File("spwide.json")]);

        Assert.True(sp.ExitCode == 0 && mupAtBase.ExitCode == 0 && mupWider.ExitCode == 0 && spWider.ExitCode == 0, sp.Error + mupAtBase.Error + mupWider.Error + spWider.Error);
        Assert.Equal(FinalLoss(temp.File("sp.json")), FinalLoss(temp.File("base.json")));
        Assert.Equal(FinalLoss(temp.File("sp.json")), FinalLoss(temp.File("spwide.json")));
        Assert.NotEqual(FinalLoss(temp.File("sp.json")), FinalLoss(temp.File("wide.json")));
    }

    [Theory]
    [InlineData("error: --residual-init: Unknown residual init 'fixp'. Did you mean 'fixup'?", "--arch", "resmlp", "--residual-init", "fixp")]
    [InlineData("error: --arch: Unknown architecture 'resmpl'. Did you mean 'resmlp'? Valid: mlp, resmlp.", "--arch", "resmpl")]
    [InlineData("error: --norm: Unknown normalization 'batc'. Did you mean 'batch'?", "--arch", "mlp", "--norm", "batc")]
    [InlineData("error: --parametrization: Unknown parametrization 'mupp'. Did you mean 'mup'?", "--arch", "mlp", "--parametrization", "mupp")]
    [InlineData("error: --readout: Unknown readout 'zer'. Did you mean 'zero'? Valid: fan_in, zero.", "--arch", "mlp", "--readout", "zer")]
    [InlineData("error: --readout: sets a setting of --arch;", "--readout", "zero")]
    [InlineData("error: --blocks: got 0; it must be a whole number >= 1.", "--arch", "resmlp", "--blocks", "0")]
    [InlineData("error: --blocks: sets a setting of --arch; add --arch mlp or --arch resmlp", "--blocks", "3")]
    [InlineData("error: --norm: sets a setting of --arch;", "--norm", "batch")]
    [InlineData("error: --blocks: residual blocks are --arch resmlp's;", "--arch", "mlp", "--blocks", "3")]
    [InlineData("error: --depth: --arch resmlp counts residual blocks", "--arch", "resmlp", "--depth", "3")]
    [InlineData("error: --residual-init: residual init 'fixup' replaces normalization", "--arch", "resmlp", "--residual-init", "fixup", "--norm", "batch")]
    [InlineData("error: --block-layers: residual init 'fixup' scales a branch's inner layers by L^(-1/(2m-2)), which needs m >= 2", "--arch", "resmlp", "--residual-init", "fixup", "--block-layers", "1")]
    [InlineData("error: --residual-init: residual init 'zero_gamma' zeroes the last normalization layer's γ", "--arch", "resmlp", "--residual-init", "zero_gamma")]
    [InlineData("error: --residual-init: this residual init scales the branch's kernel variance by 0.125, which needs a variance-scaling kernel initializer", "--arch", "resmlp", "--residual-init", "scaled", "--init", "orthogonal")]
    [InlineData("error: --layers: 64,32,10 lists hidden widths, but the architecture (--arch) builds the hidden layers; give only the input and output widths (64,10)", "--arch", "resmlp", "--layers", "64,32,10")]
    [InlineData("error: --init-param: the architecture builder takes the kernel initializer by name only", "--arch", "mlp", "--init-param", "gain=2")]
    public void Train_BadArchitectureValue_ExitsTwoNamingTheFlag(string expected, params string[] flags)
    {
        var (code, _, error) = CliRunner.Run(["train", "--data", "digits", "--epochs", "1", .. flags]);

        Assert.Equal(2, code);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_ArchWithInputAndOutputLayers_Trains()
    {
        var (code, _, error) = CliRunner.Run("train", "--data", "digits", "--arch", "resmlp", "--blocks", "1", "--layers", "64,10", "--epochs", "1", "--threads", "1");

        Assert.True(code == 0, error);
    }

    [Fact]
    public void Diagnose_ResMlpOnGaussianInputs_ReportsEveryBlockLayer()
    {
        var (code, output, error) = CliRunner.Run("diagnose", "--layers", "64,10", "--arch", "resmlp", "--blocks", "2", "--init", "he_normal", "--rows", "64");

        Assert.True(code == 0, error);
        Assert.Contains("residual_1/dense_1", output, StringComparison.Ordinal);
        Assert.Contains("residual_2/dense_2", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error: --layers: required without --data: the input and output widths", "--arch", "resmlp")]
    [InlineData("error: --layers: 64,32,10 lists hidden widths, but --arch builds the hidden layers", "--arch", "mlp", "--layers", "64,32,10")]
    [InlineData("error: --residual-init: Unknown residual init 'skip'.", "--arch", "resmlp", "--layers", "64,10", "--residual-init", "skip")]
    public void Diagnose_BadArchitectureUse_ExitsTwoNamingTheFlag(string expected, params string[] flags)
    {
        var (code, _, error) = CliRunner.Run(["diagnose", .. flags]);

        Assert.Equal(2, code);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    private static double FinalLoss(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("final").GetProperty("loss").GetDouble();
    }
}
