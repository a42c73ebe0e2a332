using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Optimizers;

/// <summary>The two ways to shrink kernels: decoupled weight decay (Keras 3 <c>weight_decay</c>, AdamW:
/// w ← w − lr·λ·w, then the update) and coupled L2 (the update sees g + λ·w).</summary>
public class WeightDecayTests
{
    private const double Lambda = 0.5;

    [Fact]
    public void Adam_WeightDecay_MatchesAdamWFormula()
    {
        double[][] expected = OptimizerFormulaTests.AdamByHand(0.1, 0.9, 0.999, 1e-7, OptimizerHarness.Gradients, weightDecay: Lambda);
        OptimizerHarness.AssertClose(expected, OptimizerHarness.Run(new Adam(0.1, weightDecay: Lambda)));
    }

    [Fact]
    public void Adam_L2_MatchesCoupledFormula()
    {
        double[][] expected = OptimizerFormulaTests.AdamByHand(0.1, 0.9, 0.999, 1e-7, OptimizerHarness.Gradients, l2: Lambda);
        OptimizerHarness.AssertClose(expected, OptimizerHarness.Run(new Adam(0.1, l2: Lambda)));
    }

    [Fact]
    public void Adam_WeightDecayAndL2_Differ()
    {
        // Adam divides the L2 term by √v like the gradient, so coupled L2 shrinks a weight with large gradients less.
        float[] decoupled = OptimizerHarness.Run(new Adam(0.1, weightDecay: Lambda))[^1];
        float[] coupled = OptimizerHarness.Run(new Adam(0.1, l2: Lambda))[^1];
        double largest = decoupled.Zip(coupled, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(largest > 1e-2, $"largest difference {largest}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    public void Sgd_WeightDecayAndL2_CoincideToFloatPrecision(double momentum)
    {
        // Plain SGD: w − lr·λ·w − lr·g either way. With momentum the two differ (the decay bypasses the velocity).
        float[][] decoupled = OptimizerHarness.Run(new Sgd(0.1, momentum, weightDecay: Lambda));
        float[][] coupled = OptimizerHarness.Run(new Sgd(0.1, momentum, l2: Lambda));
        double largest = decoupled.Zip(coupled, (a, b) => a.Zip(b, (x, y) => Math.Abs(x - y) / Math.Abs(x)).Max()).Max();
        if (momentum == 0)
        {
            Assert.True(largest <= 4 * Math.Pow(2, -23), $"relative difference {largest} (more than 4 float ulps)");
        }
        else
        {
            Assert.True(largest > 1e-3, $"relative difference {largest}");
        }
    }

    [Fact]
    public void Sgd_WeightDecay_MatchesKerasFormula()
    {
        const double lr = 0.1;
        var w = (double[])OptimizerHarness.Start.Clone();
        var expected = new double[OptimizerHarness.Gradients.Length][];
        for (int t = 0; t < expected.Length; t++)
        {
            for (int i = 0; i < w.Length; i++)
            {
                w[i] = w[i] - w[i] * Lambda * lr - lr * OptimizerHarness.Gradients[t][i];
            }
            expected[t] = (double[])w.Clone();
        }
        OptimizerHarness.AssertClose(expected, OptimizerHarness.Run(new Sgd(lr, weightDecay: Lambda)));
    }

    public static TheoryData<string, double, double> OptimizersAndForms()
    {
        var data = new TheoryData<string, double, double>();
        foreach (string name in OptimizerRegistry.Names)
        {
            data.Add(name, Lambda, 0);
            data.Add(name, 0, Lambda);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(OptimizersAndForms))]
    public void Decay_Bias_Untouched_Kernel_Shrunk(string name, double weightDecay, double l2)
    {
        // The same bias with and without decay: bit-identical. The same kernel: different (so the decay is on).
        float[] plainBias = OptimizerHarness.Run(OptimizerRegistry.Resolve(name, 0.05), isBias: true)[^1];
        float[] decayedBias = OptimizerHarness.Run(OptimizerRegistry.Resolve(name, 0.05, weightDecay, l2), isBias: true)[^1];
        Assert.Equal(plainBias, decayedBias);
        float[] plainKernel = OptimizerHarness.Run(OptimizerRegistry.Resolve(name, 0.05))[^1];
        float[] decayedKernel = OptimizerHarness.Run(OptimizerRegistry.Resolve(name, 0.05, weightDecay, l2))[^1];
        Assert.NotEqual(plainKernel, decayedKernel);
    }

    [Theory]
    [MemberData(nameof(OptimizersAndForms))]
    public void Decay_GradientBuffer_NeverModified(string name, double weightDecay, double l2)
    {
        float[] gradient = [0.25f, -1.5f, 3f, 0.125f];
        var parameter = new Parameter("k", [1f, 2f, -3f, 4f], (float[])gradient.Clone(), IsBias: false);
        Parameter[] parameters = [parameter];
        Optimizer optimizer = OptimizerRegistry.Resolve(name, 0.05, weightDecay, l2);
        optimizer.Step(parameters);
        optimizer.Step(parameters);
        Assert.Equal(gradient, parameter.Gradient);
    }

    [Fact]
    public void TrainBatch_WithL2_KernelGradientIsTheLossGradient()
    {
        // Diagnostics read Dense.KernelGradient after a step: it must be dLoss/dW, not dLoss/dW + λ·W.
        var rng = new Rng(5);
        var x = new Tensor([.. Enumerable.Range(0, 16 * 3).Select(_ => (float)rng.Normal(0, 1))], 16, 3);
        var y = new Tensor([.. Enumerable.Range(0, 16).Select(i => (float)(i % 2))], 16, 1);
        Sequential Model(Optimizer optimizer)
        {
            var model = new Sequential(3, [new Dense(5, "tanh"), new Dense(1, "sigmoid")], seed: 9);
            model.Compile(new BinaryCrossEntropy(), optimizer);
            return model;
        }
        Sequential reference = Model(new Sgd());
        reference.ComputeGradients(x, y);
        Sequential trained = Model(new Sgd(l2: 10, weightDecay: 0.1));
        trained.TrainBatch(x, y);
        for (int i = 0; i < reference.Layers.Count; i++)
        {
            Assert.Equal(reference.DenseLayers[i].KernelGradient.ToArray(), trained.DenseLayers[i].KernelGradient.ToArray());
        }
        Assert.NotEqual(reference.DenseLayers[0].Kernel.ToArray(), trained.DenseLayers[0].Kernel.ToArray());
    }
}
