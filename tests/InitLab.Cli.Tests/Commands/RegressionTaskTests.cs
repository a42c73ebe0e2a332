using System.Globalization;
using System.Text;
using System.Text.Json;
using InitLab.Random;

namespace InitLab.Cli.Tests.Commands;

/// <summary>Issue 10 §3: whole-number prices train as regression, standardised, reported in their own units.</summary>
public class RegressionTaskTests
{
    // price = 150 000 + 1 500·size + 10 000·rooms − 1 000·age + ε, ε ~ N(0, 20 000²), rounded to whole numbers.
    private const double NoiseStd = 20_000;

    /// <summary>400 rows; returns the file and the best R² any model can reach, 1 − σ²ε / Var(price), from the
    /// formula's variances: size ~ U(50, 250) → 1500²·200²/12, rooms ~ U{1..6} → 10⁴²·35/12, age ~ U(0, 50) → 1000²·50²/12.</summary>
    private static (string Path, int Distinct, double BestR2) PriceCsv(TempDirectory dir)
    {
        var rng = new Rng(11);
        var csv = new StringBuilder("size,rooms,age,price\n");
        var prices = new HashSet<long>();
        for (int i = 0; i < 400; i++)
        {
            double size = rng.Uniform(50, 250), age = rng.Uniform(0, 50);
            int rooms = 1 + rng.NextInt(6);
            long price = (long)Math.Round(150_000 + 1_500 * size + 10_000 * rooms - 1_000 * age + NoiseStd * rng.NextNormal());
            prices.Add(price);
            csv.AppendLine(CultureInfo.InvariantCulture, $"{size:F1},{rooms},{age:F1},{price}");
        }
        string path = dir.File("houses.csv");
        File.WriteAllText(path, csv.ToString());
        double signal = 1500.0 * 1500 * 200 * 200 / 12 + 1e4 * 1e4 * 35 / 12 + 1e3 * 1e3 * 50 * 50 / 12;
        return (path, prices.Count, 1 - NoiseStd * NoiseStd / (signal + NoiseStd * NoiseStd));
    }

    [Fact]
    public void Train_WholeNumberPrices_RegressionExplainedAndR2NearBest()
    {
        using var dir = new TempDirectory();
        var (csv, distinct, bestR2) = PriceCsv(dir);
        var (code, output, error) = CliRunner.Run("train", "--data", csv, "--json", dir.File("r.json"), "--save", dir.File("p.model"));
        Assert.True(code == 0, error);
        Assert.Contains($"label 'price': {distinct} distinct whole numbers (more than 20) → regression; use --task to override", output, StringComparison.Ordinal);
        Assert.Contains("R²", output, StringComparison.Ordinal);
        JsonElement final = JsonDocument.Parse(File.ReadAllText(dir.File("r.json"))).RootElement.GetProperty("final");
        // bestR2 ≈ 0.952 (noise is 4.8 % of the variance). The floor allows 0.05 for an imperfect fit and for the
        // 80-row test split's sampling error of the noise share (relative SE √(2/80) ≈ 16 % of 0.048 ≈ 0.008).
        double testR2 = final.GetProperty("test_r2").GetDouble();
        Assert.True(testR2 > bestR2 - 0.05 && testR2 <= 1, $"test R² {testR2}, best possible {bestR2}");
        // RMSE in the price's own units, near the noise std it cannot beat.
        double rmse = final.GetProperty("test_rmse").GetDouble();
        Assert.InRange(rmse, 0.8 * NoiseStd, 1.5 * NoiseStd);
        Assert.True(final.TryGetProperty("mae", out _) && final.TryGetProperty("r2", out _) && final.TryGetProperty("test_mae", out _));
        Assert.Equal(JsonValueKind.Null, final.GetProperty("test_accuracy").ValueKind);

        // The saved model gives the same numbers on the same split.
        (code, _, error) = CliRunner.Run("evaluate", "--model", dir.File("p.model"), "--data", csv, "--split", "test", "--json", dir.File("e.json"));
        Assert.True(code == 0, error);
        JsonElement metrics = JsonDocument.Parse(File.ReadAllText(dir.File("e.json"))).RootElement.GetProperty("metrics");
        foreach (string key in new[] { "loss", "rmse", "mae", "r2" })
        {
            Assert.Equal(final.GetProperty("test_" + key).GetDouble(), metrics.GetProperty(key).GetDouble(), 1e-6 * Math.Max(1, Math.Abs(metrics.GetProperty(key).GetDouble())));
        }
    }

    [Fact]
    public void Train_LossMse_AcceptedAndMeansRegression()
    {
        using var dir = new TempDirectory();
        string csv = dir.File("small.csv");
        // Three distinct whole-number labels: classes by the rule, but --loss mse asks for regression.
        File.WriteAllText(csv, "x,y\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"{i},{i % 3}\n")));
        var (code, output, error) = CliRunner.Run("train", "--data", csv, "--loss", "mse", "--epochs", "2");
        Assert.True(code == 0, error);
        Assert.Contains("label 'y': regression as requested", output, StringComparison.Ordinal);
        Assert.Contains("RMSE", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_TaskClassification_OverridesRuleForManyWholeNumbers()
    {
        using var dir = new TempDirectory();
        string csv = dir.File("grades.csv");
        File.WriteAllText(csv, "x,grade\n" + string.Concat(Enumerable.Range(0, 120).Select(i => $"{i},{i % 30}\n")));
        var (code, output, error) = CliRunner.Run("train", "--data", csv, "--task", "classification", "--epochs", "2");
        Assert.True(code == 0, error);
        Assert.Contains("label 'grade': classification as requested (by itself 30 distinct whole numbers (more than 20) → regression)", output, StringComparison.Ordinal);
        Assert.Contains("30 softmax", output, StringComparison.Ordinal);
        Assert.Contains("accuracy", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--task", "regresion", "task: got 'regresion'; valid: auto, classification, regression.")]
    [InlineData("--task", "regression", "task: 'moons' is a classification set and cannot be used for regression")]
    public void Train_BadTask_OneLineUsageError(string flag, string value, string expected)
    {
        var (code, _, error) = CliRunner.Run("train", "--data", "moons", "--epochs", "1", flag, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
