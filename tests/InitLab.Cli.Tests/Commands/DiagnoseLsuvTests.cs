using System.Text.Json;

namespace InitLab.Cli.Tests.Commands;

/// <summary>Issue 8: <c>diagnose --init lsuv</c> measured the orthogonal pre-initialisation as if it were LSUV.</summary>
public class DiagnoseLsuvTests
{
    [Theory]
    [InlineData("tanh")]
    [InlineData("relu")]
    public void Diagnose_Lsuv_MeasuresCalibratedLayers(string activation)
    {
        using var dir = new TempDirectory();
        string json = dir.File("d.json");
        var (code, _, error) = CliRunner.Run("diagnose", "--layers", "16,64,64,64,2", "--activation", activation, "--init", "lsuv", "--json", json);
        Assert.True(code == 0, error);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        // LSUV (tol 0.1) leaves each layer's pre-activation variance within 0.1 of 1 on the probe batch, so
        // E[z²] = Var + mean² > 0.9 for every layer (after ReLU inputs the mean is not 0, so there is no upper bound).
        // The first layer sees zero-mean Gaussian inputs, so its mean² is ~0 and E[z²] < 1.1 plus a little.
        // The orthogonal start alone measures E[z²] ≈ 0.26 at the first layer (16 → 64: each unit gets 1/4 of the variance).
        JsonElement[] layers = [.. doc.RootElement.GetProperty("layers").EnumerateArray()];
        foreach (JsonElement layer in layers)
        {
            Assert.True(layer.GetProperty("pre_activation_mean_square").GetDouble() > 0.9, layer.ToString());
        }
        Assert.InRange(layers[0].GetProperty("pre_activation_mean_square").GetDouble(), 0.9, 1.15);
    }
}
