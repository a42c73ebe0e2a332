using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>
/// Keras/JAX <c>TruncatedNormal(mean, stddev)</c>: N(mean, stddev²) restricted to mean ± 2·stddev, <b>without</b> the
/// variance correction, so the actual std is 0.8796·stddev (σ² = 0.77374·stddev²).
/// </summary>
/// <remarks>Keras default stddev 0.05 (actual 0.04398); JAX 0.01. Not PyTorch's <c>trunc_normal_</c>, whose bounds are
/// absolute (<see cref="TorchTruncNormal"/>).</remarks>
public sealed class TruncatedNormal : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="mean">Mean, finite.</param>
    /// <param name="stdDev">Pre-truncation standard deviation, &gt; 0.</param>
    public TruncatedNormal(double mean = 0, double stdDev = 0.05)
        : base("truncated_normal")
    {
        Mean = Finite(mean, nameof(mean));
        StdDev = Positive(stdDev, nameof(stdDev));
    }

    /// <summary>Mean.</summary>
    public double Mean { get; }

    /// <summary>Pre-truncation standard deviation.</summary>
    public double StdDev { get; }

    /// <inheritdoc />
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(Mean + StdDev * Truncation.NextUnit(rng));
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object> { ["mean"] = Mean, ["std"] = StdDev };
}
