using System.Globalization;
using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>
/// PyTorch <c>kaiming_uniform_</c>/<c>kaiming_normal_(a=0, mode='fan_in', nonlinearity='leaky_relu')</c>:
/// gain = calculate_gain(nonlinearity, a); uniform L = gain·√(3/n), normal (untruncated) σ = gain/√n.
/// Defaults give √2 (He), because <c>a</c> = 0 is passed as leaky_relu's slope.
/// </summary>
/// <remarks>Equal to VarianceScaling(gain², mode, uniform | untruncated_normal). Only fan_in and fan_out (no fan_avg).
/// Keras's he_normal is truncated; kaiming_normal is not — same variance, different tails.</remarks>
public sealed class Kaiming : Initializer
{
    private readonly VarianceScaling _core;

    /// <summary>Creates the initializer.</summary>
    /// <param name="uniform">Uniform (kaiming_uniform) or normal (kaiming_normal).</param>
    /// <param name="negativeSlope">a, leaky_relu's negative slope (used only for leaky_relu).</param>
    /// <param name="mode">fan_in or fan_out.</param>
    /// <param name="nonlinearity">A name <see cref="Gain.For"/> knows.</param>
    public Kaiming(bool uniform, double negativeSlope = 0, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu")
        : base(uniform ? "kaiming_uniform" : "kaiming_normal")
    {
        NegativeSlope = Finite(negativeSlope, nameof(negativeSlope));
        if (mode == FanMode.FanAvg)
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, $"{Name}: mode must be fan_in or fan_out, got fan_avg (PyTorch has no fan_avg; use xavier_* for that).");
        }
        Mode = mode;
        Nonlinearity = nonlinearity;
        GainValue = Gain.For(nonlinearity, negativeSlope);
        _core = new VarianceScaling(GainValue * GainValue, mode, uniform ? Distribution.Uniform : Distribution.UntruncatedNormal, Name);
    }

    /// <summary>a.</summary>
    public double NegativeSlope { get; }

    /// <summary>The fan mode.</summary>
    public FanMode Mode { get; }

    /// <summary>The nonlinearity name.</summary>
    public string Nonlinearity { get; }

    /// <summary>calculate_gain(nonlinearity, a).</summary>
    public double GainValue { get; }

    /// <summary>The equivalent variance-scaling core.</summary>
    public VarianceScaling Core => _core;

    /// <inheritdoc />
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng) => _core.Fill(weights, shape, fans, rng);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>
    {
        ["a"] = NegativeSlope,
        ["mode"] = ModeName(Mode),
        ["nonlinearity"] = Nonlinearity,
    };

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}(a={NegativeSlope}, mode={ModeName(Mode)}, nonlinearity={Nonlinearity})");
}
