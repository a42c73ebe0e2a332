using System.Buffers.Binary;
using System.IO.Compression;
using InitLab.Data;
using InitLab.Experiments;
using InitLab.Models;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Persistence;

/// <summary>Format 2 keeps the whole pipeline; format-1 files (written before it) still load.</summary>
public class ModelFileFormatTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", name);

    [Fact]
    public void Load_FormatOneFixture_PredictsWhatItsWeightsComputeByHand()
    {
        // v1-iris-4-5-3.model was written by the format-1 code (commit ad7e5e2): 4 → 5 relu → 3 softmax.
        string path = Fixture("v1-iris-4-5-3.model");
        TrainedModel model = ModelFile.LoadTrainedModel(path);
        Assert.Contains("format-1 model file", Assert.Single(model.Warnings), StringComparison.Ordinal);
        Assert.Equal(ModelTask.Classification, model.Task);
        Assert.Equal(["0", "1", "2"], model.ClassLabels);
        Assert.Equal(["x0", "x1", "x2", "x3"], model.FeatureNames);
        Assert.Null(model.FeatureScaler);
        Assert.True(model.FeaturesByPosition);
        Assert.Equal(150, model.Evaluate(DataSource.LoadAll("iris")).Rows);

        float[] w = ReadWeights(path);
        // Parameter order: dense_0 kernel (4×5, row-major in×out), bias (5), dense_1 kernel (5×3), bias (3).
        double[][] rows = [[0.5, -1.0, 1.5, 0.25], [-2.0, 0.0, 1.0, -0.5]];
        var x = new Tensors.Tensor([.. rows.SelectMany(r => r.Select(v => (float)v))], 2, 4);
        Tensors.Tensor p = model.PredictProbabilities(x);
        for (int r = 0; r < rows.Length; r++)
        {
            var hidden = new double[5];
            for (int j = 0; j < 5; j++)
            {
                double z = w[20 + j];
                for (int i = 0; i < 4; i++)
                {
                    z += rows[r][i] * w[i * 5 + j];
                }
                hidden[j] = Math.Max(0, z);
            }
            var logits = new double[3];
            for (int k = 0; k < 3; k++)
            {
                logits[k] = w[40 + k];
                for (int j = 0; j < 5; j++)
                {
                    logits[k] += hidden[j] * w[25 + j * 3 + k];
                }
            }
            double max = logits.Max(), sum = logits.Sum(l => Math.Exp(l - max));
            for (int k = 0; k < 3; k++)
            {
                Assert.Equal(Math.Exp(logits[k] - max) / sum, p.Data[r * 3 + k], 1e-5);
            }
        }
    }

    [Fact]
    public void SaveLoad_TrainedPipeline_KeepsEveryPieceBitExact()
    {
        using var dir = new TempDirectory();
        TrainingOutcome outcome = new TrainingRecipe { Data = "iris", Layers = [4, 8, 3], Epochs = 3, Seed = 2, Threads = 1 }.Run();
        string path = dir.File("iris.model");
        ModelFile.Save(outcome.Trained, path);
        TrainedModel loaded = ModelFile.LoadTrainedModel(path);

        Assert.Empty(loaded.Warnings);
        Assert.Equal(outcome.Trained.FeatureNames, loaded.FeatureNames);
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], loaded.FeatureNames);
        Assert.Equal("species", loaded.LabelName);
        Assert.Equal(outcome.Trained.ClassLabels, loaded.ClassLabels);
        Assert.Equal("standard", loaded.FeatureScaler!.Kind);
        Assert.Equal(outcome.Trained.FeatureScaler!.Offset, loaded.FeatureScaler.Offset);
        Assert.Equal(outcome.Trained.FeatureScaler.Scale, loaded.FeatureScaler.Scale);
        Assert.Equal("sparse_categorical_crossentropy", loaded.Network.Loss!.Name);
        Assert.Equal(outcome.Train, loaded.Provenance.TrainMetrics);
        Assert.Equal(outcome.Test, loaded.Provenance.TestMetrics);
        Assert.Equal("iris", loaded.Provenance.Training["data"]);
        Assert.Equal("0.2", loaded.Provenance.Training["test_fraction"]);
        Assert.StartsWith("InitLab ", loaded.Provenance.CreatedBy, StringComparison.Ordinal);
        for (int i = 0; i < loaded.Network.Parameters.Count; i++)
        {
            Assert.Equal(outcome.Model.Parameters[i].Value, loaded.Network.Parameters[i].Value);
        }
    }

    [Fact]
    public void SaveLoad_RegressionPipeline_KeepsTargetScaler()
    {
        using var dir = new TempDirectory();
        TrainingOutcome outcome = new TrainingRecipe { Data = "curve", Layers = [1, 8, 1], Epochs = 2, Threads = 1 }.Run();
        string path = dir.File("curve.model");
        ModelFile.Save(outcome.Trained, path);
        TrainedModel loaded = ModelFile.LoadTrainedModel(path);
        Assert.Equal(ModelTask.Regression, loaded.Task);
        Assert.Empty(loaded.ClassLabels);
        Assert.Equal(outcome.Trained.TargetScaler!.Mean, loaded.TargetScaler!.Mean);
        Assert.Equal(outcome.Trained.TargetScaler.StdDev, loaded.TargetScaler.StdDev);
        Assert.Equal("mean_squared_error", loaded.Network.Loss!.Name);
    }

    [Fact]
    public void Save_StaleTemporaryFileFromEarlierCrash_DoesNotBlockSaving()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.model");
        File.WriteAllText(path + ".tmp", "left behind by a crash");
        ModelFile.Save(new TrainingRecipe { Data = "xor", Layers = [2, 4, 1], Epochs = 1 }.Run().Trained, path);
        Assert.Equal(ModelTask.Classification, ModelFile.LoadTrainedModel(path).Task);
        Assert.Equal(["m.model", "m.model.tmp"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
    }

    private static float[] ReadWeights(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        using var stream = zip.GetEntry("weights.bin")!.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        byte[] bytes = buffer.ToArray();
        return [.. Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4)))];
    }
}
