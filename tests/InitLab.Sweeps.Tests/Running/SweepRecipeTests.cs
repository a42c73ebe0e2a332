using InitLab.Experiments;
using InitLab.Sweeps.Running;

namespace InitLab.Sweeps.Tests.Running;

public sealed class SweepRecipeTests
{
    private static TrialSpec Trial(ulong seed, params (string Name, string Value)[] settings) =>
        new(settings.ToDictionary(s => s.Name, s => s.Value), seed);

    [Fact]
    public void From_DepthWidthAndMeanField_MapsToTheCatalog()
    {
        TrainingRecipe recipe = SweepRecipe.From(Trial(7, ("data", "digits"), ("depth", "3"), ("width", "16"), ("sigma-w2", "2"), ("sigma-b2", "0.25"), ("lr", "1e-3")));

        Assert.Equal([16, 16, 16], recipe.HiddenWidths);
        Assert.Null(recipe.Layers);
        Assert.Equal("variance_scaling", recipe.KernelInitializer);
        Assert.Equal(["scale=2", "mode=fan_in", "distribution=untruncated_normal"], recipe.KernelInitializerParameters);
        Assert.Equal("random_normal", recipe.BiasInitializer);
        Assert.Equal(["mean=0", "std=0.5"], recipe.BiasInitializerParameters);
        Assert.Equal(0.001, recipe.LearningRate);
        Assert.Equal(7UL, recipe.Seed);
        Assert.Equal(1UL, recipe.DataOptions.Seed);
        Assert.Equal(1, recipe.Threads);
    }

    [Fact]
    public void From_NoSettings_TrainDefaultsWithDataSeedOne()
    {
        TrainingRecipe recipe = SweepRecipe.From(Trial(9));
        var train = new TrainingRecipe();

        Assert.Equal(train.Data, recipe.Data);
        Assert.Equal(train.Epochs, recipe.Epochs);
        Assert.Equal(train.KernelInitializer, recipe.KernelInitializer);
        Assert.Null(recipe.HiddenWidths);
        Assert.Equal(1UL, recipe.DataOptions.Seed);
        Assert.Equal(9UL, recipe.Seed);
    }

    [Fact]
    public void From_GainAndSigmaB2Zero_GainParameterAndZeroBias()
    {
        TrainingRecipe recipe = SweepRecipe.From(Trial(1, ("init", "orthogonal"), ("gain", "1.5"), ("sigma-b2", "0")));

        Assert.Equal(["gain=1.5"], recipe.KernelInitializerParameters);
        Assert.Equal("zeros", recipe.BiasInitializer);
    }

    [Fact]
    public void From_UnknownSetting_RefusedWithNearest()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => SweepRecipe.From(Trial(1, ("dept", "3"))));

        Assert.Contains("Did you mean 'depth'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_MeanFieldInit_WeightAndBiasVariancesMatchSigmas()
    {
        // w ~ N(0, σ_w²/fan_in), b ~ N(0, σ_b²): digits has 64 inputs, so layer 1's fan_in is 64 and layer 2's is 512.
        const double sigmaW2 = 2.0, sigmaB2 = 0.05;
        TrainingRecipe recipe = SweepRecipe.From(Trial(3, ("data", "digits"), ("depth", "2"), ("width", "512"), ("sigma-w2", "2"), ("sigma-b2", "0.05")));

        var model = recipe.Prepare().Model;

        AssertVariance(model.DenseLayers[0].Kernel.ToArray(), sigmaW2 / 64);
        AssertVariance(model.DenseLayers[1].Kernel.ToArray(), sigmaW2 / 512);
        AssertVariance([.. model.DenseLayers[0].Bias.ToArray(), .. model.DenseLayers[1].Bias.ToArray()], sigmaB2);
    }

    private static void AssertVariance(float[] values, double expected)
    {
        // Sample variance (mean known 0) of n normal draws has standard error expected·√(2/n); allow 5 of them.
        double variance = values.Sum(v => (double)v * v) / values.Length;
        double tolerance = 5 * expected * Math.Sqrt(2.0 / values.Length);
        Assert.InRange(variance, expected - tolerance, expected + tolerance);
    }
}
