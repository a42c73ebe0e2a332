using InitLab.Optimizers;

namespace InitLab.Tests.Optimizers;

/// <summary>Out-of-range hyper-parameters fail at construction with the parameter's name, the value and the range
/// (β₁ = 1 used to divide by zero in Adam's bias correction at the first step).</summary>
public class OptimizerValidationTests
{
    private const string UnitInterval = "in [0, 1)";
    private const string Positive = "finite and > 0";
    private const string NonNegative = "finite and >= 0";

    public static TheoryData<string, string, double, string> OutOfRange => new()
    {
        { "adam", "beta1", 1, UnitInterval },
        { "adam", "beta1", 1.5, UnitInterval },
        { "adam", "beta1", -0.1, UnitInterval },
        { "adam", "beta1", double.NaN, UnitInterval },
        { "adam", "beta2", 1, UnitInterval },
        { "adam", "beta2", -1e-9, UnitInterval },
        { "adam", "epsilon", 0, Positive },
        { "adam", "epsilon", -1e-7, Positive },
        { "adam", "epsilon", double.PositiveInfinity, Positive },
        { "rmsprop", "rho", 1, UnitInterval },
        { "rmsprop", "rho", -0.5, UnitInterval },
        { "rmsprop", "momentum", 1, UnitInterval },
        { "rmsprop", "momentum", -0.1, UnitInterval },
        { "rmsprop", "epsilon", 0, Positive },
        { "adagrad", "epsilon", 0, Positive },
        { "adagrad", "initialAccumulator", -0.1, NonNegative },
        { "adagrad", "initialAccumulator", double.NaN, NonNegative },
        { "sgd", "momentum", 1, UnitInterval },
        { "sgd", "momentum", -0.9, UnitInterval },
        { "sgd", "learningRate", 0, Positive },
        { "sgd", "learningRate", -0.01, Positive },
        { "adam", "learningRate", double.NaN, Positive },
        { "rmsprop", "learningRate", double.PositiveInfinity, Positive },
        { "adagrad", "learningRate", double.NegativeInfinity, Positive },
        { "adam", "weightDecay", -0.004, NonNegative },
        { "sgd", "weightDecay", double.NaN, NonNegative },
        { "rmsprop", "l2", -1, NonNegative },
        { "adagrad", "l2", double.PositiveInfinity, NonNegative },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Constructor_OutOfRange_ThrowsNamingParameterValueAndRange(string optimizer, string parameter, double value, string range)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Create(optimizer, parameter, value));
        Assert.Equal(parameter, error.ParamName);
        Assert.Equal(value, error.ActualValue);
        string valueText = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"{parameter} must be {range}, got {valueText} (Keras default ", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(optimizer == "rmsprop" ? "RmsProp:" : optimizer == "sgd" ? "Sgd:" : char.ToUpperInvariant(optimizer[0]) + optimizer[1..] + ":",
            error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.999999)]
    public void Adam_BetaAtTheEdgesOfTheRange_Accepted(double beta)
    {
        var adam = new Adam(beta1: beta, beta2: beta);
        float[][] after = OptimizerHarness.Run(adam);
        Assert.All(after.SelectMany(v => v), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Registry_OutOfRangeWeightDecay_NamesIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerRegistry.Resolve("adam", weightDecay: -1));
        Assert.Equal("weightDecay", error.ParamName);
    }

    private static Optimizer Create(string optimizer, string parameter, double value) => (optimizer, parameter) switch
    {
        ("adam", "beta1") => new Adam(beta1: value),
        ("adam", "beta2") => new Adam(beta2: value),
        ("adam", "epsilon") => new Adam(epsilon: value),
        ("adam", "learningRate") => new Adam(value),
        ("adam", "weightDecay") => new Adam(weightDecay: value),
        ("rmsprop", "rho") => new RmsProp(rho: value),
        ("rmsprop", "momentum") => new RmsProp(momentum: value),
        ("rmsprop", "epsilon") => new RmsProp(epsilon: value),
        ("rmsprop", "learningRate") => new RmsProp(value),
        ("rmsprop", "l2") => new RmsProp(l2: value),
        ("adagrad", "epsilon") => new Adagrad(epsilon: value),
        ("adagrad", "initialAccumulator") => new Adagrad(initialAccumulator: value),
        ("adagrad", "learningRate") => new Adagrad(value),
        ("adagrad", "l2") => new Adagrad(l2: value),
        ("sgd", "momentum") => new Sgd(momentum: value),
        ("sgd", "learningRate") => new Sgd(value),
        ("sgd", "weightDecay") => new Sgd(weightDecay: value),
        _ => throw new ArgumentException($"no case {optimizer}.{parameter}"),
    };
}
