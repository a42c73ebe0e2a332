using InitLab.Activations;
using InitLab.Data;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Training;

public class SequentialTests
{
    private static (Sequential Model, Tensor X, Tensor Y) MoonsModel(int threads, string init = "he_normal", double lr = 0.01, string activation = "relu")
    {
        Dataset data = SyntheticData.Moons(400, 0.1, 3);
        var model = new Sequential(2, [new Dense(64, activation, init), new Dense(64, activation, init), new Dense(1, "sigmoid")], seed: 4) { Threads = threads };
        model.Compile(new BinaryCrossEntropy(), new Adam(lr));
        return (model, data.Features, data.TargetsFor(model.Loss!, 1));
    }

    [Fact]
    public void Fit_SameSeedTwice_BitIdenticalWeightsAndHistory()
    {
        var (a, x, y) = MoonsModel(1);
        var (b, _, _) = MoonsModel(1);
        var ha = a.Fit(x, y, new FitOptions { Epochs = 5, ShuffleSeed = 2 });
        var hb = b.Fit(x, y, new FitOptions { Epochs = 5, ShuffleSeed = 2 });
        Assert.Equal(ha.Epochs, hb.Epochs);
        for (int i = 0; i < a.Parameters.Count; i++)
        {
            Assert.Equal(a.Parameters[i].Value, b.Parameters[i].Value);
        }
    }

    [Fact]
    public void Fit_OneVersusTwoThreads_BitIdenticalWeights()
    {
        // Wide enough that the GEMMs really split across threads.
        Dataset data = BuiltInData.Load("digits");
        Sequential Make(int threads)
        {
            var m = new Sequential(64, [new Dense(512, "relu", "he_normal"), new Dense(512, "relu", "he_normal"), new Dense(10, "softmax")], seed: 8) { Threads = threads };
            m.Compile(new CategoricalCrossEntropy(sparse: true), new Sgd(0.01));
            return m;
        }
        var one = Make(1);
        var two = Make(2);
        Tensor y = data.TargetsFor(one.Loss!, 10);
        one.Fit(data.Features, y, new FitOptions { Epochs = 1, BatchSize = 128 });
        two.Fit(data.Features, y, new FitOptions { Epochs = 1, BatchSize = 128 });
        for (int i = 0; i < one.Parameters.Count; i++)
        {
            Assert.Equal(one.Parameters[i].Value, two.Parameters[i].Value);
        }
    }

    [Fact]
    public void Fit_DifferentSeeds_DifferentWeights()
    {
        var a = new Sequential(2, [new Dense(4, "relu")], seed: 1);
        var b = new Sequential(2, [new Dense(4, "relu")], seed: 2);
        Assert.NotEqual(a.Parameters[0].Value, b.Parameters[0].Value);
    }

    [Fact]
    public void Fit_Moons_LearnsAndReportsHistory()
    {
        var (model, x, y) = MoonsModel(2);
        History history = model.Fit(x, y, new FitOptions { Epochs = 30, ValidationSplit = 0.25 });
        Assert.Equal(30, history.Epochs.Count);
        Assert.True(history.Epochs[^1].Loss < history.Epochs[0].Loss / 3);
        Assert.True(history.Epochs[^1].ValidationAccuracy > 0.95);
        Assert.Equal(30 * (int)Math.Ceiling(300 / 32.0), history.Steps);
    }

    [Fact]
    public void Fit_LossBecomesNaN_StopsWithDiagnosis()
    {
        var (_, x, y) = MoonsModel(1);
        var model = new Sequential(2, [new Dense(64, "relu", "tutorial_large_random"), new Dense(64, "relu", "tutorial_large_random"), new Dense(1, "linear")]);
        model.Compile(new MeanSquaredError(), new Sgd(10));
        var ex = Assert.Throws<TrainingDivergedException>(() => model.Fit(x, y, new FitOptions { Epochs = 50 }));
        Assert.Contains("Training diverged at epoch", ex.Message, StringComparison.Ordinal);
        Assert.Contains("last finite", ex.Message, StringComparison.Ordinal);
        Assert.Contains("largest gradient norm", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("dense_", ex.Layer, StringComparison.Ordinal);
        Assert.True(ex.Epoch >= 1);
    }

    [Fact]
    public void Fit_TargetsWidthMismatch_NamesBothNumbers()
    {
        var model = new Sequential(2, [new Dense(3, "softmax")]);
        model.Compile(new CategoricalCrossEntropy(), new Sgd());
        var ex = Assert.Throws<ArgumentException>(() => model.Fit(new Tensor(new float[4], 2, 2), new Tensor(new float[2], 2, 1)));
        Assert.Contains("3 units", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 columns", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_InputWidthMismatch_NamesBothNumbers()
    {
        var model = new Sequential(4, [new Dense(3, "relu")]);
        var ex = Assert.Throws<ArgumentException>(() => model.Predict(new Tensor(new float[6], 2, 3)));
        Assert.Contains("expects [rows, 4]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3 features", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EarlyStopping_StopsWhenLossStallsAndRestoresBest()
    {
        var (model, x, y) = MoonsModel(1);
        model.Compile(new BinaryCrossEntropy(), new Sgd(1e-9));
        var stopper = new EarlyStopping(patience: 2, minDelta: 1e-3, monitor: "loss", restoreBestWeights: true);
        History history = model.Fit(x, y, new FitOptions { Epochs = 50, Callbacks = [stopper] });
        // Epoch 1 sets the best; epochs 2 and 3 do not improve by 1e-3, and Keras stops when wait (2) >= patience (2).
        Assert.True(history.StoppedEarly);
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(3, history.StoppedEpoch);
        Assert.Equal(1, history.RestoredEpoch);
    }

    [Fact]
    public void Callback_SeesLayerBuffersOfTheBatch()
    {
        var (model, x, y) = MoonsModel(1);
        var probe = new Probe();
        model.Fit(x, y, new FitOptions { Epochs = 1, BatchSize = 50, Callbacks = [probe] });
        Assert.Equal(8, probe.Batches);
        Assert.Equal(50 * 64, probe.PreActivationLength);
        Assert.True(probe.KernelGradientNorm > 0);
    }

    [Fact]
    public void Lsuv_EveryLayerOutputVarianceWithinTolerance()
    {
        Dataset data = Scaler.FitStandard(BuiltInData.Load("digits").Features) is var s ? s.Transform(BuiltInData.Load("digits")) : null!;
        var lsuv = new Lsuv(tolerance: 0.05, maxIterations: 10);
        var model = new Sequential(64, [new Dense(128, new InitLab.Activations.Tanh(), lsuv), new Dense(128, new InitLab.Activations.Relu(), lsuv), new Dense(10, new InitLab.Activations.Softmax(), lsuv)], seed: 3);
        var batch = new Tensor(data.Features.Data[..(256 * 64)], 256, 64);
        LsuvReport report = LsuvCalibrator.Calibrate(model, batch);
        Assert.Equal(3, report.Layers.Count);
        model.Predict(batch);
        foreach (Dense layer in model.Layers)
        {
            double mean = layer.PreActivation.ToArray().Average(v => (double)v);
            double variance = layer.PreActivation.ToArray().Average(v => (v - mean) * (v - mean));
            Assert.True(Math.Abs(variance - 1) < 0.05, $"{layer.Name}: variance {variance}");
        }
        Assert.All(report.Layers, l => Assert.True(l.Converged));
    }

    [Fact]
    public void Lsuv_DeadLayer_ThrowsNamingTheLayer()
    {
        var model = new Sequential(4, [new Dense(8, new InitLab.Activations.Relu(), new Constant(0)), new Dense(3, new InitLab.Activations.Linear(), new Lsuv())], seed: 1);
        var ex = Assert.Throws<InvalidOperationException>(() => LsuvCalibrator.Calibrate(model, new Tensor([.. Enumerable.Range(0, 40).Select(i => (float)i)], 10, 4)));
        Assert.Contains("dense_1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("variance 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lsuv_EmptyBatch_ThrowsNamingTheBatch()
    {
        var model = new Sequential(4, [new Dense(3, new InitLab.Activations.Linear(), new Lsuv())], seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => LsuvCalibrator.Calibrate(model, new Tensor([], 0, 4)));
        Assert.Equal("batch", ex.ParamName);
        Assert.Contains("the batch has 0 rows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lsuv_NotConvergedWithinItsLimit_WarnsNamingTheLayer()
    {
        var model = new Sequential(4, [new Dense(16, new InitLab.Activations.Relu(), new Lsuv(tolerance: 1e-9, maxIterations: 1))], seed: 2);
        var rng = new InitLab.Random.Rng(5);
        var x = new Tensor([.. Enumerable.Range(0, 40 * 4).Select(_ => (float)rng.NextNormal())], 40, 4);
        LsuvReport report = LsuvCalibrator.Calibrate(model, x);
        Assert.False(report.Layers[0].Converged);
        Assert.Equal(2, report.Layers[0].Trials);
        string warning = Assert.Single(report.Warnings);
        Assert.Contains("layer 'dense_0' did not reach unit variance in 2 trials", warning, StringComparison.Ordinal);
    }

    private sealed class Probe : TrainingCallback
    {
        public int Batches { get; private set; }

        public int PreActivationLength { get; private set; }

        public double KernelGradientNorm { get; private set; }

        public override void OnBatchEnd(BatchContext context)
        {
            Batches++;
            PreActivationLength = context.Model.DenseLayers[0].PreActivation.Length;
            KernelGradientNorm = System.Numerics.Tensors.TensorPrimitives.Norm(context.Model.DenseLayers[0].KernelGradient);
        }
    }
}

public class DenseForwardTests
{
    [Theory]
    [InlineData(40)]
    [InlineData(3)]
    public void BiasPlusRelu_PropagatesNaN_AndMatchesTheUnfusedPath(int width)
    {
        var fused = new Sequential(2, [new Dense(width, "relu", "glorot_uniform", "random_normal")], seed: 3);
        var unfused = new Sequential(2, [new Dense(width, new ElementwiseActivation<ReluFormula>("relu"),
            InitializerRegistry.Resolve("glorot_uniform"), InitializerRegistry.Resolve("random_normal"))], seed: 3);
        var x = new Tensor([0.5f, -1.5f, float.NaN, 1f, 2f, -0.25f], 3, 2);
        float[] a = fused.Predict(x).Data;
        float[] b = unfused.Predict(x).Data;
        Assert.Equal(b, a);
        Assert.All(a.AsSpan(width, width).ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.Contains(a, v => v == 0f);
    }
}
