using InitLab.Layers;
using InitLab.Performance;
using InitLab.Training;

namespace InitLab.Tests.Performance;

/// <summary>Allocation tests run alone: per-thread counts are exact, but the kernel worker pool is shared, and a parallel
/// region started by another test meanwhile would run on (and be counted on) the same workers.</summary>
[CollectionDefinition("Allocation", DisableParallelization = true)]
public sealed class RunsAlone
{
}

[Collection("Allocation")]
public class WorkloadTests
{
    [Fact]
    public void FlopsPerStep_IsSixBSumInOutMinusFirstInputGradient()
    {
        Workload w1 = Workload.All.Single(w => w.Id == "W1");
        Assert.Equal(6.0 * 32 * (64 * 128 + 128 * 128 + 128 * 10) - 2.0 * 32 * 64 * 128, w1.FlopsPerStep);
        Workload w3 = Workload.All.Single(w => w.Id == "W3");
        Assert.Equal(32, w3.Widths.Count);
    }

    [Fact]
    public void TrainingStep_AllocatesNothing_AndIsIdenticalForOneAndTwoThreads()
    {
        Workload w2 = Workload.All.Single(w => w.Id == "W2");
        // Measure counts the calling thread and the kernel workers only (not the test host's threads), so every
        // attempt must be exactly 0; one 24-byte object per step shows up as 3 × 24 bytes.
        var one = Enumerable.Range(0, 3).Select(_ => w2.Measure(threads: 1, steps: 3)).ToList();
        var two = Enumerable.Range(0, 3).Select(_ => w2.Measure(threads: 2, steps: 3)).ToList();
        Assert.All(one, m => Assert.Equal(0, m.AllocatedBytes));
        Assert.All(two, m => Assert.Equal(0, m.AllocatedBytes));
        Assert.Equal(one[0].FinalLoss, two[0].FinalLoss);
    }

    [Fact]
    public void W5_IsFiftyPreNormResidualBlocksBetweenTwoDenseLayers()
    {
        Workload w5 = Workload.All.Single(w => w.Id == "W5");
        Sequential model = w5.CreateModel(threads: 1);
        Assert.Equal(52, model.Layers.Count);
        Assert.Equal(784, model.InputDim);
        Assert.Equal(10, model.OutputDim);
        var blocks = model.Layers.Skip(1).Take(50).ToList();
        Assert.All(blocks, layer =>
        {
            var block = Assert.IsType<Residual>(layer);
            Assert.Null(block.Projection);
            Assert.False(block.TrainableAlpha);
            Assert.Equal(1f, block.Alpha);
            Assert.IsType<LayerNormalization>(block.Branch[0]);
            Assert.Equal(["relu", "linear"], block.Branch.Skip(1).Select(l => ((Dense)l).Activation.Name));
            Assert.All(block.Branch.Skip(1), l => Assert.Equal(256, ((Dense)l).Units));
        });
        Assert.Equal(102, model.DenseLayers.Count);
        // Parameters: 784·256+256, 50 × (2·256 LayerNorm + 2 × (256·256+256)), 256·10+10.
        Assert.Equal(784L * 256 + 256 + 50 * (2 * 256 + 2 * (256 * 256 + 256)) + 256 * 10 + 10, model.ParameterCount);
        // FLOP: 6·128·(784·256 + 100·256·256 + 256·10) − 2·128·784·256, worked by hand.
        Assert.Equal(6.0 * 128 * (784 * 256 + 100 * 256 * 256 + 256 * 10) - 2.0 * 128 * 784 * 256, w5.FlopsPerStep);
        Assert.Equal("784-256-50×[LN,256 relu,256]+x-10", w5.Layers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void W5_TrainingStep_AllocatesNothing(int threads)
    {
        Workload w5 = Workload.All.Single(w => w.Id == "W5");
        // Per-thread counts (the caller and the kernel workers): every attempt must be exactly 0, as for W2.
        var attempts = Enumerable.Range(0, 3).Select(_ => w5.Measure(threads, steps: 3)).ToList();
        Assert.All(attempts, m => Assert.Equal(0, m.AllocatedBytes));
    }

    [Fact]
    public void W5_FinalLoss_IsFinite_AndIdenticalForOneAndTwoThreads()
    {
        Workload w5 = Workload.All.Single(w => w.Id == "W5");
        double one = w5.Measure(threads: 1, steps: 3).FinalLoss;
        double two = w5.Measure(threads: 2, steps: 3).FinalLoss;
        Assert.True(double.IsFinite(one), $"W5's loss after 8 steps is {one}");
        Assert.Equal(one, two);
    }

    [Fact]
    public void R1_IsAnLstmOverFiftyStepsOfThirtyTwoFeatures_IntoALinearDenseHead()
    {
        Workload r1 = Workload.All.Single(w => w.Id == "R1");
        Sequential model = r1.CreateModel(threads: 1);
        Assert.Equal([50, 32], model.InputShape);
        Assert.Equal(2, model.Layers.Count);
        var lstm = Assert.IsType<Lstm>(model.Layers[0]);
        Assert.Equal(128, lstm.Units);
        Assert.False(lstm.ReturnSequences);
        Assert.True(lstm.UnitForgetBias);
        Assert.Equal(["glorot_uniform", "orthogonal", "zeros"], [lstm.KernelInitializer.Name, lstm.RecurrentInitializer.Name, lstm.BiasInitializer.Name]);
        var head = Assert.IsType<Dense>(model.Layers[1]);
        Assert.Equal((10, "linear"), (head.Units, head.Activation.Name));
        // Parameters: W 32·4·128, U 128·4·128, one bias 4·128 (Keras's; the PyTorch peers freeze bias_hh at zero so
        // that theirs count the same), head 128·10+10.
        Assert.Equal(32L * 512 + 128 * 512 + 512 + 128 * 10 + 10, model.ParameterCount);
        Assert.Equal(83722L, model.ParameterCount);
        // FLOP: 6·64·50·512·(32+128) − 2·64·50·32·512 + 6·64·128·10 = 1 572 864 000 − 104 857 600 + 491 520, by hand.
        Assert.Equal(1_468_497_920.0, r1.FlopsPerStep);
        Assert.Equal("50×32-LSTM 128-10", r1.Layers);
        Assert.Equal(1600, r1.InputSize);
        Assert.Equal(64 * 1600, r1.CreateBatches()[0].X.Data.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void R1_TrainingStep_AllocatesNothing(int threads)
    {
        Workload r1 = Workload.All.Single(w => w.Id == "R1");
        // Per-thread counts (the caller and the kernel workers): every attempt must be exactly 0, as for W2.
        var attempts = Enumerable.Range(0, 3).Select(_ => r1.Measure(threads, steps: 3)).ToList();
        Assert.All(attempts, m => Assert.Equal(0, m.AllocatedBytes));
    }

    [Fact]
    public void R1_FinalLoss_IsFinite_AndIdenticalForOneAndTwoThreads()
    {
        Workload r1 = Workload.All.Single(w => w.Id == "R1");
        double one = r1.Measure(threads: 1, steps: 3).FinalLoss;
        double two = r1.Measure(threads: 2, steps: 3).FinalLoss;
        Assert.True(double.IsFinite(one), $"R1's loss after 8 steps is {one}");
        Assert.Equal(one, two);
    }

    [Fact]
    public void C1_IsTwoSamePaddedFiveByFiveConvolutionsWithPooling_ThenDense1024And10()
    {
        Workload c1 = Workload.All.Single(w => w.Id == "C1");
        Sequential model = c1.CreateModel(threads: 1);
        Assert.Equal([28, 28, 1], model.InputShape);
        Assert.Equal(["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"], model.Layers.Select(l => l.KindName));
        var convs = model.Layers.OfType<Conv2D>().ToList();
        Assert.All(convs, c =>
        {
            Assert.Equal((5, 5), c.KernelSize);
            Assert.Equal(ConvolutionPadding.Same, c.Padding);
            Assert.Equal((1, 1), c.Strides);
            Assert.Equal("relu", c.Activation.Name);
            Assert.Equal("glorot_uniform", c.KernelInitializer.Name);
        });
        Assert.Equal([28, 28, 32], convs[0].OutputShape);
        Assert.Equal([14, 14, 64], convs[1].OutputShape);
        Assert.Equal(3136, model.Layers[4].OutputDim);
        Assert.Equal(["relu", "linear"], model.DenseLayers.Select(d => d.Activation.Name));
        // Parameters: 5·5·1·32+32, 5·5·32·64+64, 7·7·64·1024+1024, 1024·10+10 (the PyTorch peers assert the same count).
        Assert.Equal(832L + 51_264 + 3_212_288 + 10_250, model.ParameterCount);
        Assert.Equal(3_274_634L, model.ParameterCount);
        // FLOP: multiply-adds per image 28·28·32·25 = 627 200, 14·14·64·800 = 10 035 200, 3136·1024 = 3 211 264,
        // 1024·10 = 10 240 (sum 13 883 904); 6·64·13 883 904 − 2·64·627 200 = 5 331 419 136 − 80 281 600, by hand.
        Assert.Equal(5_251_137_536.0, c1.FlopsPerStep);
        Assert.Equal("28×28×1-conv5×5×32-pool-conv5×5×64-pool-1024-10", c1.Layers);
        Assert.Equal(784, c1.InputSize);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void C1_TrainingStep_AllocatesNothing(int threads)
    {
        Workload c1 = Workload.All.Single(w => w.Id == "C1");
        // Per-thread counts (the caller and the kernel workers): every attempt must be exactly 0, as for W2.
        var attempts = Enumerable.Range(0, 2).Select(_ => c1.Measure(threads, steps: 2)).ToList();
        Assert.All(attempts, m => Assert.Equal(0, m.AllocatedBytes));
    }

    [Fact]
    public void C1_FinalLoss_IsFinite_AndIdenticalForOneAndTwoThreads()
    {
        Workload c1 = Workload.All.Single(w => w.Id == "C1");
        double one = c1.Measure(threads: 1, steps: 2).FinalLoss;
        double two = c1.Measure(threads: 2, steps: 2).FinalLoss;
        Assert.True(double.IsFinite(one), $"C1's loss after 7 steps is {one}");
        Assert.Equal(one, two);
    }

    [Fact]
    public void Batches_AreDrawnFromADifferentStreamPerWorkload()
    {
        // R1, C1 and W1 share the number 1: without a per-family offset their first inputs would be the same draws.
        float[] w1 = Workload.All.Single(w => w.Id == "W1").CreateBatches()[0].X.Data;
        float[] r1 = Workload.All.Single(w => w.Id == "R1").CreateBatches()[0].X.Data;
        float[] c1 = Workload.All.Single(w => w.Id == "C1").CreateBatches()[0].X.Data;
        Assert.NotEqual(w1.AsSpan(0, 16).ToArray(), r1.AsSpan(0, 16).ToArray());
        Assert.NotEqual(w1.AsSpan(0, 16).ToArray(), c1.AsSpan(0, 16).ToArray());
    }

    [Fact]
    public void Batches_AreTheSameForTheSameWorkload()
    {
        Workload w1 = Workload.All[0];
        Assert.Equal(w1.CreateBatches()[3].X.Data, w1.CreateBatches()[3].X.Data);
        Assert.All(w1.CreateBatches().SelectMany(b => b.Y.Data), label => Assert.InRange(label, 0, 9));
    }
}
