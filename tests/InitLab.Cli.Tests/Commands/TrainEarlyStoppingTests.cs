using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

public class TrainEarlyStoppingTests
{
    private static string[] Args(string json, string epochs, params string[] extra) =>
        ["train", "--data", "moons", "--noise", "0.3", "--rows", "300", "--lr", "0.05", "--epochs", epochs, "--validation-split", "0.3", "--json", json, .. extra];

    [Fact]
    public void Train_EarlyStoppingFires_SaysWhereAndWhichWeights_InTextAndJson()
    {
        using var dir = new TempDirectory();
        string json = dir.File("run.json");
        var (code, output, _) = CliRunner.Run(Args(json, "300", "--early-stopping", "5"));
        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement[] history = [.. doc.RootElement.GetProperty("history").EnumerateArray()];
        // The best epoch, independently: the first strict minimum of val_loss in the written history.
        int best = 1;
        for (int e = 2; e <= history.Length; e++)
        {
            if (history[e - 1].GetProperty("val_loss").GetDouble() < history[best - 1].GetProperty("val_loss").GetDouble())
            {
                best = e;
            }
        }
        int stopped = history.Length;
        Assert.True(stopped < 300);
        Assert.Equal(best + 5, stopped);
        JsonElement final = doc.RootElement.GetProperty("final");
        Assert.True(final.GetProperty("stopped_early").GetBoolean());
        Assert.Equal(stopped, final.GetProperty("stopped_epoch").GetInt32());
        Assert.Equal(best, final.GetProperty("restored_epoch").GetInt32());
        Assert.Contains($"stopped at epoch {stopped}: no val_loss improvement for 5 epochs; restored the weights of epoch {best}", output, StringComparison.Ordinal);
        // Below the table, above the summary line.
        Assert.True(output.IndexOf("stopped at epoch", StringComparison.Ordinal) > output.IndexOf("│ test", StringComparison.Ordinal));
    }

    [Fact]
    public void Train_WithoutEarlyStopping_JsonSaysSoAndTextIsSilent()
    {
        using var dir = new TempDirectory();
        string json = dir.File("run.json");
        var (code, output, _) = CliRunner.Run(Args(json, "3"));
        Assert.Equal(0, code);
        JsonElement final = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("final");
        Assert.False(final.GetProperty("stopped_early").GetBoolean());
        Assert.Equal(JsonValueKind.Null, final.GetProperty("stopped_epoch").ValueKind);
        Assert.Equal(JsonValueKind.Null, final.GetProperty("restored_epoch").ValueKind);
        Assert.DoesNotContain("stopped at epoch", output, StringComparison.Ordinal);
    }
}
