using System.Text.Json;
using InitLab.Experiments;
using InitLab.Sweeps.Running;

namespace InitLab.Sweeps.Tests.Running;

public sealed class TrialRunnerTests
{
    private static TrialSpec Trial(ulong seed, params (string Name, string Value)[] settings) =>
        new(settings.ToDictionary(s => s.Name, s => s.Value), seed);

    private static readonly TrialSpec Small = Trial(4, ("data", "moons"), ("rows", "200"), ("depth", "3"), ("width", "8"), ("activation", "tanh"),
        ("init", "glorot_uniform"), ("epochs", "3"));

    internal static void AssertSameExceptTime(TrialResult expected, TrialResult actual)
    {
        Assert.Equal(expected with { Seconds = 0 }, actual with { Seconds = 0 });
        double[] a = [expected.TrainLoss, expected.TrainAccuracy, expected.TestLoss, expected.TestAccuracy];
        double[] b = [actual.TrainLoss, actual.TrainAccuracy, actual.TestLoss, actual.TestAccuracy];
        Assert.Equal(a.Select(BitConverter.DoubleToInt64Bits), b.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Run_SameTrialTwiceAndOnTwoThreads_BitIdentical()
    {
        TrialResult first = TrialRunner.Run(Small);
        TrialResult again = TrialRunner.Run(Small);
        TrialResult twoThreads = TrialRunner.Run(Small, threads: 2);

        AssertSameExceptTime(first, again);
        AssertSameExceptTime(first, twoThreads);
        Assert.NotEqual(first.TestLoss, TrialRunner.Run(Trial(5, [.. Small.Settings.Select(kv => (kv.Key, kv.Value))])).TestLoss);
    }

    [Fact]
    public void Run_ProbeAtInit_DoesNotChangeTheTraining()
    {
        TrialResult result = TrialRunner.Run(Small);
        TrainingOutcome plain = SweepRecipe.From(Small).Run();

        Assert.Equal(BitConverter.DoubleToInt64Bits(plain.Test.Loss), BitConverter.DoubleToInt64Bits(result.TestLoss));
        Assert.Equal(BitConverter.DoubleToInt64Bits(plain.Train.Accuracy), BitConverter.DoubleToInt64Bits(result.TrainAccuracy));
    }

    [Fact]
    public void Run_Healthy_HistoryAndInitLayersRecorded()
    {
        TrialResult result = TrialRunner.Run(Small);

        Assert.Equal(3, result.Epochs);
        using JsonDocument history = JsonDocument.Parse(result.HistoryJson);
        Assert.Equal([1, 2, 3], history.RootElement.EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
        Assert.Equal(JsonValueKind.Null, history.RootElement[0].GetProperty("val_loss").ValueKind);
        using JsonDocument layers = JsonDocument.Parse(result.InitLayersJson);
        // 3 hidden layers and the output layer.
        Assert.Equal(4, layers.RootElement.GetArrayLength());
        JsonElement first = layers.RootElement[0];
        Assert.Equal("tanh", first.GetProperty("activation").GetString());
        Assert.Equal(8, first.GetProperty("units").GetInt32());
        // glorot_uniform on a 2→8 kernel: U(±√(6/10)), std = √(6/10)/√3 = 0.447; 16 draws, so only the order of magnitude.
        Assert.InRange(first.GetProperty("weight_std").GetDouble(), 0.2, 0.7);
        Assert.True(first.GetProperty("gradient_norm").GetDouble() > 0);
        Assert.False(string.IsNullOrEmpty(result.Verdict));
        Assert.True(result.TestAccuracy is >= 0 and <= 1);
    }

    [Fact]
    public void Run_Diverging_DoneWithVerdictDivergedAndNaNLosses()
    {
        TrialSpec diverging = Trial(1, ("data", "moons"), ("rows", "200"), ("depth", "4"), ("width", "16"), ("init", "torch_normal"),
            ("optimizer", "sgd"), ("lr", "1e6"), ("epochs", "5"));

        TrialResult result = TrialRunner.Run(diverging);

        Assert.Equal(TrialRunner.DivergedVerdict, result.Verdict);
        Assert.True(double.IsNaN(result.TestLoss));
        Assert.True(double.IsNaN(result.TrainAccuracy));
        Assert.Contains("diverged", result.VerdictReason, StringComparison.Ordinal);
        Assert.InRange(result.Epochs, 1, 5);
        Assert.Equal(5, JsonDocument.Parse(result.InitLayersJson).RootElement.GetArrayLength());
    }

    [Fact]
    public void Run_NetworkThatDoesNotFitTheData_ArgumentExceptionNamingLayers()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => TrialRunner.Run(Trial(1, ("data", "moons"), ("layers", "3,8,1"), ("epochs", "1"))));

        Assert.Contains("layers", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 features", error.Message, StringComparison.Ordinal);
    }
}
