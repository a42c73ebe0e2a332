using System.Text.Json.Nodes;
using InitLab.Data;
using InitLab.Layers;
using InitLab.Models;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Persistence;

/// <summary>Issue 22: format 4 saves SimpleRNN, LSTM and GRU with Keras's config fields (units, activation,
/// recurrent_activation, return_sequences, initializers, unit_forget_bias, reset_after) and Keras-layout tensors.</summary>
public class ModelFileRecurrentTests
{
    [Fact]
    public void SaveLoad_LstmTrainedOnAddingProblem_EvaluatesBitForBit()
    {
        using var dir = new TempDirectory();
        (TrainedModel trained, Dataset test) = RecurrentNets.TrainOnAdding(epochs: 2, seed: 1);
        string path = dir.File("lstm.model");

        ModelFile.Save(trained, path);
        TrainedModel loaded = ModelFile.LoadTrainedModel(path);

        Assert.Equal(trained.Evaluate(test), loaded.Evaluate(test));
        Assert.Equal([50, 2], loaded.Network.InputShape);
        Assert.Equal(trained.Network.ToString(), loaded.Network.ToString());
    }

    [Theory]
    [InlineData("all")]
    [InlineData("reset-before")]
    public void SaveLoad_EveryRecurrentOption_SameConfigAndBits(string which)
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.model");
        Sequential model = which == "all" ? RecurrentNets.AllOptions(2) : RecurrentNets.ResetBefore(2);
        var x = ImageNets.Inputs(5, model.InputDim, 6);

        ModelFile.Save(model, path);
        Sequential loaded = ModelFile.Load(path);

        Assert.Equal(model.Predict(x).Data, loaded.Predict(x).Data);
        Assert.Equal(model.AllLayers.Select(l => (l.ToString(), string.Join("x", l.OutputShape))), loaded.AllLayers.Select(l => (l.ToString(), string.Join("x", l.OutputShape))));
        Assert.Equal(
            model.AllLayers.OfType<RecurrentLayer>().Select(r => (r.KindName, r.Units, r.ReturnSequences, r.Activation.Name, r.RecurrentInitializer.Name, r.BiasInitializer.Name,
                (r as Lstm)?.UnitForgetBias, (r as Gru)?.ResetAfter, ((r as Lstm)?.RecurrentActivation ?? (r as Gru)?.RecurrentActivation)?.Name)),
            loaded.AllLayers.OfType<RecurrentLayer>().Select(r => (r.KindName, r.Units, r.ReturnSequences, r.Activation.Name, r.RecurrentInitializer.Name, r.BiasInitializer.Name,
                (r as Lstm)?.UnitForgetBias, (r as Gru)?.ResetAfter, ((r as Lstm)?.RecurrentActivation ?? (r as Gru)?.RecurrentActivation)?.Name)));
    }

    [Fact]
    public void Save_RecurrentNet_KerasFieldsAndTensorLengths()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.model");
        ModelFile.Save(RecurrentNets.AllOptions(2), path);

        JsonNode root = ModelFileEntries.Description(path);
        JsonArray layers = root["layers"]!.AsArray();
        Assert.Equal(["SimpleRNN", "LSTM", "GRU", "Residual", "BatchNormalization", "LSTM", "Dense"], layers.Select(l => (string)l!["class_name"]!));
        Assert.Equal(("relu", true, "identity"), ((string)layers[0]!["activation"]!, (bool)layers[0]!["return_sequences"]!, (string)layers[0]!["recurrent_initializer"]!["name"]!));
        Assert.Equal(("sigmoid", true), ((string)layers[1]!["recurrent_activation"]!, (bool)layers[1]!["unit_forget_bias"]!));
        Assert.True((bool)layers[2]!["reset_after"]!);
        Assert.False((bool)layers[5]!["unit_forget_bias"]!);
        var tensors = root["weights"]!["tensors"]!.AsArray().ToDictionary(t => (string)t!["name"]!, t => (int)t!["length"]!);
        // LSTM 1: kernel 5·16, recurrent 4·16, bias 16; GRU 2 (reset_after): kernel 4·9, recurrent 3·9, bias 2·9; BN per feature (3).
        Assert.Equal((80, 64, 16, 36, 27, 18, 3), (tensors["lstm_1/kernel"], tensors["lstm_1/recurrent_kernel"], tensors["lstm_1/bias"],
            tensors["gru_2/kernel"], tensors["gru_2/recurrent_kernel"], tensors["gru_2/bias"], tensors["batch_normalization_4/moving_mean"]));
    }

    [Theory]
    [InlineData("layers[0].units", "0", "'layers[0].units' must be a whole number in 1..2147483647, got 0.")]
    [InlineData("layers[0].units", "1000000", "'layers[0].units' is 1000000: layer 'simple_rnn_0''s kernels of 3000000 and 1000000000000 weights")]
    [InlineData("layers[2].reset_after", "false", "the architecture needs")]
    [InlineData("layers[1].recurrent_activation", "\"softmax\"", "'layers[1]' is not valid: LSTM: recurrentActivation must be elementwise")]
    [InlineData("layers[6].units", "3", "the architecture needs 2052")]
    [InlineData("layers[5].return_sequences", "true", "the architecture needs")]
    [InlineData("layers[1].class_name", "\"Conv2D\"", "'layers[1]' is Conv2D 'lstm_1', which needs rows shaped [height, width, channels], but its input is [6, 5]")]
    public void Load_EditedRecurrentFile_RefusedNamingTheField(string field, string json, string message)
    {
        using var dir = new TempDirectory();
        string good = dir.File("good.model"), edited = dir.File("edited.model");
        ModelFile.Save(RecurrentNets.AllOptions(seed: 2), good);
        ModelFileEntries.SetField(good, edited, field, json);

        (ModelFormatException ex, long allocated) = ModelFileEntries.LoadRefused(edited);

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 4 << 20, $"allocated {allocated} bytes before refusing");
    }
}
