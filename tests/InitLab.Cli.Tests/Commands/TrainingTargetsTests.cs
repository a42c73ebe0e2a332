using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

/// <summary>The accuracy the engine issue promises from the CLI with seed 1.</summary>
public class TrainingTargetsTests
{
    [Theory]
    [InlineData(0.97, "--data", "moons", "--layers", "2,32,32,1", "--activation", "relu", "--init", "he_normal")]
    [InlineData(0.95, "--data", "spirals", "--arms", "3", "--layers", "2,64,64,3", "--epochs", "200")]
    [InlineData(0.95, "--data", "digits", "--layers", "64,128,10", "--epochs", "30")]
    [InlineData(0.93, "--data", "iris", "--layers", "4,16,3", "--epochs", "100")]
    public void Train_Seed1_ReachesTestAccuracy(double minimum, params string[] flags)
    {
        using var dir = new TempDirectory();
        string json = dir.File("r.json");
        var (code, _, error) = CliRunner.Run([.. new[] { "train", "--seed", "1", "--json", json }, .. flags]);
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        double accuracy = doc.RootElement.GetProperty("final").GetProperty("test_accuracy").GetDouble();
        Assert.True(accuracy >= minimum, $"test accuracy {accuracy} < {minimum}");
    }
}
