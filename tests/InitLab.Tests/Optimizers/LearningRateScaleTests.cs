using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Tests.Optimizers;

/// <summary>
/// <see cref="Parameter.LearningRateScale"/> s multiplies the learning rate of that parameter only, in every built-in rule
/// and on every path (fused or separate shrink, one or several threads); the weight-decay shrink stays 1 − lr·λ and the
/// L2 coefficient becomes λ/s (microsoft/mup's default). Expected values are the formulas worked in double here.
/// </summary>
public sealed class LearningRateScaleTests
{
    private static float[][] RunScaled(Optimizer optimizer, double scale, bool isBias = false)
    {
        var parameter = new Parameter("p/kernel", OptimizerHarness.ToFloat(OptimizerHarness.Start), new float[4], isBias) { LearningRateScale = scale };
        Parameter[] parameters = [parameter];
        var after = new float[OptimizerHarness.Gradients.Length][];
        for (int step = 0; step < after.Length; step++)
        {
            OptimizerHarness.ToFloat(OptimizerHarness.Gradients[step]).CopyTo(parameter.Gradient, 0);
            optimizer.Step(parameters);
            after[step] = (float[])parameter.Value.Clone();
        }
        return after;
    }

    /// <summary>w ← w − lr·s·g, worked in double: lr 0.1, s 0.25.</summary>
    [Fact]
    public void Sgd_ScaleQuarter_StepsAtAQuarterOfTheRate()
    {
        double[] w = [.. OptimizerHarness.Start];
        var expected = new double[3][];
        for (int t = 0; t < 3; t++)
        {
            for (int i = 0; i < 4; i++)
            {
                w[i] -= 0.1 * 0.25 * OptimizerHarness.Gradients[t][i];
            }
            expected[t] = [.. w];
        }
        OptimizerHarness.AssertClose(expected, RunScaled(new Sgd(0.1), 0.25));
    }

    /// <summary>Adam with s = 4: m, v as usual, w ← w − 4·lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ)·m/(√v + ε), worked in double.</summary>
    [Fact]
    public void Adam_ScaleFour_StepsAtFourTimesTheRate()
    {
        double lr = 0.01, s = 4, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        double[] w = [.. OptimizerHarness.Start], m = new double[4], v = new double[4];
        var expected = new double[3][];
        for (int t = 1; t <= 3; t++)
        {
            double alpha = lr * s * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t));
            for (int i = 0; i < 4; i++)
            {
                double g = OptimizerHarness.Gradients[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                w[i] -= alpha * m[i] / (Math.Sqrt(v[i]) + eps);
            }
            expected[t - 1] = [.. w];
        }
        OptimizerHarness.AssertClose(expected, RunScaled(new Adam(lr), s));
    }

    /// <summary>A power-of-two scale is exact in binary, so lr·2ʲ rounds to the same float as the rate (lr·2ʲ) itself: every
    /// rule with scale 2ʲ gives the bits of the same rule built with the multiplied rate.</summary>
    [Theory]
    [MemberData(nameof(Rules))]
    public void EveryRule_PowerOfTwoScale_SameBitsAsTheMultipliedRate(string name)
    {
        foreach (double scale in new[] { 0.125, 4.0 })
        {
            Optimizer reference = OptimizerHarness.CreateRule(name, 0, 0);
            Optimizer scaled = OptimizerHarness.CreateRule(name, 0, 0);
            Optimizer multiplied = name switch
            {
                "sgd" => new Sgd(0.1 * scale),
                "momentum" => new Sgd(0.1 * scale, 0.9),
                "nesterov" => new Sgd(0.1 * scale, 0.9, nesterov: true),
                "adam" => new Adam(0.01 * scale),
                "adagrad" => new Adagrad(0.1 * scale),
                "rmsprop" => new RmsProp(0.01 * scale),
                _ => new RmsProp(0.01 * scale, momentum: 0.5),
            };
            float[][] expected = OptimizerHarness.Run(multiplied);
            Assert.Equal(expected, RunScaled(scaled, scale));
            Assert.NotEqual(OptimizerHarness.Run(reference)[^1], expected[^1]);
        }
    }

    public static TheoryData<string> Rules() => [.. OptimizerHarness.RuleNames];

    /// <summary>Decoupled decay λ with s: w ← w·(1 − lr·λ) − lr·s·g (the shrink does not follow s). L2 λ with s: the update
    /// sees g + (λ/s)·w, so plain SGD steps w − lr·s·g − lr·λ·w: the pull of the penalty is the one without s.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sgd_ScaleWithDecayOrL2_ShrinkIsTheUnscaledOne(bool fused)
    {
        double lr = 0.1, s = 3, lambda = 0.2;
        foreach (bool decoupled in new[] { true, false })
        {
            double[] w = [.. OptimizerHarness.Start];
            var expected = new double[3][];
            for (int t = 0; t < 3; t++)
            {
                for (int i = 0; i < 4; i++)
                {
                    double g = OptimizerHarness.Gradients[t][i];
                    w[i] = decoupled ? w[i] * (1 - lr * lambda) - lr * s * g : w[i] - lr * s * (g + lambda / s * w[i]);
                }
                expected[t] = [.. w];
            }
            var optimizer = decoupled ? new Sgd(lr, weightDecay: lambda) : new Sgd(lr, l2: lambda);
            optimizer.FuseShrink = fused;
            OptimizerHarness.AssertClose(expected, RunScaled(optimizer, s));
        }
    }

    /// <summary>The fused shrink pass and the separate passes give the same bits with a scale, as they do without.</summary>
    [Theory]
    [MemberData(nameof(Rules))]
    public void EveryRule_ScaleWithDecayAndL2_FusedEqualsSeparate(string name)
    {
        Optimizer fused = OptimizerHarness.CreateRule(name, 0.3, 0.2);
        Optimizer separate = OptimizerHarness.CreateRule(name, 0.3, 0.2);
        separate.FuseShrink = false;
        Assert.Equal(RunScaled(separate, 0.37), RunScaled(fused, 0.37));
    }

    /// <summary>A large parameter split over two threads gets the scaled rate in every part.</summary>
    [Theory]
    [MemberData(nameof(Rules))]
    public void EveryRule_ScaledLargeParameter_TwoThreadsSameBitsAsOne(string name)
    {
        int n = Optimizer.ParallelUpdateMinimum + 37;
        var rng = new Rng(3);
        float[] start = [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextNormal())];
        float[] gradient = [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextNormal())];
        float[] Run(int threads)
        {
            var p = new Parameter("k", (float[])start.Clone(), (float[])gradient.Clone(), IsBias: false) { LearningRateScale = 0.3 };
            Optimizer optimizer = OptimizerHarness.CreateRule(name, 0.1, 0);
            optimizer.Threads = threads;
            Parameter[] list = [p];
            optimizer.Step(list);
            optimizer.Step(list);
            return p.Value;
        }
        float[] one = Run(1);
        Assert.Equal(one, Run(2));
        Assert.NotEqual(start, one);
    }

    /// <summary>One parameter's scale leaves its neighbours at the optimizer's own rate.</summary>
    [Fact]
    public void Sgd_ScaleOnOneParameter_LeavesTheOtherAlone()
    {
        Parameter a = new("a", [1f], [1f], IsBias: false) { LearningRateScale = 2 }, b = new("b", [1f], [1f], IsBias: false);
        new Sgd(0.25).Step([a, b]);
        Assert.Equal(0.5f, a.Value[0]);
        Assert.Equal(0.75f, b.Value[0]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void LearningRateScale_NotFinitePositive_ThrowsNamingIt(double value)
    {
        var p = new Parameter("dense_0/kernel", [1f], [1f], IsBias: false);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.LearningRateScale = value);
        Assert.Equal("LearningRateScale", e.ParamName);
        Assert.Contains("dense_0/kernel", e.Message, StringComparison.Ordinal);
        Assert.Equal(1.0, p.LearningRateScale);
    }
}
