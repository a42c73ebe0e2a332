using InitLab.Data;
using InitLab.Models;
using InitLab.Tensors;

namespace InitLab.Tests.Models;

/// <summary>Issue 10 §3: the task rule, target standardisation and the regression metrics, against values worked by hand.</summary>
public class RegressionPipelineTests
{
    [Fact]
    public void RegressionMetrics_ThreeRows_MatchHandWorkedValues()
    {
        // ŷ = (1, 2, 4), y = (1, 3, 3): e = (0, −1, 1); RMSE = √(2/3), MAE = 2/3; ȳ = 7/3,
        // Σ(y − ȳ)² = 16/9 + 4/9 + 4/9 = 24/9, R² = 1 − 2/(24/9) = 0.25.
        (double rmse, double mae, double r2) = RegressionMetrics.Compute([1.0, 2.0, 4.0], new Tensor([1f, 3f, 3f], 3, 1));
        Assert.Equal(Math.Sqrt(2.0 / 3), rmse, 1e-15);
        Assert.Equal(2.0 / 3, mae, 1e-15);
        Assert.Equal(0.25, r2, 1e-15);
    }

    [Fact]
    public void RegressionMetrics_TwoOutputs_R2IsMeanOverOutputs()
    {
        // Output 0 perfect (R² 1); output 1 predicts its mean 2 for (1, 3) (R² 0). sklearn's uniform average: 0.5.
        (_, _, double r2) = RegressionMetrics.Compute([5.0, 2.0, 7.0, 2.0], new Tensor([5f, 1f, 7f, 3f], 2, 2));
        Assert.Equal(0.5, r2, 1e-15);
    }

    [Fact]
    public void TargetScaler_FitsMeanAndPopulationStd_AndInverts()
    {
        // (1, 2, 3, 4): mean 2.5, population variance 1.25.
        TargetScaler scaler = TargetScaler.Fit(new Tensor([1f, 2f, 3f, 4f], 4, 1));
        Assert.Equal(2.5, scaler.Mean[0]);
        Assert.Equal(Math.Sqrt(1.25), scaler.StdDev[0], 1e-15);
        Tensor z = scaler.Transform(new Tensor([4f], 1, 1));
        Assert.Equal((float)(1.5 / Math.Sqrt(1.25)), z.Data[0]);
        Assert.Equal(4.0, scaler.Inverse(z)[0], 1e-6);
    }

    [Theory]
    [InlineData(20, ModelTask.Classification, "label 'y': 20 distinct whole numbers (at most 20) → classification")]
    [InlineData(21, ModelTask.Regression, "label 'y': 21 distinct whole numbers (more than 20) → regression")]
    [InlineData(400, ModelTask.Regression, "label 'y': 400 distinct whole numbers (more than 20) → regression")]
    public void TaskRule_WholeNumbers_ClassesUpToTwentyDistinct(int distinct, ModelTask expected, string reason)
    {
        string[] labels = [.. Enumerable.Range(0, 2 * distinct).Select(i => (400_000 + 7 * (i % distinct)).ToString(System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal((expected, reason), TaskRule.Choose(labels, "y"));
    }

    [Fact]
    public void TaskRule_TextOrFractions()
    {
        Assert.Equal(ModelTask.Classification, TaskRule.Choose(["cat", "dog", "1"], "y").Task);
        Assert.Equal(ModelTask.Regression, TaskRule.Choose(["1", "2", "2.5"], "y").Task);
        Assert.Equal(ModelTask.Classification, TaskRule.Choose(["-1", "1", "-1"], "y").Task);
    }
}
