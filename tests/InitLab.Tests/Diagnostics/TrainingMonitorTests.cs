using InitLab.Diagnostics;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Diagnostics;

[Collection("Allocation")]
public class TrainingMonitorTests
{
    // 1 input → 2 linear units, no bias, W = [1, 3]; rows x = 1 and 2, targets 0; MSE, SGD lr 0.1, one full batch.
    // Outputs o = [[1, 3], [2, 6]]; ∂MSE/∂o = 2·o / 4 = o / 2; ∇W_j = Σ_r x_r·o_rj / 2 = [(1 + 4) / 2, (3 + 12) / 2] = [2.5, 7.5].
    // std(W) = 1, std(∇W) = 2.5, ΔW = −0.1·∇W = [−0.25, −0.75], std(ΔW) = 0.25.
    private static (Sequential Model, Tensor X, Tensor Y) LinearPair()
    {
        var model = new Sequential(1, [new Dense(2, "linear", "zeros", useBias: false)]);
        model.DenseLayers[0].Kernel[0] = 1;
        model.DenseLayers[0].Kernel[1] = 3;
        model.Compile(new MeanSquaredError(), new Sgd(0.1));
        return (model, new Tensor([1f, 2f], 2, 1), new Tensor([0f, 0f, 0f, 0f], 2, 2));
    }

    [Fact]
    public void Monitor_KnownLinearStep_RatiosMatchHandWorkedValues()
    {
        (Sequential model, Tensor x, Tensor y) = LinearPair();
        var monitor = new TrainingMonitor(every: 1);
        model.Fit(x, y, new FitOptions { Epochs = 1, BatchSize = 2, Callbacks = [monitor] });

        LayerMonitorSample layer = Assert.Single(Assert.Single(monitor.Samples).Layers);
        Assert.Equal(1.0, layer.WeightStd, 1e-12);
        Assert.Equal(2.5, layer.GradientStd, 1e-6);
        Assert.Equal(2.5, layer.GradientToData, 1e-6);
        Assert.Equal(Math.Log10(0.25), layer.UpdateToDataLog10, 1e-6);
        // Activations 1, 3, 2, 6: mean 3, variance (4 + 0 + 1 + 9) / 4 = 3.5.
        Assert.Equal(3.0, layer.ActivationMean, 1e-12);
        Assert.Equal(Math.Sqrt(3.5), layer.ActivationStd, 1e-12);
        // Linear: range [−4, 4] in 40 bins of 0.2 → 1 in bin 25, 2 in bin 30, 3 in bin 35, 6 clamped into bin 39.
        var expected = new int[40];
        expected[25] = expected[30] = expected[35] = expected[39] = 1;
        Assert.Equal(expected, layer.Histogram.Counts);
        Assert.Null(monitor.InitialLoss); // MSE has no classes.
    }

    [Fact]
    public void Monitor_TanhAndSigmoidAroundTheThresholds_CountsOnlyBeyond097()
    {
        // tanh(0.5) = 0.462, tanh(2) = 0.9640, tanh(2.1) = 0.9705, tanh(3) = 0.9951: two beyond 0.97 (one beyond 0.99).
        // σ(3.4) = 0.9677, σ(3.5) = 0.9707, σ(0) = 0.5, σ(−3.6) = 0.0266: two outside [0.03, 0.97].
        var tanh = Sample("tanh", [0.5f, 2f, 2.1f, 3f], [1f]);
        var sigmoid = Sample("sigmoid", [3.4f, 3.5f, 0f, -3.6f], [1f]);
        Assert.Equal(0.5, tanh.SaturatedFraction);
        Assert.Equal(0.5, sigmoid.SaturatedFraction);
        Assert.Equal(0, tanh.DeadFraction);
    }

    [Fact]
    public void Monitor_ReluUnitNegativeOnEveryRow_IsDead()
    {
        // W = [1, −1, 2], rows x = 1 and 2: unit 1 is −1 and −2 → 0 on both rows; 1 dead unit of 3.
        LayerMonitorSample relu = Sample("relu", [1f, -1f, 2f], [1f, 2f]);
        Assert.Equal(1.0 / 3, relu.DeadFraction, 1e-12);
        Assert.Equal(0, relu.SaturatedFraction);
        // With a row of each sign every unit fires once: none dead.
        Assert.Equal(0, Sample("relu", [1f, -1f, 2f], [1f, -1f]).DeadFraction);
    }

    private static LayerMonitorSample Sample(string activation, float[] kernel, float[] inputs)
    {
        var model = new Sequential(1, [new Dense(kernel.Length, activation, "zeros", useBias: false), new Dense(1, "linear", "ones")]);
        kernel.CopyTo(model.DenseLayers[0].Kernel);
        model.Compile(new MeanSquaredError(), new Sgd(0.1));
        var monitor = new TrainingMonitor(every: 1);
        model.Fit(new Tensor(inputs, inputs.Length, 1), new Tensor(new float[inputs.Length], inputs.Length, 1),
            new FitOptions { Epochs = 1, BatchSize = inputs.Length, Shuffle = false, Callbacks = [monitor] });
        return Assert.Single(monitor.Samples).Layers[0];
    }

    [Fact]
    public void InitialLoss_TenClassesUniformLogits_IsLn10WithoutWarning()
    {
        // Zero kernel and bias: every logit 0, softmax 1/10, loss −ln(1/10) = ln 10 = 2.302585.
        var model = new Sequential(3, [new Dense(10, "softmax", "zeros")]);
        model.Compile(new CategoricalCrossEntropy(sparse: true), new Sgd(0.1));
        var monitor = new TrainingMonitor(every: 10);
        var x = new Tensor([1f, 2f, 3f, -1f, 0f, 4f], 2, 3);
        model.Fit(x, new Tensor([3f, 7f], 2, 1), new FitOptions { Epochs = 1, BatchSize = 2, Callbacks = [monitor] });

        InitialLossCheck check = monitor.InitialLoss!;
        Assert.Equal(10, check.Classes);
        Assert.Equal(2.302585, check.Expected, 1e-6);
        Assert.Equal(2.302585, check.Loss, 1e-6);
        Assert.False(check.IsFarOff);
        Assert.Null(check.Warning);
    }

    [Theory]
    [InlineData(2.87, false)] // 2.302585 · 1.25 = 2.8782: just inside
    [InlineData(2.89, true)]
    [InlineData(1.73, false)] // 2.302585 · 0.75 = 1.7269
    [InlineData(1.72, true)]
    [InlineData(double.NaN, true)]
    public void InitialLoss_TenClasses_WarnsBeyondAQuarterOfLn10(double loss, bool farOff)
    {
        InitialLossCheck check = InitialLossCheck.For(loss, 10);
        Assert.Equal(farOff, check.IsFarOff);
        Assert.Equal(farOff, check.Warning is not null);
    }

    [Fact]
    public void Monitor_EveryFive_RecordsSteps0To20ByFives_EachUpdateFromItsOwnStep()
    {
        // 14 rows in batches of 2: 7 steps per epoch, 3 epochs = steps 0..20.
        var model = new Sequential(2, [new Dense(4, "tanh", "glorot_uniform"), new Dense(1, "linear")], seed: 5);
        model.Compile(new MeanSquaredError(), new Sgd(0.1));
        var rng = new InitLab.Random.Rng(3);
        var x = new float[28];
        var y = new float[14];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)rng.NextNormal();
        }
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = x[2 * i] - x[2 * i + 1];
        }
        var monitor = new TrainingMonitor(every: 5);
        model.Fit(new Tensor(x, 14, 2), new Tensor(y, 14, 1), new FitOptions { Epochs = 3, BatchSize = 2, Callbacks = [monitor] });

        Assert.Equal([0L, 5, 10, 15, 20], monitor.Samples.Select(s => s.Step));
        Assert.Equal([1, 1, 2, 3, 3], monitor.Samples.Select(s => s.Epoch));
        // Plain SGD: ΔW = −0.1·∇W of that step only, so update:data = log10(0.1 · grad:data) when W is the kernel just
        // before that step (a kernel saved earlier would add the other steps' updates). Float rounding of W − W′: ~1e-6.
        foreach (LayerMonitorSample layer in monitor.Samples.SelectMany(s => s.Layers))
        {
            Assert.Equal(Math.Log10(0.1 * layer.GradientToData), layer.UpdateToDataLog10, 1e-4);
        }
    }

    [Fact]
    public void Monitor_UnmonitoredSteps_AllocateNothing()
    {
        (Sequential model, Tensor x, Tensor y) = LinearPair();
        model.ComputeGradients(x, y);
        var monitor = new TrainingMonitor(every: 10);
        monitor.OnTrainBegin(model);
        var context = new BatchContext(model) { Epoch = 1, Loss = 1 };
        context.Step = 1;
        monitor.OnBatchEnd(context); // warm up the JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long step = 1; step < 10; step++)
        {
            context.Step = step; // step 9 saves the kernels for step 10: a copy, no allocation
            monitor.OnBatchEnd(context);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Empty(monitor.Samples);
    }

    [Fact]
    public void Constructor_EveryZero_NamesTheArgument()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingMonitor(0));
        Assert.Equal("every", error.ParamName);
    }
}
