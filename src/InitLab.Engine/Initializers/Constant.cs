using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>w = value for every element. Zeros, ones and the tutorial's constant 0.5 are presets.</summary>
/// <remarks>Keras: <c>Constant(value=0.0)</c>, <c>Zeros</c>, <c>Ones</c>; PyTorch: <c>constant_(val)</c>, <c>zeros_</c>,
/// <c>ones_</c>. Every hidden unit of a layer filled with a constant computes the same function and receives the same
/// gradient, so symmetry is never broken.</remarks>
public sealed class Constant : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="value">The value, finite.</param>
    /// <param name="name">Registry name.</param>
    public Constant(double value, string name = "constant")
        : base(name) => Value = Finite(value, nameof(value));

    /// <summary>The value written.</summary>
    public double Value { get; }

    /// <inheritdoc />
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng) => weights.Fill((float)Value);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() =>
        Name == "constant" ? new Dictionary<string, object> { ["value"] = Value } : new Dictionary<string, object>();
}
