using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Tests.Optimizers;

/// <summary>
/// L2 and weight decay folded into the update's one pass over a kernel, against the separate passes (the same optimizer
/// with <see cref="Optimizer.FuseShrink"/> off): every built-in optimizer, weight decay, L2 and both, lengths around
/// every vector width, several steps. The fused rule does the same product and sum per element in the same order, so
/// the bits must be identical; biases are never shrunk either way.
/// </summary>
public class ShrinkFusionTests
{
    public static TheoryData<string, double, double> Cases()
    {
        var data = new TheoryData<string, double, double>();
        foreach (string name in OptimizerHarness.RuleNames)
        {
            data.Add(name, 0.3, 0);
            data.Add(name, 0, 0.3);
            data.Add(name, 0.3, 0.2);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_FusedAndSeparateShrink_BitIdentical(string name, double weightDecay, double l2)
    {
        int[] lengths = [0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 49, 1000];
        var rng = new Rng(31);
        Parameter[] Make() => [.. lengths.Select((n, i) => new Parameter($"p{i}", new float[n], new float[n], IsBias: i % 3 == 2))];
        Parameter[] fused = Make(), separate = Make();
        for (int i = 0; i < fused.Length; i++)
        {
            for (int j = 0; j < fused[i].Value.Length; j++)
            {
                fused[i].Value[j] = separate[i].Value[j] = (float)rng.Uniform(-2, 2);
            }
        }
        Optimizer fusedOptimizer = OptimizerHarness.CreateRule(name, weightDecay, l2);
        Optimizer separateOptimizer = OptimizerHarness.CreateRule(name, weightDecay, l2);
        separateOptimizer.FuseShrink = false;
        float[][] startBias = [.. fused.Where(p => p.IsBias).Select(p => (float[])p.Value.Clone())];
        for (int step = 0; step < 4; step++)
        {
            for (int i = 0; i < fused.Length; i++)
            {
                for (int j = 0; j < fused[i].Gradient.Length; j++)
                {
                    fused[i].Gradient[j] = separate[i].Gradient[j] = (float)rng.Uniform(-1, 1);
                }
            }
            fusedOptimizer.Step(fused);
            separateOptimizer.Step(separate);
            for (int i = 0; i < fused.Length; i++)
            {
                Assert.True(separate[i].Value.AsSpan().SequenceEqual(fused[i].Value), $"{name} wd={weightDecay} l2={l2} step {step}, length {lengths[i]}");
            }
        }
        Assert.NotEqual(startBias[^1], fused.Where(p => p.IsBias).Last().Value);
    }

    [Fact]
    public void SgdWeightDecay_OneStep_ShrinksThenSteps()
    {
        // Worked by hand: w = 2, g = 0.5, lr = 0.1, λ = 0.3: w·(1 − 0.03) − 0.1·0.5 = 1.94 − 0.05 = 1.89.
        var p = new Parameter("k", [2f], [0.5f], IsBias: false);
        new Sgd(0.1, weightDecay: 0.3).Step([p]);
        Assert.Equal(1.89, p.Value[0], 1e-6);
    }
}
