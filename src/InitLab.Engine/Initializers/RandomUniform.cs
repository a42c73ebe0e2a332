using System.Globalization;
using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>w ~ U[min, max), variance (max − min)²/12.</summary>
/// <remarks>Keras <c>RandomUniform(minval=-0.05, maxval=0.05)</c> ("random_uniform", "uniform"); PyTorch
/// <c>uniform_(a=0, b=1)</c> (registry "torch_uniform"/"uniform_"): same family, different defaults.</remarks>
public sealed class RandomUniform : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="min">Inclusive lower bound.</param>
    /// <param name="max">Exclusive upper bound, &gt; min.</param>
    /// <param name="name">Registry name.</param>
    public RandomUniform(double min = -0.05, double max = 0.05, string name = "random_uniform")
        : base(name)
    {
        Min = Finite(min, nameof(min));
        Max = Finite(max, nameof(max));
        if (!(max > min))
        {
            throw new ArgumentOutOfRangeException(nameof(max), max,
                string.Create(CultureInfo.InvariantCulture, $"{name}: max must be > min, got min={min}, max={max}."));
        }
    }

    /// <summary>Lower bound.</summary>
    public double Min { get; }

    /// <summary>Upper bound.</summary>
    public double Max { get; }

    /// <inheritdoc />
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)rng.Uniform(Min, Max);
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() => Name is "random_uniform" or "torch_uniform"
        ? new Dictionary<string, object> { ["min"] = Min, ["max"] = Max }
        : new Dictionary<string, object>();
}
