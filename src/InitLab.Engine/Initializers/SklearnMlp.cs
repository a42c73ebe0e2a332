using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>
/// scikit-learn's MLP <c>_init_coef</c>: weights <b>and</b> intercepts ~ U(±√(f/(fan_in + fan_out))), f = 2 when the
/// estimator's hidden activation is "logistic", else 6 (Glorot uniform).
/// </summary>
/// <remarks>As a bias initializer it uses the layer's fans (<see cref="Fans.LayerFanIn"/> and the bias length), as
/// scikit-learn draws intercepts with the coefficient bound.</remarks>
public sealed class SklearnMlp : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="activation">The estimator's hidden activation: identity, logistic, tanh or relu.</param>
    public SklearnMlp(string activation = "relu")
        : base("sklearn_mlp")
    {
        string key = activation.Trim().ToLowerInvariant();
        if (key is not ("identity" or "logistic" or "tanh" or "relu"))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, $"sklearn_mlp: activation must be identity, logistic, tanh or relu, got '{activation}'.");
        }
        Activation = key;
    }

    /// <summary>The hidden activation that selects the factor.</summary>
    public string Activation { get; }

    /// <summary>The bound √(f/(fan_in + fan_out)).</summary>
    /// <param name="fans">The fans.</param>
    /// <returns>The bound.</returns>
    public double Bound(Fans fans)
    {
        double factor = Activation == "logistic" ? 2.0 : 6.0;
        int fanIn = fans.LayerFanIn ?? fans.In;
        int fanOut = fans.LayerFanIn is null ? fans.Out : fans.In;
        int sum = fanIn + fanOut;
        if (sum <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fans), sum, $"sklearn_mlp: fan_in + fan_out is {sum} for {fans}; it must be >= 1.");
        }
        return Math.Sqrt(factor / sum);
    }

    /// <inheritdoc />
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double bound = Bound(fans);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(bound * (2.0 * rng.NextDouble() - 1.0));
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object> { ["activation"] = Activation };
}
