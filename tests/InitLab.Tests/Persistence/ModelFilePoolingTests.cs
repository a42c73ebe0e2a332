using System.Text.Json.Nodes;
using InitLab.Data;
using InitLab.Layers;
using InitLab.Models;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Persistence;

/// <summary>Issue 22: format 4 saves the input shape and the pooling and dropout layers (Keras class names and config
/// fields), so a loaded image model scores exactly what the trained one did; models that fit an older format are still
/// written in it; hand-edited files are refused with the field, the value and what is valid.</summary>
public class ModelFilePoolingTests
{
    [Fact]
    public void SaveLoad_PoolingDropoutNetTrainedOnDigitImages_EvaluatesBitForBit()
    {
        using var dir = new TempDirectory();
        (TrainedModel trained, Dataset test) = ImageNets.TrainOnDigits(epochs: 2, seed: 1);
        string path = dir.File("pooled.model");

        ModelFile.Save(trained, path);
        TrainedModel loaded = ModelFile.LoadTrainedModel(path);

        ModelEvaluation expected = trained.Evaluate(test);
        Assert.Equal(expected, loaded.Evaluate(test));
        Assert.True(expected.Accuracy > 0.7, $"the net learned something (test accuracy {expected.Accuracy})");
        Assert.Equal([8, 8, 1], loaded.Network.InputShape);
        Assert.Equal(trained.Network.ToString(), loaded.Network.ToString());
        Assert.Equal(trained.Network.AllLayers.Select(l => (l.Name, l.KindName, string.Join("x", l.InputShape), string.Join("x", l.OutputShape))),
            loaded.Network.AllLayers.Select(l => (l.Name, l.KindName, string.Join("x", l.InputShape), string.Join("x", l.OutputShape))));
        Assert.Equal(trained.PredictProbabilities(test.Features).Data, loaded.PredictProbabilities(test.Features).Data);
    }

    [Fact]
    public void Save_PoolingNet_WritesFormatFourWithInputShapeAndKerasConfig()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.model");
        ModelFile.Save(ImageNets.Pooled(seed: 2), path);

        JsonNode root = ModelFileEntries.Description(path);
        Assert.Equal(4, (int)root["version"]!);
        Assert.Equal(90, (int)root["input_dim"]!);
        Assert.Equal([6, 5, 3], root["input_shape"]!.AsArray().Select(d => (int)d!));
        JsonArray layers = root["layers"]!.AsArray();
        Assert.Equal(["MaxPooling2D", "ScalarBias", "Residual", "AveragePooling2D", "Dropout", "Dense", "Dense"], layers.Select(l => (string)l!["class_name"]!));
        JsonNode max = layers[0]!;
        Assert.Equal(("max_pooling2d_0", "same"), ((string)max["name"]!, (string)max["padding"]!));
        Assert.Equal([2, 3], max["pool_size"]!.AsArray().Select(d => (int)d!));
        Assert.Equal([1, 2], max["strides"]!.AsArray().Select(d => (int)d!));
        Assert.Equal("residual_2/average_pooling2d_1", (string)layers[2]!["layers"]![1]!["name"]!);
        Assert.Equal(0.3, (double)layers[4]!["rate"]!);
        // Pooling and dropout save no tensors: the list is the dense layers' and the scalar bias's.
        Assert.Equal(["scalar_bias_1/bias", "dense_5/kernel", "dense_5/bias", "dense_6/kernel", "dense_6/bias"],
            root["weights"]!["tensors"]!.AsArray().Select(t => (string)t!["name"]!));
    }

    [Fact]
    public void Save_OldestFormatThatHoldsTheModel()
    {
        using var dir = new TempDirectory();
        int Version(Sequential model)
        {
            string path = dir.File(Guid.NewGuid() + ".model");
            ModelFile.Save(model, path);
            JsonNode root = ModelFileEntries.Description(path);
            Assert.Equal((int)root["version"]! >= 4, root["input_shape"] is not null);
            return (int)root["version"]!;
        }

        Assert.Equal(2, Version(new Sequential(4, [new Dense(3), new Dense(2)], 1)));
        Assert.Equal(3, Version(new Sequential(4, [new Dense(3), new LayerNormalization(), new Dense(2)], 1)));
        // Dense layers only, but on image rows: the shape needs format 4 (a format-2 reader would drop it).
        Assert.Equal(4, Version(new Sequential([2, 2, 1], [new Dense(3), new Dense(2)], 1)));
        Assert.Equal(4, Version(new Sequential(4, [new Dense(3), new Dropout(0.5), new Dense(2)], 1)));
        Assert.Equal(4, Version(new Sequential(4, [new Residual([new Dropout(0.1), new Dense(4)]), new Dense(2)], 1)));
    }

    [Fact]
    public void SaveLoad_GlobalAveragePoolingAndFlatShapedInput_ShapesAndOutputsKept()
    {
        using var dir = new TempDirectory();
        foreach (Sequential model in new[] { ImageNets.GlobalPooled(3), ImageNets.EndsInPooling(3), new Sequential([3, 4], [new Dense(2)], 3) })
        {
            string path = dir.File(Guid.NewGuid() + ".model");
            var x = ImageNets.Inputs(7, model.InputDim, 4);
            ModelFile.Save(model, path);
            Sequential loaded = ModelFile.Load(path);
            Assert.Equal(model.InputShape, loaded.InputShape);
            Assert.Equal(model.Predict(x).Data, loaded.Predict(x).Data);
        }
    }

    [Fact]
    public void Load_FormatThreeFile_InputShapeIsItsWidth()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.model");
        ModelFile.Save(ResidualNets.Build(5, 3, "softmax", seed: 2), path);
        Assert.Equal([5], ModelFile.Load(path).InputShape);
    }

    [Theory]
    [InlineData("input_shape", "[6, 5, 2]", "'input_shape' is [6, 5, 2], 60 values per row, but input_dim is 90; the two must agree.")]
    [InlineData("input_shape", "[]", "'input_shape' is empty; give the shape of one input row")]
    [InlineData("input_shape", "[6, 0, 15]", "'input_shape[1]' must be a whole number in 1..2147483647, got 0.")]
    [InlineData("input_shape", "[65536, 65536, 65536]", "'input_shape' is [65536, 65536, 65536], more than an int holds values per row, but input_dim is 90")]
    [InlineData("input_shape", "[90]", "'layers[0]' is MaxPooling2D 'max_pooling2d_0', which needs rows shaped [height, width, channels], but its input is [90]")]
    [InlineData("input_shape", "[1, 1, 1, 1, 1, 1, 1, 1, 90]", "'input_shape' has 9 entries; at most 8 are allowed.")]
    [InlineData("layers[3].pool_size", "[7, 3]", "'layers[3].pool_size' is [7, 3] with valid padding, larger than layer 'average_pooling2d_3''s 6×3 input.")]
    [InlineData("layers[0].pool_size", "[2]", "'layers[0].pool_size' has 1 entries; it is [height, width].")]
    [InlineData("layers[0].strides", "[1, -2]", "'layers[0].strides[1]' must be a whole number in 1..2147483647, got -2.")]
    [InlineData("layers[0].padding", "\"causal\"", "'layers[0].padding' is 'causal'; valid: valid, same.")]
    [InlineData("layers[4].rate", "1.0", "'layers[4].rate' is not valid: Dropout: rate must be in [0, 1)")]
    [InlineData("layers[4].class_name", "\"Dropuot\"", "'layers[4].class_name' is 'Dropuot' (layer 'dropout_4'), not a layer InitLab knows. Did you mean 'Dropout'?")]
    public void Load_EditedPoolingFile_RefusedNamingTheField(string field, string json, string message)
    {
        using var dir = new TempDirectory();
        string good = dir.File("good.model"), edited = dir.File("edited.model");
        ModelFile.Save(ImageNets.Pooled(seed: 2), good);
        ModelFileEntries.SetField(good, edited, field, json);

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.LoadTrainedModel(edited));

        Assert.Contains("edited.model: model.json " + message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FormatThreeFileNamingMaxPooling_RefusedAsNeedingFormatFour()
    {
        using var dir = new TempDirectory();
        string good = dir.File("good.model"), edited = dir.File("edited.model");
        ModelFile.Save(ImageNets.Pooled(seed: 2), good);
        ModelFileEntries.Edit(good, edited, root => root["version"] = 3);

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.LoadTrainedModel(edited));

        Assert.Contains("'layers[0].class_name' is 'MaxPooling2D' (layer 'max_pooling2d_0'), but a format-3 file holds only Activation, BatchNormalization, Dense, LayerNormalization, Residual, ScalarBias layers; MaxPooling2D needs format 4.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FormatFourWithoutInputShape_Refused()
    {
        using var dir = new TempDirectory();
        string good = dir.File("good.model"), edited = dir.File("edited.model");
        ModelFile.Save(ImageNets.Pooled(seed: 2), good);
        ModelFileEntries.Edit(good, edited, root => root.AsObject().Remove("input_shape"));

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.LoadTrainedModel(edited));

        Assert.Contains("'input_shape'", ex.Message, StringComparison.Ordinal);
    }
}
