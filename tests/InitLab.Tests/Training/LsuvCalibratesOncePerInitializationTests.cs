using InitLab.Data;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Persistence;
using InitLab.Tensors;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Training;

/// <summary>Issue 8: LSUV ran again on every Fit and rescaled weights that were already trained.</summary>
public class LsuvCalibratesOncePerInitializationTests
{
    private static (Sequential Model, Tensor X, Tensor Y) LsuvModel()
    {
        Dataset data = Scaler.FitStandard(BuiltInData.Load("digits").Features).Transform(BuiltInData.Load("digits"));
        var model = new Sequential(64, [new Dense(32, "tanh", "lsuv"), new Dense(32, "relu", "lsuv"), new Dense(10, "softmax")], seed: 3);
        model.Compile(new CategoricalCrossEntropy(sparse: true), new Sgd(0.01));
        return (model, data.Features, data.TargetsFor(model.Loss!, 10));
    }

    private static float[][] Copy(Sequential model) => [.. model.Parameters.Select(p => (float[])p.Value.Clone())];

    [Fact]
    public void Fit_Twice_SecondFitStartsFromTheTrainedWeights()
    {
        var (model, x, y) = LsuvModel();
        float[][] drawn = Copy(model);
        Assert.True(model.LsuvPending);
        var atBegin = new WeightsAtTrainBegin();
        History first = model.Fit(x, y, new FitOptions { Epochs = 1, Callbacks = [atBegin] });
        // The first Fit calibrated: the LSUV kernels were rescaled before training began, the plain layer was not.
        Assert.NotNull(first.Lsuv);
        Assert.Equal(2, first.Lsuv!.Layers.Count);
        Assert.NotEqual(drawn[0], atBegin.Weights![0]);
        Assert.NotEqual(drawn[2], atBegin.Weights[2]);
        Assert.Equal(drawn[4], atBegin.Weights[4]);
        Assert.False(model.LsuvPending);

        float[][] trained = Copy(model);
        History second = model.Fit(x, y, new FitOptions { Epochs = 1, Callbacks = [atBegin] });
        Assert.Null(second.Lsuv);
        for (int i = 0; i < trained.Length; i++)
        {
            Assert.Equal(trained[i], atBegin.Weights![i]);
        }
    }

    [Fact]
    public void Fit_FirstFit_GivesEachLsuvLayerUnitVarianceOnTheCalibrationBatch()
    {
        var (model, x, y) = LsuvModel();
        var atBegin = new WeightsAtTrainBegin();
        model.Fit(x, y, new FitOptions { Epochs = 1, Callbacks = [atBegin] });
        // Put the calibrated weights back and forward Fit's calibration batch (the first 256 rows): |Var − 1| < tol = 0.1.
        for (int i = 0; i < atBegin.Weights!.Length; i++)
        {
            atBegin.Weights[i].CopyTo(model.Parameters[i].Value, 0);
        }
        model.Predict(new Tensor(x.Data[..(256 * 64)], 256, 64));
        foreach (Dense layer in model.Layers.Take(2))
        {
            double[] z = [.. layer.PreActivation.ToArray().Select(v => (double)v)];
            double mean = z.Average();
            double variance = z.Average(v => (v - mean) * (v - mean));
            Assert.True(Math.Abs(variance - 1) < 0.1, $"{layer.Name}: variance {variance}");
        }
    }

    [Fact]
    public void Initialize_AfterFit_CalibratesAgainOnTheNextFit()
    {
        var (model, x, y) = LsuvModel();
        model.Fit(x, y, new FitOptions { Epochs = 1 });
        model.Initialize(7);
        Assert.True(model.LsuvPending);
        Assert.NotNull(model.Fit(x, y, new FitOptions { Epochs = 1 }).Lsuv);
    }

    [Fact]
    public void Calibrate_Explicitly_ThenFitDoesNotCalibrateAgain()
    {
        var (model, x, y) = LsuvModel();
        LsuvCalibrator.Calibrate(model, new Tensor(x.Data[..(128 * 64)], 128, 64));
        Assert.False(model.LsuvPending);
        Assert.Null(model.Fit(x, y, new FitOptions { Epochs = 1 }).Lsuv);
    }

    [Fact]
    public void Load_SavedLsuvModel_IsNotCalibratedAgain()
    {
        var (model, x, y) = LsuvModel();
        model.Fit(x, y, new FitOptions { Epochs = 1 });
        using var dir = new TempDirectory();
        ModelFile.Save(model, dir.File("m.model"));
        Sequential loaded = ModelFile.Load(dir.File("m.model"));
        Assert.False(loaded.LsuvPending);
    }

    private sealed class WeightsAtTrainBegin : TrainingCallback
    {
        public float[][]? Weights { get; private set; }

        public override void OnTrainBegin(Sequential model) => Weights = Copy(model);
    }
}
