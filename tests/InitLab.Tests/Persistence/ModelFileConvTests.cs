using System.Text.Json.Nodes;
using InitLab.Data;
using InitLab.Layers;
using InitLab.Models;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Persistence;

/// <summary>Issue 22: format 4 saves Conv2D, Conv2DTranspose, Flatten and per-channel batch normalization (Keras config
/// fields, kernels in Keras layout), so a loaded CNN scores exactly what the trained one did; hand-edited sizes are
/// refused by name before anything is allocated.</summary>
public class ModelFileConvTests
{
    [Fact]
    public void SaveLoad_CnnTrainedOnDigitImages_EvaluatesBitForBit()
    {
        using var dir = new TempDirectory();
        (TrainedModel trained, Dataset test) = ConvNets.TrainOnDigits(epochs: 2, seed: 1);
        string path = dir.File("cnn.model");

        ModelFile.Save(trained, path);
        TrainedModel loaded = ModelFile.LoadTrainedModel(path);

        ModelEvaluation expected = trained.Evaluate(test);
        Assert.Equal(expected, loaded.Evaluate(test));
        Assert.True(expected.Accuracy > 0.8, $"the net learned something (test accuracy {expected.Accuracy})");
        Assert.Equal(trained.Network.ToString(), loaded.Network.ToString());
        var norm = (BatchNormalization)loaded.Network.Layers[1];
        Assert.Equal(8, norm.Features);
        Assert.Equal(((BatchNormalization)trained.Network.Layers[1]).MovingVariance.ToArray(), norm.MovingVariance.ToArray());
        Assert.Contains(norm.MovingVariance.ToArray(), v => v != 1);
    }

    [Fact]
    public void SaveLoad_EveryConvolutionOption_SameConfigAndBits()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.model");
        Sequential model = ConvNets.AllOptions(seed: 2);
        var x = ImageNets.Inputs(4, 60, 5);

        ModelFile.Save(model, path);
        Sequential loaded = ModelFile.Load(path);

        Assert.Equal(model.Predict(x).Data, loaded.Predict(x).Data);
        Assert.Equal(model.AllLayers.Select(l => l.ToString()), loaded.AllLayers.Select(l => l.ToString()));
        JsonArray layers = ModelFileEntries.Description(path)["layers"]!.AsArray();
        JsonNode first = layers[0]!;
        Assert.Equal(("Conv2D", 6, "same", 3, "tanh", true), ((string)first["class_name"]!, (int)first["filters"]!, (string)first["padding"]!,
            (int)first["groups"]!, (string)first["activation"]!, (bool)first["use_bias"]!));
        Assert.Equal([3, 2], first["kernel_size"]!.AsArray().Select(d => (int)d!));
        Assert.Equal([2, 1], first["strides"]!.AsArray().Select(d => (int)d!));
        Assert.Equal([2, 2], layers[1]!["dilation_rate"]!.AsArray().Select(d => (int)d!));
        Assert.Equal("random_normal", (string)first["bias_initializer"]!["name"]!);
        Assert.Equal(("Conv2DTranspose", 4, "elu(1)"), ((string)layers[3]!["class_name"]!, (int)layers[3]!["filters"]!, (string)layers[3]!["activation"]!));
        Assert.Null(layers[3]!["groups"]);
        Assert.Equal("Flatten", (string)layers[7]!["class_name"]!);
        // Tensor lengths: per-channel statistics (6), a 3×2×(3/3)×6 kernel, a transposed 3×3×4×6 kernel.
        var tensors = ModelFileEntries.Description(path)["weights"]!["tensors"]!.AsArray().ToDictionary(t => (string)t!["name"]!, t => (int)t!["length"]!);
        Assert.Equal((36, 6, 54, 6, 216), (tensors["conv2d_0/kernel"], tensors["batch_normalization_2/moving_mean"], tensors["conv2d_1/kernel"],
            tensors["conv2d_1/bias"], tensors["conv2d_transpose_3/kernel"]));
        Assert.False(tensors.ContainsKey("conv2d_5/bias"));
    }

    [Theory]
    [InlineData("layers[0].groups", "4", "'layers[0].groups' is 4, which must divide both the 3 input channels and the 6 filters of layer 'conv2d_0'.")]
    [InlineData("layers[0].kernel_size", "[3]", "'layers[0].kernel_size' has 1 entries; it is [height, width].")]
    [InlineData("layers[5].kernel_size", "[13, 2]", "'layers[5].kernel_size' is [13, 2] with dilation [1, 1] and valid padding, larger than layer 'conv2d_5''s 12×17 input.")]
    [InlineData("layers[0].dilation_rate", "[1, 0]", "'layers[0].dilation_rate[1]' must be a whole number in 1..2147483647, got 0.")]
    [InlineData("layers[3].padding", "\"full\"", "'layers[3].padding' is 'full'; valid: valid, same.")]
    [InlineData("layers[0].filters", "0", "'layers[0].filters' must be a whole number in 1..2147483647, got 0.")]
    [InlineData("layers[0].use_bias", "false", "the architecture needs")]
    [InlineData("layers[0].kernel_size", "[65536, 65536]", "'layers[0]' declares a 65536×65536×1×6 kernel")]
    [InlineData("layers[0].strides", "[1, 1]", "the architecture needs")]
    [InlineData("layers[3].strides", "[2147483647, 2147483647]", "'layers[3]' declares a 3×3×6×4 kernel and 6442450941×8589934588×4 outputs per row")]
    public void Load_EditedConvFile_RefusedNamingTheFieldBeforeAllocating(string field, string json, string message)
    {
        using var dir = new TempDirectory();
        string good = dir.File("good.model"), edited = dir.File("edited.model");
        ModelFile.Save(ConvNets.AllOptions(seed: 2), good);
        ModelFileEntries.SetField(good, edited, field, json);

        (ModelFormatException ex, long allocated) = ModelFileEntries.LoadRefused(edited);

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("edited.model: ", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 4 << 20, $"allocated {allocated} bytes before refusing");
    }
}
