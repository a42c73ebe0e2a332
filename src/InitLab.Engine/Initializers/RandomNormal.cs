using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>w ~ N(mean, stdDev²), untruncated.</summary>
/// <remarks>Keras <c>RandomNormal(mean=0, stddev=0.05)</c> ("random_normal", "normal"); PyTorch <c>normal_(mean=0, std=1)</c>
/// (registry "torch_normal"/"normal_"); JAX <c>normal(stddev=0.01)</c>. The tutorial's "small random" (std 0.0007) is a preset.</remarks>
public sealed class RandomNormal : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="mean">Mean, finite.</param>
    /// <param name="stdDev">Standard deviation, &gt; 0.</param>
    /// <param name="name">Registry name.</param>
    public RandomNormal(double mean = 0, double stdDev = 0.05, string name = "random_normal")
        : base(name)
    {
        Mean = Finite(mean, nameof(mean));
        StdDev = Positive(stdDev, nameof(stdDev));
    }

    /// <summary>Mean.</summary>
    public double Mean { get; }

    /// <summary>Standard deviation.</summary>
    public double StdDev { get; }

    /// <inheritdoc />
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)rng.Normal(Mean, StdDev);
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() => Name is "random_normal" or "torch_normal"
        ? new Dictionary<string, object> { ["mean"] = Mean, ["std"] = StdDev }
        : new Dictionary<string, object>();
}
