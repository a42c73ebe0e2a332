using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

/// <summary><c>train --model FILE</c> and <c>diagnose --model FILE</c> with a JSON or YAML layer stack.</summary>
public class TrainModelSpecTests
{
    private const string ResidualYaml = """
        layers:
          - type: dense
            units: 16
          - type: residual
            alpha: 0
            trainable_alpha: true
            branch:
              - type: layer_normalization
              - type: dense
                units: 16
                activation: relu
                kernel_initializer: he_normal
              - type: dense
                units: 16
          - type: activation
            activation: relu
          - type: dense
            units: 10
        """;

    private const string ResidualJson = """
        {"layers": [
          {"type": "Dense", "units": 16},
          {"type": "Residual", "alpha": 0, "trainable_alpha": true, "branch": [
            {"type": "LayerNormalization"},
            {"type": "Dense", "units": 16, "activation": "relu", "kernel_initializer": "he_normal"},
            {"type": "Dense", "units": 16}]},
          {"type": "Activation", "activation": "relu"},
          {"type": "Dense", "units": 10}]}
        """;

    [Fact]
    public void Train_SameStackInYamlAndJson_SameBits()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("net.yaml"), ResidualYaml);
        File.WriteAllText(temp.File("net.json"), ResidualJson);

        var yaml = CliRunner.Run("train", "--data", "digits", "--model", temp.File("net.yaml"), "--epochs", "1", "--threads", "1", "--json", temp.File("y.json"));
        var json = CliRunner.Run("train", "--data", "digits", "--model", temp.File("net.json"), "--epochs", "1", "--threads", "1", "--json", temp.File("j.json"));

        Assert.True(yaml.ExitCode == 0 && json.ExitCode == 0, yaml.Error + json.Error);
        Assert.Contains("Residual[LayerNormalization", yaml.Output, StringComparison.Ordinal);
        Assert.Equal(FinalLoss(temp.File("y.json")), FinalLoss(temp.File("j.json")));
    }

    /// <summary>A spec that writes out train's default network (2 × 32 relu; Dense without initializers take --init; the last
    /// Dense without activation takes the output activation train would choose) trains to the same bits as no spec.</summary>
    [Fact]
    public void Train_SpecOfTheDefaultStack_SameBitsAsTheDefault()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("plain.yaml"), """
            layers:
              - {type: dense, units: 32, activation: relu}
              - {type: dense, units: 32, activation: relu}
              - {type: dense, units: 1}
            """);
        string[] common = ["train", "--data", "moons", "--rows", "200", "--epochs", "2", "--threads", "1", "--init", "he_uniform"];

        var plain = CliRunner.Run([.. common, "--json", temp.File("a.json")]);
        var spec = CliRunner.Run([.. common, "--model", temp.File("plain.yaml"), "--json", temp.File("b.json")]);

        Assert.True(plain.ExitCode == 0 && spec.ExitCode == 0, plain.Error + spec.Error);
        Assert.Equal(FinalLoss(temp.File("a.json")), FinalLoss(temp.File("b.json")));
    }

    [Theory]
    [InlineData("units: 10", "units: 7", "error: --model: net.yaml: layers[3].units: the network gives 7 outputs but the data 'digits (train)' has 10 classes; give the last Dense 10 units.")]
    [InlineData("        units: 16\n        activation: relu", "        unit: 16\n        activation: relu", "error: --model: net.yaml: layers[1].branch[1].unit: 'unit' is not a key of a dense layer. Did you mean 'units'?")]
    [InlineData("activation: relu\n        kernel", "activation: rleu\n        kernel", "error: --model: net.yaml: layers[1].branch[1].activation: Unknown activation 'rleu'. Did you mean 'relu'?")]
    [InlineData("type: layer_normalization", "type: layer_normalisation", "error: --model: net.yaml: layers[1].branch[0].type: Unknown layer type 'layer_normalisation'. Did you mean 'layer_normalization'?")]
    [InlineData("    units: 16\n  - type: residual", "    units: 0\n  - type: residual", "error: --model: net.yaml: layers[0].units: got '0'; it must be a whole number from 1 to 16777216.")]
    [InlineData("alpha: 0", "alpha: zero", "error: --model: net.yaml: layers[1].alpha: got 'zero'; it must be a finite number.")]
    public void Train_BadSpec_ExitsTwoNamingFilePathValueAndValid(string find, string replace, string expected)
    {
        using var temp = new TempDirectory();
        string text = ResidualYaml.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(ResidualYaml, text);
        File.WriteAllText(temp.File("net.yaml"), text);

        var (code, _, error) = CliRunner.Run("train", "--data", "digits", "--model", temp.File("net.yaml"), "--epochs", "1");

        Assert.Equal(2, code);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_SpecAndArch_ExitsTwo()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("net.yaml"), ResidualYaml);

        var (code, _, error) = CliRunner.Run("train", "--data", "digits", "--model", temp.File("net.yaml"), "--arch", "mlp", "--epochs", "1");

        Assert.Equal(2, code);
        Assert.StartsWith("error: --model: a model file gives every layer; use it or an architecture, not both.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnose_SpecFile_IsBuiltNotReadAsATrainedModel()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("net.yaml"), ResidualYaml);

        var onData = CliRunner.Run("diagnose", "--data", "digits", "--model", temp.File("net.yaml"), "--rows", "64");
        var gaussian = CliRunner.Run("diagnose", "--layers", "64,10", "--model", temp.File("net.yaml"), "--rows", "64");
        var mismatch = CliRunner.Run("diagnose", "--layers", "64,3", "--model", temp.File("net.yaml"), "--rows", "64");

        Assert.True(onData.ExitCode == 0 && gaussian.ExitCode == 0, onData.Error + gaussian.Error);
        Assert.Contains("residual_1/dense_1", gaussian.Output, StringComparison.Ordinal);
        Assert.Equal(2, mismatch.ExitCode);
        Assert.StartsWith("error: --model: net.yaml: layers[3].units: the network gives 10 outputs but --layers ends with 3", mismatch.Error, StringComparison.Ordinal);
    }

    private static double FinalLoss(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("final").GetProperty("loss").GetDouble();
    }
}
