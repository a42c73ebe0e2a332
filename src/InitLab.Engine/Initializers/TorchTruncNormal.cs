using System.Globalization;
using InitLab.Common;
using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>
/// PyTorch <c>trunc_normal_(mean=0, std=1, a=-2, b=2)</c>: N(mean, std²) restricted to the <b>absolute</b> interval
/// [a, b] (a, b do not scale with std). Sampled by rejection, so no value ever leaves [a, b].
/// </summary>
/// <remarks>PyTorch samples by inverse CDF and clamps (rare values exactly at a or b); the distribution is the same.
/// With std = 0.02 and the default a, b the truncation is at ±100σ — effectively none (a common misuse). TorchSharp
/// 0.107's <c>trunc_normal_</c> is broken (constant output); InitLab follows PyTorch.</remarks>
public sealed class TorchTruncNormal : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="mean">Mean of the parent normal.</param>
    /// <param name="stdDev">Std of the parent normal, &gt; 0.</param>
    /// <param name="lower">a, the absolute lower bound.</param>
    /// <param name="upper">b, the absolute upper bound, &gt; a.</param>
    public TorchTruncNormal(double mean = 0, double stdDev = 1, double lower = -2, double upper = 2)
        : base("trunc_normal")
    {
        Mean = Finite(mean, nameof(mean));
        StdDev = Positive(stdDev, nameof(stdDev));
        Lower = Finite(lower, nameof(lower));
        Upper = Finite(upper, nameof(upper));
        if (!(upper > lower))
        {
            throw new ArgumentOutOfRangeException(nameof(lower), lower,
                string.Create(CultureInfo.InvariantCulture, $"trunc_normal: a must be < b, got a={lower}, b={upper}."));
        }
        double mass = SpecialFunctions.NormalCdf((upper - mean) / stdDev) - SpecialFunctions.NormalCdf((lower - mean) / stdDev);
        if (mass < 1e-4)
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, string.Create(CultureInfo.InvariantCulture,
                $"trunc_normal: [a, b] = [{lower}, {upper}] holds only {mass:G3} of N({mean}, {stdDev}²); move the mean inside [a, b] or widen it."));
        }
    }

    /// <summary>Mean of the parent normal.</summary>
    public double Mean { get; }

    /// <summary>Std of the parent normal.</summary>
    public double StdDev { get; }

    /// <summary>a.</summary>
    public double Lower { get; }

    /// <summary>b.</summary>
    public double Upper { get; }

    /// <inheritdoc />
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < weights.Length; i++)
        {
            float w;
            do
            {
                w = (float)rng.Normal(Mean, StdDev);
            }
            while (w < Lower || w > Upper);
            weights[i] = w;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() =>
        new Dictionary<string, object> { ["mean"] = Mean, ["std"] = StdDev, ["a"] = Lower, ["b"] = Upper };
}
