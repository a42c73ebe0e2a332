using System.Globalization;
using System.Text;
using InitLab.Data;
using InitLab.Experiments;
using InitLab.Models;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Models;

/// <summary>Issue 9 §1: a saved model reproduces its own results on raw rows.</summary>
public class TrainedModelTests
{
    private static readonly TrainingRecipe s_iris = new() { Data = "iris", Layers = [4, 16, 3], Epochs = 100, Seed = 1 };

    [Fact]
    public void Predict_RawIrisTestRowsAfterSaveLoad_ReproducesReportedAccuracyExactly()
    {
        using var dir = new TempDirectory();
        TrainingOutcome outcome = s_iris.Run();
        string path = dir.File("iris.model");
        ModelFile.Save(outcome.Trained, path);
        TrainedModel loaded = ModelFile.LoadTrainedModel(path);

        // The same raw rows train held out, straight from the embedded CSV, in the file's units.
        (_, Dataset rawTest) = DataSource.LoadRaw("iris", s_iris.DataOptions);
        IReadOnlyList<string> predicted = loaded.Predict(rawTest).Labels!;
        int correct = Enumerable.Range(0, rawTest.Rows).Count(r => predicted[r] == rawTest.ClassNames[rawTest.Labels![r]]);
        Assert.Equal(outcome.Test.Accuracy, (double)correct / rawTest.Rows);
        // Before format 2 the reloaded model scored 33.33 % here: the scaler was not saved.
        Assert.True(outcome.Test.Accuracy > 0.9, $"reported {outcome.Test.Accuracy}");
    }

    [Fact]
    public void Evaluate_AfterSaveLoad_SameScoresAsTrainingReported()
    {
        using var dir = new TempDirectory();
        foreach (TrainingRecipe recipe in new[] { s_iris, new TrainingRecipe { Data = "curve", Layers = [1, 16, 1], Epochs = 20 } })
        {
            TrainingOutcome outcome = recipe.Run();
            string path = dir.File(recipe.Data + ".model");
            ModelFile.Save(outcome.Trained, path);
            TrainedModel loaded = ModelFile.LoadTrainedModel(path);
            (Dataset rawTrain, Dataset rawTest) = DataSource.LoadRaw(recipe.Data, recipe.DataOptions);
            AssertClose(outcome.Train, loaded.Evaluate(rawTrain));
            AssertClose(outcome.Test, loaded.Evaluate(rawTest));
        }
    }

    [Fact]
    public void Predict_CsvColumnsReorderedWithExtraColumn_SamePredictionsAsFileOrder()
    {
        TrainedModel model = new TrainingRecipe { Data = "iris", Layers = [4, 8, 3], Epochs = 5 }.Run().Trained;
        Dataset raw = DataSource.LoadAll("iris");
        var inOrder = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width\n");
        var shuffled = new StringBuilder("note,petal_width,Sepal_Length,petal_length,sepal_width\n");
        for (int r = 0; r < raw.Rows; r++)
        {
            string[] f = [.. Enumerable.Range(0, 4).Select(c => raw.Features.Data[r * 4 + c].ToString("R", CultureInfo.InvariantCulture))];
            inOrder.AppendLine(string.Join(",", f));
            shuffled.AppendLine($"row {r},{f[3]},{f[0]},{f[2]},{f[1]}");
        }
        ModelPredictions a = model.Predict(Table(inOrder));
        ModelPredictions b = model.Predict(Table(shuffled));
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Probabilities!.Data, b.Probabilities!.Data);
        Assert.Equal(model.Predict(raw).Probabilities!.Data, a.Probabilities.Data);
    }

    [Fact]
    public void Predict_MissingColumns_NamesEachOne()
    {
        TrainedModel model = new TrainingRecipe { Data = "iris", Layers = [4, 8, 3], Epochs = 1 }.Run().Trained;
        var ex = Assert.Throws<DataFormatException>(() => model.Predict(Table(new StringBuilder("sepal_length,petal_length\n1,2\n"))));
        Assert.Contains("no columns 'sepal_width', 'petal_width' (the model needs: sepal_length, sepal_width, petal_length, petal_width)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_LabelTheModelNeverSaw_NamesLabelAndRow()
    {
        TrainedModel model = new TrainingRecipe { Data = "iris", Layers = [4, 8, 3], Epochs = 1 }.Run().Trained;
        var table = Table(new StringBuilder("sepal_length,sepal_width,petal_length,petal_width,species\n5,3,1,0.2,0\n6,3,4,1,7\n"));
        var ex = Assert.Throws<DataFormatException>(() => model.Evaluate(table));
        Assert.Contains("t.csv: row 2: label '7' is not one of the model's classes (0, 1, 2)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictProbabilities_OneSigmoidUnit_TwoColumnsOneMinusPAndP()
    {
        TrainedModel model = new TrainingRecipe { Data = "moons", Layers = [2, 8, 1], Epochs = 2 }.Run().Trained;
        Dataset raw = DataSource.LoadAll("moons");
        Tensors.Tensor p = model.PredictProbabilities(raw.Features);
        Tensors.Tensor sigmoid = model.Network.Predict(model.Transform(raw.Features));
        Assert.Equal([raw.Rows, 2], p.Shape);
        for (int r = 0; r < raw.Rows; r++)
        {
            Assert.Equal(sigmoid.Data[r], p.Data[2 * r + 1]);
            Assert.Equal(1 - sigmoid.Data[r], p.Data[2 * r], 1e-7);
        }
    }

    private static RawTable Table(StringBuilder csv) => RawTable.Load(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "t.csv");

    private static void AssertClose(ModelEvaluation expected, ModelEvaluation actual)
    {
        Assert.Equal(expected.Rows, actual.Rows);
        foreach ((double e, double a) in new[] { (expected.Loss, actual.Loss), (expected.Accuracy, actual.Accuracy), (expected.Rmse, actual.Rmse), (expected.Mae, actual.Mae), (expected.R2, actual.R2) })
        {
            Assert.True(double.IsNaN(e) ? double.IsNaN(a) : Math.Abs(e - a) <= 1e-6 * Math.Max(1, Math.Abs(e)), $"expected {e}, got {a}");
        }
    }
}
