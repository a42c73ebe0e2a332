using System.Globalization;
using System.Text;
using System.Text.Json;
using InitLab.Data;
using InitLab.Experiments;

namespace InitLab.Cli.Tests.Commands;

/// <summary>Issue 9 §1: train → save → predict/evaluate on raw rows gives back what train reported.</summary>
public class PredictEvaluateCommandTests
{
    private static readonly string[] s_irisTrain = ["train", "--data", "iris", "--layers", "4,16,3", "--epochs", "100", "--seed", "1"];

    [Fact]
    public void Evaluate_IrisSplitsAfterSave_SameNumbersAsTrainReported()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run([.. s_irisTrain, "--save", dir.File("iris.model"), "--json", dir.File("run.json")]);
        Assert.True(code == 0, error);
        JsonElement final = Json(dir.File("run.json")).GetProperty("final");
        foreach ((string split, string prefix, int rows) in new[] { ("train", "", 120), ("test", "test_", 30) })
        {
            string json = dir.File($"eval-{split}.json");
            (code, string output, error) = CliRunner.Run("evaluate", "--model", dir.File("iris.model"), "--data", "iris", "--split", split, "--json", json);
            Assert.True(code == 0, error);
            Assert.Contains("Sequential(4 → 16 relu → 3 softmax)", output, StringComparison.Ordinal);
            Assert.Contains($"the same scores 'train' reported for its {split} split", output, StringComparison.Ordinal);
            JsonElement metrics = Json(json).GetProperty("metrics");
            Assert.Equal(rows, metrics.GetProperty("rows").GetInt32());
            Assert.Equal(final.GetProperty(prefix + "loss").GetDouble(), metrics.GetProperty("loss").GetDouble(), 1e-6);
            Assert.Equal(final.GetProperty(prefix + "accuracy").GetDouble(), metrics.GetProperty("accuracy").GetDouble(), 1e-6);
        }
    }

    [Fact]
    public void Predict_RawIrisTestRowsCsv_ReproducesReportedTestAccuracyExactly()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run([.. s_irisTrain, "--save", dir.File("iris.model"), "--json", dir.File("run.json")]);
        Assert.True(code == 0, error);
        double reported = Json(dir.File("run.json")).GetProperty("final").GetProperty("test_accuracy").GetDouble();

        // The held-out rows as a user would have them: raw measurements, columns shuffled, an id column, no label.
        (_, Dataset test) = DataSource.LoadRaw("iris", new DataOptions { Seed = 1 });
        var csv = new StringBuilder("id,petal_width,sepal_length,petal_length,sepal_width\n");
        for (int r = 0; r < test.Rows; r++)
        {
            string F(int c) => test.Features.Data[r * 4 + c].ToString("R", CultureInfo.InvariantCulture);
            csv.AppendLine(CultureInfo.InvariantCulture, $"{r},{F(3)},{F(0)},{F(2)},{F(1)}");
        }
        File.WriteAllText(dir.File("rows.csv"), csv.ToString());
        (code, _, error) = CliRunner.Run("predict", "--model", dir.File("iris.model"), "--data", dir.File("rows.csv"), "--out", dir.File("p.csv"), "--proba");
        Assert.True(code == 0, error);

        string[] lines = File.ReadAllLines(dir.File("p.csv"));
        Assert.Equal("species,p_0,p_1,p_2", lines[0]);
        Assert.Equal(test.Rows + 1, lines.Length);
        int correct = Enumerable.Range(0, test.Rows).Count(r => lines[r + 1].Split(',')[0] == test.ClassNames[test.Labels![r]]);
        Assert.Equal(reported, (double)correct / test.Rows);
        Assert.All(lines.Skip(1), line => Assert.Equal(1.0, line.Split(',').Skip(1).Sum(v => double.Parse(v, CultureInfo.InvariantCulture)), 1e-5));
        // 96.67 % (29 of 30) as the README reports; before format 2 the reloaded model scored 33.33 %.
        Assert.Equal(29.0 / 30, reported);
    }

    [Fact]
    public void Predict_TextLabels_ComeBackAsText()
    {
        using var dir = new TempDirectory();
        var csv = new StringBuilder("a,b,kind\n");
        for (int i = 0; i < 60; i++)
        {
            csv.AppendLine(CultureInfo.InvariantCulture, $"{i % 2 * 3 + i * 0.01},{i % 3},{(i % 2 == 0 ? "small" : "large")}");
        }
        File.WriteAllText(dir.File("d.csv"), csv.ToString());
        var (code, output, error) = CliRunner.Run("train", "--data", dir.File("d.csv"), "--epochs", "30", "--save", dir.File("m.model"));
        Assert.True(code == 0, error);
        Assert.Contains("label 'kind': text, 2 distinct values → classification; use --task to override", output, StringComparison.Ordinal);
        (code, output, error) = CliRunner.Run("predict", "--model", dir.File("m.model"), "--data", dir.File("d.csv"));
        Assert.True(code == 0, error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("kind", lines[0]);
        Assert.Equal(60, lines.Skip(1).Count(l => l is "small" or "large"));
        // The labels predict writes agree with the row by row accuracy evaluate reports (one sigmoid unit: p > 0.5).
        int correct = Enumerable.Range(0, 60).Count(i => lines[i + 1] == (i % 2 == 0 ? "small" : "large"));
        (code, _, error) = CliRunner.Run("evaluate", "--model", dir.File("m.model"), "--data", dir.File("d.csv"), "--json", dir.File("e.json"));
        Assert.True(code == 0, error);
        Assert.Equal(correct / 60.0, Json(dir.File("e.json")).GetProperty("metrics").GetProperty("accuracy").GetDouble(), 1e-12);
    }

    [Fact]
    public void Predict_MissingColumn_Exit1NamesColumnAndWritesNothing()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run("train", "--data", "iris", "--layers", "4,4,3", "--epochs", "1", "--save", dir.File("m.model")).ExitCode);
        File.WriteAllText(dir.File("rows.csv"), "sepal_length,petal_length,petal_width\n5,1,0.2\n");
        var (code, _, error) = CliRunner.Run("predict", "--model", dir.File("m.model"), "--data", dir.File("rows.csv"), "--out", dir.File("p.csv"));
        Assert.Equal(1, code); // bad file contents are a runtime failure (1); bad flags are usage errors (2)
        Assert.StartsWith("error: rows.csv: no column 'sepal_width' (the model needs: sepal_length, sepal_width, petal_length, petal_width)", error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("p.csv")));
    }

    [Theory]
    [InlineData("--out")]
    [InlineData("--json")]
    public void PredictOrEvaluate_OutputIsAnInput_RefusedBeforeWork(string flag)
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run("train", "--data", "iris", "--layers", "4,4,3", "--epochs", "1", "--save", dir.File("m.model")).ExitCode);
        byte[] before = File.ReadAllBytes(dir.File("m.model"));
        string command = flag == "--out" ? "predict" : "evaluate";
        var (code, _, error) = CliRunner.Run(command, "--model", dir.File("m.model"), "--data", "iris", flag, dir.File("m.model"));
        Assert.Equal(2, code);
        Assert.Contains($"{flag}: '{dir.File("m.model")}' is the input of --model; writing it would destroy that file", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(dir.File("m.model")));
    }

    [Fact]
    public void Evaluate_CorruptModel_Exit1OneLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.model"), "not a zip");
        var (code, _, error) = CliRunner.Run("evaluate", "--model", dir.File("bad.model"), "--data", "iris");
        Assert.Equal(1, code);
        Assert.StartsWith("error: bad.model: the model file is truncated or corrupted", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;
}
