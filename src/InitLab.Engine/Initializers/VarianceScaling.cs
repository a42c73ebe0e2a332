using System.Globalization;
using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>The distribution a <see cref="VarianceScaling"/> initializer draws from.</summary>
public enum Distribution
{
    /// <summary>Normal cut at ±2σ₀ with σ₀ = √(scale/n)/0.8796, so the variance after truncation is scale/n (Keras "truncated_normal", and its legacy "normal").</summary>
    TruncatedNormal,

    /// <summary>Normal with σ = √(scale/n) (Keras "untruncated_normal", JAX "normal", PyTorch kaiming_normal_/xavier_normal_).</summary>
    UntruncatedNormal,

    /// <summary>U[−L, L) with L = √(3·scale/n).</summary>
    Uniform,
}

/// <summary>
/// The one core of Glorot/Xavier, He/Kaiming and LeCun: weights with variance σ² = scale / n, where n is fan_in,
/// fan_out or their average. Uniform: L = √(3·scale/n); untruncated normal: σ = √(scale/n); truncated normal:
/// σ₀ = √(scale/n)/c_T cut at ±2σ₀, c_T = 0.87962566103423975.
/// </summary>
/// <remarks>Keras <c>VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal")</c>, which divides by
/// max(1, n); JAX <c>variance_scaling</c> (its "normal" means untruncated); PyTorch's kaiming_*/xavier_* are members with
/// scale = gain². Presets: <see cref="GlorotUniform"/> etc.</remarks>
public class VarianceScaling : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="scale">Variance numerator, finite and &gt; 0 (1 for LeCun/Glorot, 2 for He).</param>
    /// <param name="mode">Which fan divides.</param>
    /// <param name="distribution">The distribution.</param>
    /// <param name="name">Registry name.</param>
    public VarianceScaling(double scale = 1.0, FanMode mode = FanMode.FanIn, Distribution distribution = Distribution.TruncatedNormal, string name = "variance_scaling")
        : base(name)
    {
        Scale = Positive(scale, nameof(scale), "Use 1.0 for LeCun/Glorot, 2.0 for He.");
        Mode = mode;
        Distribution = distribution;
    }

    /// <summary>The variance numerator.</summary>
    public double Scale { get; }

    /// <summary>The fan mode.</summary>
    public FanMode Mode { get; }

    /// <summary>The distribution.</summary>
    public Distribution Distribution { get; }

    /// <summary>The target variance scale/n for these fans.</summary>
    /// <param name="fans">The fans.</param>
    /// <returns>σ².</returns>
    public double Variance(Fans fans) => Scale / CheckedFan(fans, Mode);

    /// <summary>The largest |w| this initializer can produce (∞ for the untruncated normal).</summary>
    /// <param name="fans">The fans.</param>
    /// <returns>L for uniform, 2σ₀ for truncated.</returns>
    public double Bound(Fans fans) => Distribution switch
    {
        Distribution.Uniform => Math.Sqrt(3.0 * Variance(fans)),
        Distribution.TruncatedNormal => 2.0 * Math.Sqrt(Variance(fans)) / Truncation.StdFactor,
        _ => double.PositiveInfinity,
    };

    /// <inheritdoc />
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (weights.IsEmpty)
        {
            return;
        }
        double variance = Variance(fans);
        switch (Distribution)
        {
            case Distribution.Uniform:
                double limit = Math.Sqrt(3.0 * variance);
                for (int i = 0; i < weights.Length; i++)
                {
                    weights[i] = (float)(limit * (2.0 * rng.NextDouble() - 1.0));
                }
                break;
            case Distribution.UntruncatedNormal:
                double std = Math.Sqrt(variance);
                for (int i = 0; i < weights.Length; i++)
                {
                    weights[i] = (float)(std * rng.NextNormal());
                }
                break;
            default:
                // Keras cuts at ±2σ₀; dividing by c_T (std of that truncated unit normal) restores the requested variance.
                double preTruncationStd = Math.Sqrt(variance) / Truncation.StdFactor;
                for (int i = 0; i < weights.Length; i++)
                {
                    weights[i] = (float)(preTruncationStd * Truncation.NextUnit(rng));
                }
                break;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() => Name switch
    {
        // A preset reports only what its registry entry takes, so name + config rebuilds it.
        "variance_scaling" => new Dictionary<string, object>
        {
            ["scale"] = Scale,
            ["mode"] = ModeName(Mode),
            ["distribution"] = DistributionName(Distribution),
        },
        "glorot_uniform" or "xavier_normal" => new Dictionary<string, object> { ["gain"] = Math.Sqrt(Scale) },
        _ => new Dictionary<string, object>(),
    };

    /// <summary>The Keras spelling of a distribution.</summary>
    /// <param name="distribution">The distribution.</param>
    /// <returns>"truncated_normal", "untruncated_normal" or "uniform".</returns>
    public static string DistributionName(Distribution distribution) => distribution switch
    {
        Distribution.TruncatedNormal => "truncated_normal",
        Distribution.UntruncatedNormal => "untruncated_normal",
        _ => "uniform",
    };

    /// <summary>Glorot &amp; Bengio 2010, eq. 16: U(±√(6/(fan_in + fan_out))), σ² = 2/(fan_in+fan_out); Keras's default kernel
    /// initializer, PyTorch <c>xavier_uniform_(gain)</c> with scale = gain².</summary>
    /// <param name="gain">PyTorch's gain (Keras has none: 1).</param>
    /// <returns>The preset.</returns>
    public static VarianceScaling GlorotUniform(double gain = 1.0) => new(ScaleFromGain(gain, "glorot_uniform"), FanMode.FanAvg, Distribution.Uniform, "glorot_uniform");

    /// <summary>Keras/JAX glorot_normal: truncated normal, σ² = 2/(fan_in+fan_out).</summary>
    /// <returns>The preset.</returns>
    public static VarianceScaling GlorotNormal() => new(1.0, FanMode.FanAvg, Distribution.TruncatedNormal, "glorot_normal");

    /// <summary>PyTorch xavier_normal_(gain): <b>untruncated</b> normal, σ = gain·√(2/(fan_in+fan_out)).</summary>
    /// <param name="gain">The gain, &gt; 0.</param>
    /// <returns>The preset.</returns>
    public static VarianceScaling XavierNormal(double gain = 1.0) => new(ScaleFromGain(gain, "xavier_normal"), FanMode.FanAvg, Distribution.UntruncatedNormal, "xavier_normal");

    // scale = gain²: squaring would turn a gain of -1 into 1 silently, and a gain beyond about 1e±154 into a scale of
    // 0 or ∞ that the scale check would then report as a value the user never gave. So the gain is checked as a gain.
    private static double ScaleFromGain(double gain, string name)
    {
        double scale = gain * gain;
        if (!(gain > 0) || !double.IsFinite(gain) || scale == 0 || double.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(gain), gain, string.Create(CultureInfo.InvariantCulture,
                $"{name}: gain must be finite and > 0, and small enough to square (about 1e-154 to 1e154), got {gain}."));
        }
        return scale;
    }

    /// <summary>He et al. 2015: U(±√(6/fan_in)), σ² = 2/fan_in (Keras he_uniform, PyTorch kaiming_uniform_ defaults).</summary>
    /// <returns>The preset.</returns>
    public static VarianceScaling HeUniform() => new(2.0, FanMode.FanIn, Distribution.Uniform, "he_uniform");

    /// <summary>Keras/JAX he_normal: truncated normal, σ² = 2/fan_in, cut at ±2.2737σ.</summary>
    /// <returns>The preset.</returns>
    public static VarianceScaling HeNormal() => new(2.0, FanMode.FanIn, Distribution.TruncatedNormal, "he_normal");

    /// <summary>LeCun 1998: U(±√(3/fan_in)), σ² = 1/fan_in.</summary>
    /// <returns>The preset.</returns>
    public static VarianceScaling LecunUniform() => new(1.0, FanMode.FanIn, Distribution.Uniform, "lecun_uniform");

    /// <summary>Keras/JAX lecun_normal: truncated normal, σ² = 1/fan_in (SELU networks, Flax's Dense default).</summary>
    /// <returns>The preset.</returns>
    public static VarianceScaling LecunNormal() => new(1.0, FanMode.FanIn, Distribution.TruncatedNormal, "lecun_normal");
}
