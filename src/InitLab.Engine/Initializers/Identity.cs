using InitLab.Random;
using InitLab.Tensors;

namespace InitLab.Initializers;

/// <summary>w_ij = gain·[i = j] on a 2-D tensor (rectangular allowed).</summary>
/// <remarks>Keras <c>Identity(gain=1.0)</c>; PyTorch <c>eye_</c> (no gain); TF.js requires square.</remarks>
public sealed class Identity : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="gain">Diagonal value, &gt; 0.</param>
    public Identity(double gain = 1.0)
        : base("identity") => GainValue = Positive(gain, "gain");

    /// <summary>The diagonal value.</summary>
    public double GainValue { get; }

    /// <inheritdoc />
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count != 2)
        {
            throw new ArgumentException($"identity: needs a 2-D tensor, got shape {Tensor.FormatShape(shape)}.", nameof(shape));
        }
        weights.Clear();
        int rows = shape[0], cols = shape[1];
        for (int i = 0; i < Math.Min(rows, cols); i++)
        {
            weights[i * cols + i] = (float)GainValue;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object> { ["gain"] = GainValue };
}
