using InitLab.Optimizers;

namespace InitLab.Tests.Optimizers;

/// <summary>The Keras 3 defaults (keras/src/optimizers/*.py constructor signatures).</summary>
public class OptimizerDefaultsTests
{
    [Fact]
    public void Sgd_Defaults_AreKeras()
    {
        var sgd = new Sgd();
        Assert.Equal(0.01, sgd.LearningRate);
        Assert.Equal(0.0, sgd.Momentum);
        Assert.False(sgd.Nesterov);
        AssertNoDecay(sgd);
        Assert.Equal("sgd", sgd.Name);
    }

    [Fact]
    public void Adagrad_Defaults_AreKeras()
    {
        var adagrad = new Adagrad();
        Assert.Equal(0.001, adagrad.LearningRate);
        Assert.Equal(0.1, adagrad.InitialAccumulator);
        Assert.Equal(1e-7, adagrad.Epsilon);
        AssertNoDecay(adagrad);
    }

    [Fact]
    public void RmsProp_Defaults_AreKeras()
    {
        var rmsprop = new RmsProp();
        Assert.Equal(0.001, rmsprop.LearningRate);
        Assert.Equal(0.9, rmsprop.Rho);
        Assert.Equal(0.0, rmsprop.Momentum);
        Assert.Equal(1e-7, rmsprop.Epsilon);
        AssertNoDecay(rmsprop);
    }

    [Fact]
    public void Adam_Defaults_AreKeras()
    {
        var adam = new Adam();
        Assert.Equal(0.001, adam.LearningRate);
        Assert.Equal(0.9, adam.Beta1);
        Assert.Equal(0.999, adam.Beta2);
        Assert.Equal(1e-7, adam.Epsilon);
        AssertNoDecay(adam);
    }

    [Theory]
    [InlineData("sgd", 0.01, 0.0, false)]
    [InlineData("momentum", 0.01, 0.9, false)]
    [InlineData("nesterov", 0.01, 0.9, true)]
    public void Registry_SgdFamily_KerasLearningRateAndMomentum(string name, double lr, double momentum, bool nesterov)
    {
        var sgd = Assert.IsType<Sgd>(OptimizerRegistry.Resolve(name));
        Assert.Equal(lr, sgd.LearningRate);
        Assert.Equal(momentum, sgd.Momentum);
        Assert.Equal(nesterov, sgd.Nesterov);
        Assert.Equal(name, sgd.Name);
    }

    [Theory]
    [InlineData("adagrad", typeof(Adagrad))]
    [InlineData("rmsprop", typeof(RmsProp))]
    [InlineData("adam", typeof(Adam))]
    public void Registry_Adaptive_KerasLearningRate(string name, Type type)
    {
        Optimizer optimizer = OptimizerRegistry.Resolve(name);
        Assert.IsType(type, optimizer);
        Assert.Equal(0.001, optimizer.LearningRate);
        Assert.Equal(name, optimizer.Name);
    }

    [Fact]
    public void DefaultLearningRate_EachClass_IsKerasDefault()
    {
        // keras/src/optimizers/{sgd,adagrad,rmsprop,adam}.py: learning_rate=0.01 for SGD, 0.001 for the others.
        Assert.Equal(0.01, Sgd.DefaultLearningRate);
        Assert.Equal(0.001, Adagrad.DefaultLearningRate);
        Assert.Equal(0.001, RmsProp.DefaultLearningRate);
        Assert.Equal(0.001, Adam.DefaultLearningRate);
    }

    public static TheoryData<string, double> ClassDefaults => new()
    {
        { "sgd", Sgd.DefaultLearningRate },
        { "momentum", Sgd.DefaultLearningRate },
        { "nesterov", Sgd.DefaultLearningRate },
        { "adagrad", Adagrad.DefaultLearningRate },
        { "rmsprop", RmsProp.DefaultLearningRate },
        { "adam", Adam.DefaultLearningRate },
    };

    [Theory]
    [MemberData(nameof(ClassDefaults))]
    public void Registry_NoLearningRate_UsesAndReportsTheClassConstant(string name, double classDefault)
    {
        Assert.Equal(classDefault, OptimizerRegistry.Resolve(name).LearningRate);
        Assert.Equal(classDefault, OptimizerRegistry.DefaultLearningRate(name));
    }

    [Fact]
    public void ClassDefaults_CoverEveryRegistryName() =>
        Assert.Equal(OptimizerRegistry.Names.Order(), ClassDefaults.Select(row => (string)row[0]).Order());

    [Fact]
    public void Constructor_BadLearningRate_MessageQuotesTheClassConstant()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(-1));
        Assert.Contains(Sgd.DefaultLearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_PassesLearningRateWeightDecayAndL2()
    {
        Optimizer optimizer = OptimizerRegistry.Resolve("adam", 0.02, weightDecay: 0.004, l2: 0.5);
        Assert.Equal(0.02, optimizer.LearningRate);
        Assert.Equal(0.004, optimizer.WeightDecay);
        Assert.Equal(0.5, optimizer.L2);
    }

    private static void AssertNoDecay(Optimizer optimizer)
    {
        Assert.Equal(0.0, optimizer.WeightDecay);
        Assert.Equal(0.0, optimizer.L2);
        Assert.Equal(0, optimizer.Iterations);
    }
}
