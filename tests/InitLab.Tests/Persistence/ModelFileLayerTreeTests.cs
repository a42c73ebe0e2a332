using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using InitLab.Data;
using InitLab.Experiments;
using InitLab.Layers;
using InitLab.Models;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Persistence;

/// <summary>Issue 21: format 3 saves the whole layer tree (residual blocks, normalization with its running statistics,
/// activation layers, scalar biases) so a loaded model scores exactly what the trained one did; plain Dense stacks stay
/// format 2 and older files still load.</summary>
public class ModelFileLayerTreeTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", name);

    [Fact]
    public void SaveLoad_ResidualNetWithBatchAndLayerNormTrainedOnDigits_EvaluatesBitForBit()
    {
        using var dir = new TempDirectory();
        (TrainedModel trained, Dataset test) = ResidualNets.TrainOnDigits(epochs: 2, seed: 1);
        string path = dir.File("residual.model");

        ModelFile.Save(trained, path);
        TrainedModel loaded = ModelFile.LoadTrainedModel(path);

        ModelEvaluation expected = trained.Evaluate(test);
        Assert.Equal(expected, loaded.Evaluate(test));
        Assert.True(expected.Accuracy > 0.8, $"the net learned something (test accuracy {expected.Accuracy})");
        Assert.Equal(trained.Network.ToString(), loaded.Network.ToString());
        Assert.Equal(trained.Network.AllLayers.Select(l => (l.Name, l.KindName, l.InputDim, l.OutputDim)),
            loaded.Network.AllLayers.Select(l => (l.Name, l.KindName, l.InputDim, l.OutputDim)));
        // The running statistics moved away from their start (mean 0, variance 1), so the test sees them saved.
        var norm = (BatchNormalization)trained.Network.Layers[4];
        Assert.Contains(norm.MovingMean.ToArray(), v => v != 0);
        Assert.Contains(norm.MovingVariance.ToArray(), v => v != 1);
        foreach ((BatchNormalization before, BatchNormalization after) in trained.Network.AllLayers.OfType<BatchNormalization>()
            .Zip(loaded.Network.AllLayers.OfType<BatchNormalization>()))
        {
            Assert.Equal(before.MovingMean.ToArray(), after.MovingMean.ToArray());
            Assert.Equal(before.MovingVariance.ToArray(), after.MovingVariance.ToArray());
            Assert.Equal((before.Momentum, before.Epsilon), (after.Momentum, after.Epsilon));
        }
        for (int i = 0; i < trained.Network.Parameters.Count; i++)
        {
            Assert.Equal(trained.Network.Parameters[i].Name, loaded.Network.Parameters[i].Name);
            Assert.Equal(trained.Network.Parameters[i].Value, loaded.Network.Parameters[i].Value);
        }
        var blocks = loaded.Network.Layers.OfType<Residual>().ToArray();
        Assert.Equal([1f, ((Residual)trained.Network.Layers[3]).Alpha, 0.25f], blocks.Select(b => b.Alpha));
        Assert.Equal([false, true, false], blocks.Select(b => b.TrainableAlpha));
        Assert.Equal("residual_3/shortcut", blocks[1].Projection!.Name);
    }

    [Fact]
    public void Save_ResidualNet_WritesFormatThreeWithKerasNamedConfigAndTensorNames()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.model");
        ModelFile.Save(ResidualNets.Build(5, 3, "softmax", seed: 2), path);

        JsonNode root = Description(path);
        Assert.Equal(3, (int)root["version"]!);
        JsonArray layers = root["layers"]!.AsArray();
        Assert.Equal(["Dense", "Residual", "LayerNormalization", "Residual", "BatchNormalization", "Residual", "Dense"],
            layers.Select(l => (string)l!["class_name"]!));
        JsonNode norm = layers[4]!;
        Assert.Equal((0.9, 1e-4, "ones", "zeros"), ((double)norm["momentum"]!, (double)norm["epsilon"]!,
            (string)norm["gamma_initializer"]!["name"]!, (string)norm["beta_initializer"]!["name"]!));
        JsonNode block = layers[3]!;
        Assert.Equal((0.5, true), ((double)block["alpha"]!, (bool)block["trainable_alpha"]!));
        Assert.Equal(("residual_3/shortcut", 16, false), ((string)block["projection"]!["name"]!, (int)block["projection"]!["units"]!, (bool)block["projection"]!["use_bias"]!));
        Assert.Equal(["residual_3/dense_0", "residual_3/layer_normalization_1"], block["layers"]!.AsArray().Select(l => (string)l!["name"]!));
        Assert.Null(layers[1]!["projection"]);
        Assert.Equal(("ScalarBias", 0.1f), ((string)layers[5]!["layers"]![0]!["class_name"]!, (float)(double)layers[5]!["layers"]![0]!["initial_value"]!));
        Assert.Equal("relu", (string)layers[1]!["layers"]![2]!["activation"]!);
        string[] tensors = [.. root["weights"]!["tensors"]!.AsArray().Select(t => (string)t!["name"]!)];
        Assert.Contains("residual_1/batch_normalization_1/moving_variance", tensors);
        Assert.Equal(["residual_3/dense_0/kernel", "residual_3/dense_0/bias", "residual_3/layer_normalization_1/gamma", "residual_3/layer_normalization_1/beta",
            "residual_3/shortcut/kernel", "residual_3/alpha", "batch_normalization_4/gamma", "batch_normalization_4/beta",
            "batch_normalization_4/moving_mean", "batch_normalization_4/moving_variance", "residual_5/scalar_bias_0/bias"],
            tensors.SkipWhile(t => !t.StartsWith("residual_3/", StringComparison.Ordinal)).Take(11));
    }

    [Fact]
    public void Save_PlainDenseStack_StillWritesFormatTwo()
    {
        using var dir = new TempDirectory();
        string path = dir.File("plain.model");
        ModelFile.Save(new Sequential(3, [new Dense(4, "relu"), new Dense(2, "softmax")], seed: 1), path);
        Assert.Equal(2, (int)Description(path)["version"]!);
    }

    [Fact]
    public void Load_FormatTwoFixture_LoadsAndScoresWhatTrainReported()
    {
        // v2-iris-4-6-3.model was written by the format-2 code (commit 97d283b): train --data iris --layers 4,6,3 --epochs 3 --seed 5.
        TrainedModel model = ModelFile.LoadTrainedModel(Fixture("v2-iris-4-6-3.model"));
        Assert.Empty(model.Warnings);
        Assert.Equal(["dense_0", "dense_1"], model.Network.Layers.Select(l => l.Name));
        (_, Dataset test) = DataSource.LoadRaw("iris", TrainingRecipe.DataFromSettings(model.Provenance.Training)!.Value.Options);
        Assert.Equal(model.Provenance.TestMetrics, model.Evaluate(test));
    }

    [Fact]
    public void Load_FixedAlphaBlock_UsesConfiguredAlphaNotZero()
    {
        // A fixed α is configuration, not a tensor: the loader's zero-initialised block must get it back.
        using var dir = new TempDirectory();
        var model = new Sequential(4, [new Residual([new Dense(4, "tanh")], alpha: 0.3f), new Dense(2)], seed: 3);
        string path = dir.File("alpha.model");
        ModelFile.Save(model, path);
        var x = new Tensors.Tensor([0.5f, -1, 2, 0.25f, 1, 1, -1, 0], 2, 4);
        Assert.Equal(model.Predict(x).Data, ModelFile.Load(path).Predict(x).Data);
    }

    [Fact]
    public void Load_UnknownLayerKind_NamesFileLayerAndValidKinds()
    {
        var ex = RefusedAfterEdit(root => root["layers"]![1]!["class_name"] = "Embedding");
        Assert.Equal("edited.model: model.json 'layers[1].class_name' is 'Embedding' (layer 'residual_1'), not a layer InitLab knows. Valid: Activation, AveragePooling2D, BatchNormalization, Conv2D, Conv2DTranspose, Dense, Dropout, Flatten, GRU, GlobalAveragePooling2D, LSTM, LayerNormalization, MaxPooling2D, Residual, ScalarBias, SimpleRNN.", ex.Message);
    }

    [Fact]
    public void Load_MisspelledLayerKind_SuggestsNearest()
    {
        var ex = RefusedAfterEdit(root => root["layers"]![4]!["class_name"] = "BatchNormalisation");
        Assert.Contains("is 'BatchNormalisation' (layer 'batch_normalization_4'), not a layer InitLab knows. Did you mean 'BatchNormalization'?", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ProjectionRemoved_SaysTheShortcutNeedsOne()
    {
        var ex = RefusedAfterEdit(root => root["layers"]![3]!["projection"] = null);
        Assert.Contains("'layers[3].projection' is missing, but block 'residual_3''s branch maps 32 features to 16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadMomentum_NamesFieldAndValidRange()
    {
        var ex = RefusedAfterEdit(root => root["layers"]![4]!["momentum"] = 1.5);
        Assert.Contains("'layers[4]' is not valid: BatchNormalization: momentum must be in [0, 1)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InnerLayerNamedOutsideItsBlock_Refused()
    {
        var ex = RefusedAfterEdit(root => root["layers"]![1]!["layers"]![0]!["name"] = "dense_9");
        Assert.Contains("'layers[1].layers[0].name' is 'dense_9'; a layer inside block 'residual_1' is named 'residual_1/…'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InputWidenedBeyondWeights_RefusedBySizeCheckBeforeBuilding()
    {
        // 5 → 5 000 000 inputs: the first kernel alone needs 640 MB, which the 16 KB weights.bin cannot hold (3957 floats counted by hand: dense 5·32+32, block 1 32·32+32 + 4·32 + 32·32+32, …).
        var ex = RefusedAfterEdit(root => root["input_dim"] = 5_000_000, out long allocated);
        Assert.Contains("the architecture needs 640015188 weight bytes, model.json declares 15828 and weights.bin holds 15828", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 4 << 20, $"allocated {allocated} bytes before refusing");
    }

    [Fact]
    public void Load_TensorListRenamed_NamesTheMismatch()
    {
        var ex = RefusedAfterEdit(root => root["weights"]!["tensors"]![0]!["name"] = "dense_0/weight");
        Assert.Contains("'weights.tensors[0]' is 'dense_0/weight' of 160 values; the layers' tensor 0 is 'dense_0/kernel' of 160.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FormatTwoFileWithBatchNorm_Refused()
    {
        var ex = RefusedAfterEdit(root => root["version"] = 2);
        Assert.Contains("'layers[1].class_name' is 'Residual' (layer 'residual_1'), but a format-2 file holds only Dense layers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MutatedResidualDescriptions_OnlyModelFormatExceptionEscapes()
    {
        using var dir = new TempDirectory();
        string good = dir.File("good.model");
        ModelFile.Save(ResidualNets.Build(5, 3, "softmax", seed: 2), good);
        (string json, byte[] weights) = Entries(good);
        const string alphabet = "{}[]\":,.-+0123456789eE aztrufnl/";
        var rng = new InitLab.Random.Rng(2025);
        int refused = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var text = new StringBuilder(json);
            int at = rng.NextInt(text.Length);
            text[at] = alphabet[rng.NextInt(alphabet.Length)];
            string path = dir.File($"m{trial}.model");
            Write(path, text.ToString(), weights);
            try
            {
                ModelFile.LoadTrainedModel(path);
            }
            catch (ModelFormatException)
            {
                refused++;
            }
            File.Delete(path);
        }
        Assert.InRange(refused, 100, 300);
    }

    private static ModelFormatException RefusedAfterEdit(Action<JsonNode> edit) => RefusedAfterEdit(edit, out _);

    private static ModelFormatException RefusedAfterEdit(Action<JsonNode> edit, out long allocated)
    {
        using var dir = new TempDirectory();
        string good = dir.File("good.model");
        ModelFile.Save(ResidualNets.Build(5, 3, "softmax", seed: 2), good);
        (string json, byte[] weights) = Entries(good);
        JsonNode root = JsonNode.Parse(json)!;
        edit(root);
        string path = dir.File("edited.model");
        Write(path, root.ToJsonString(), weights);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.LoadTrainedModel(path));
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return ex;
    }

    private static JsonNode Description(string path) => JsonNode.Parse(Entries(path).Json)!;

    private static (string Json, byte[] Weights) Entries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        using var reader = new StreamReader(zip.GetEntry("model.json")!.Open());
        string json = reader.ReadToEnd();
        using var stream = zip.GetEntry("weights.bin")!.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return (json, buffer.ToArray());
    }

    private static void Write(string path, string json, byte[] weights)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var writer = new StreamWriter(zip.CreateEntry("model.json").Open()))
        {
            writer.Write(json);
        }
        using var stream = zip.CreateEntry("weights.bin", CompressionLevel.NoCompression).Open();
        stream.Write(weights);
    }
}
