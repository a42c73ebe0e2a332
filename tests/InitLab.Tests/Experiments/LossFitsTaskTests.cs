using System.Globalization;
using InitLab.Experiments;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Experiments;

/// <summary>Review D4: a loss that cannot mean anything for the label is refused before training, naming the loss
/// (<c>loss:</c>, ParamName Loss; the CLI shows it as --loss), the value, the task/outputs and the losses that fit.</summary>
public class LossFitsTaskTests
{
    [Fact]
    public void Run_BinaryCrossEntropyOnRegressionTarget_RefusedNamingTheRegressionLosses()
    {
        using var dir = new TempDirectory();
        string path = dir.File("price.csv");
        // Real-valued targets with a fractional part: the task rule calls this regression.
        File.WriteAllLines(path, ["x,price", .. Enumerable.Range(0, 40).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},{i * 1.5 + 0.25}"))]);
        var ex = Assert.Throws<ArgumentException>(() => new TrainingRecipe { Data = path, Loss = "binary_crossentropy", Epochs = 1 }.Run());
        Assert.Equal("Loss", ex.ParamName);
        Assert.StartsWith("loss: got '", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'binary_crossentropy'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("regression", ex.Message, StringComparison.Ordinal);
        Assert.Contains("mean_squared_error", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BinaryCrossEntropyOnThreeClasses_RefusedSuggestingSparseCategorical()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TrainingRecipe { Data = "iris", Loss = "binary_crossentropy", Epochs = 1 }.Run());
        Assert.Equal("Loss", ex.ParamName);
        Assert.StartsWith("loss: got '", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3 classes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("sparse_categorical_crossentropy", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SparseCategoricalOnOneSigmoidOutput_RefusedSayingEndTheLayersWithTwo()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TrainingRecipe { Data = "moons", Layers = [2, 8, 1], Loss = "sparse_categorical_crossentropy", Epochs = 1 }.Run());
        Assert.Equal("Loss", ex.ParamName);
        Assert.StartsWith("loss: got '", ex.Message, StringComparison.Ordinal);
        Assert.Contains("end the layers with 2", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("moons", 1, "binary_crossentropy")]
    [InlineData("moons", 2, "sparse_categorical_crossentropy")]
    [InlineData("iris", 3, "categorical_crossentropy")]
    public void Run_LossThatFits_Trains(string data, int outputs, string loss)
    {
        int features = data == "iris" ? 4 : 2;
        var outcome = new TrainingRecipe { Data = data, Layers = [features, 4, outputs], Loss = loss, Epochs = 1 }.Run();
        Assert.Equal(loss, outcome.Model.Loss!.Name);
    }
}
