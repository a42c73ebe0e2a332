using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>
/// What PyTorch's <c>nn.Linear</c>/<c>ConvNd</c> do when you choose nothing: <c>kaiming_uniform_(w, a=√5)</c> =
/// U(±1/√fan_in), σ² = 1/(3·fan_in); the bias is drawn from the same bound, computed from the <b>weight's</b> fan_in.
/// </summary>
/// <remarks>This is Glorot &amp; Bengio's eq. (1) "commonly used heuristic" (the one their paper argues against) and the
/// tutorial's mislabelled "Xavier: U[−1/√n, 1/√n]". It is kept by PyTorch for backward compatibility, not as advice:
/// a third of LeCun's variance and a sixth of He's. As a bias initializer it reads <see cref="Fans.LayerFanIn"/>.</remarks>
public sealed class TorchLinearDefault : Initializer
{
    /// <summary>Creates the initializer.</summary>
    public TorchLinearDefault()
        : base("torch_linear_default")
    {
    }

    /// <summary>The bound 1/√fan_in (0 when fan_in is 0, as PyTorch's bias does).</summary>
    /// <param name="fans">The fans (for a bias, its layer's fan_in is used).</param>
    /// <returns>The bound.</returns>
    public static double Bound(Fans fans)
    {
        int fanIn = fans.LayerFanIn ?? fans.In;
        return fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0.0;
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
    public override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object>();
}
