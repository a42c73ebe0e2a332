using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

public partial class TrainCommandTests
{
    [Theory]
    [InlineData("--weight-decay", "-0.1", "--weight-decay: got -0.1; it must be a finite number >= 0 (0 is off).")]
    [InlineData("--weight-decay", "NaN", "--weight-decay: got NaN; it must be a finite number >= 0 (0 is off).")]
    [InlineData("--l2", "-1", "--l2: got -1; it must be a finite number >= 0 (0 is off).")]
    [InlineData("--l2", "Infinity", "--l2: got Infinity; it must be a finite number >= 0 (0 is off).")]
    public void Train_OutOfRangeDecay_OneUsageErrorNamingFlagValueAndRange(string flag, string value, string expected) =>
        AssertOneParseError(CliRunner.Run("train", "--epochs", "1", flag, value), expected);

    [Fact]
    public void Train_WeightDecayAndL2_RecordedInJsonConfig()
    {
        using var dir = new TempDirectory();
        string json = dir.File("run.json");
        var (code, _, error) = CliRunner.Run("train", "--data", "moons", "--rows", "100", "--layers", "2,8,1", "--epochs", "2",
            "--weight-decay", "0.004", "--l2", "0.0005", "--json", json);
        Assert.True(code == 0, error);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement config = document.RootElement.GetProperty("config");
        Assert.Equal(0.004, config.GetProperty("weight_decay").GetDouble());
        Assert.Equal(0.0005, config.GetProperty("l2").GetDouble());
    }
}
