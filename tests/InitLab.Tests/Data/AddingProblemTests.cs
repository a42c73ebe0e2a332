using InitLab.Data;
using InitLab.Random;

namespace InitLab.Tests.Data;

/// <summary>Issue 22: the adding problem's rows (two markers, one per half, target = sum of the marked values), its
/// determinism, and the constant baseline 1/6 derived by hand and checked by sampling.</summary>
public class AddingProblemTests
{
    [Fact]
    public void Generate_EveryRow_TwoMarkersOnePerHalfTargetIsTheirSum()
    {
        const int steps = 7;
        Dataset data = AddingProblem.Generate(500, steps, new Rng(1));
        Assert.Equal([500, steps * 2], data.Features.Shape);
        Assert.Equal([500, 1], data.RegressionTargets!.Shape);
        Assert.Equal([steps, 2], AddingProblem.InputShape(steps));
        Assert.Equal([steps, 2], data.RowShape);
        for (int n = 0; n < 500; n++)
        {
            ReadOnlySpan<float> row = data.Features.Data.AsSpan(n * steps * 2, steps * 2);
            var marked = new List<int>();
            for (int t = 0; t < steps; t++)
            {
                Assert.InRange(row[2 * t], 0f, 1f);
                Assert.True(row[2 * t + 1] is 0f or 1f);
                if (row[2 * t + 1] == 1f)
                {
                    marked.Add(t);
                }
            }
            Assert.Equal(2, marked.Count);
            Assert.InRange(marked[0], 0, steps / 2 - 1);
            Assert.InRange(marked[1], steps / 2, steps - 1);
            Assert.Equal(row[2 * marked[0]] + row[2 * marked[1]], data.RegressionTargets.Data[n]);
        }
    }

    [Fact]
    public void Generate_SameRngState_SameData_OtherSeed_Different()
    {
        Assert.Equal(AddingProblem.Generate(50, 10, new Rng(3)).Features.Data, AddingProblem.Generate(50, 10, new Rng(3)).Features.Data);
        Assert.NotEqual(AddingProblem.Generate(50, 10, new Rng(3)).Features.Data, AddingProblem.Generate(50, 10, new Rng(4)).Features.Data);
    }

    /// <summary>Predicting 1: D = u₁ + u₂ − 1 is triangular on [−1, 1] (density 1 − |d|), so E[D²] = 2∫₀¹ d²(1 − d) dd
    /// = 2(1/3 − 1/4) = 1/6 and E[D⁴] = 2(1/5 − 1/6) = 1/15, Var(D²) = 1/15 − 1/36 = 7/180. Over n = 40000 sequences the
    /// SE of the sample MSE is √(7/180/n) ≈ 0.00099; within 5 SE of 1/6 — and Le et al.'s printed 0.1767 is 10 SE away.</summary>
    [Fact]
    public void ConstantBaseline_PredictingOne_MseIsOneSixth()
    {
        Assert.Equal(1.0 / 6, AddingProblem.ConstantBaselineMse);
        const int n = 40000;
        Dataset data = AddingProblem.Generate(n, 4, new Rng(9));
        double mse = data.RegressionTargets!.Data.Average(t => (t - 1.0) * (t - 1.0));
        double se = Math.Sqrt(7.0 / 180 / n);
        Assert.True(Math.Abs(mse - 1.0 / 6) < 5 * se, $"MSE {mse}, 1/6 = {1.0 / 6}, SE {se}");
        Assert.True(Math.Abs(mse - 0.1767) > 5 * se);
    }

    [Fact]
    public void Generate_BadArguments_NameTheArgument()
    {
        var steps = Assert.Throws<ArgumentOutOfRangeException>(() => AddingProblem.Generate(10, 1, new Rng(1)));
        Assert.Equal("timesteps", steps.ParamName);
        Assert.Contains("got 1", steps.Message, StringComparison.Ordinal);
        var rows = Assert.Throws<ArgumentOutOfRangeException>(() => AddingProblem.Generate(0, 5, new Rng(1)));
        Assert.Equal("sequences", rows.ParamName);
    }
}
