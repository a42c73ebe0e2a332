using System.Globalization;
using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>Base for the catalog: name, config and argument checks in one place.</summary>
public abstract class Initializer : IInitializer
{
    /// <summary>Creates an initializer with its registry name.</summary>
    /// <param name="name">Registry name.</param>
    protected Initializer(string name) => Name = name;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The span's length differs from the product of <paramref name="shape"/>, or a
    /// dimension is negative: a longer span would be left partly unfilled, a shorter one overrun.</exception>
    public void Fill(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(rng);
        long elements = ShapeProduct(shape);
        if (elements != weights.Length)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{Name}: the weights span has {weights.Length} elements but shape [{string.Join(", ", shape)}] has {(elements > int.MaxValue ? "more than " + int.MaxValue : elements.ToString(CultureInfo.InvariantCulture))}; pass a span of exactly the shape's size."),
                nameof(weights));
        }
        FillCore(weights, shape, fans, rng);
    }

    /// <summary>Fills <paramref name="weights"/>, whose length <see cref="Fill(Span{float}, IReadOnlyList{int}, Fans, Rng)"/>
    /// has already checked against <paramref name="shape"/>.</summary>
    /// <param name="weights">Destination, exactly the product of <paramref name="shape"/> long.</param>
    /// <param name="shape">The tensor's shape.</param>
    /// <param name="fans">The fans the tensor connects.</param>
    /// <param name="rng">The generator to draw from.</param>
    protected abstract void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng);

    /// <inheritdoc />
    public abstract IReadOnlyDictionary<string, object> GetConfig();

    /// <summary>Fills a tensor whose shape is its span length (a vector).</summary>
    /// <param name="weights">Destination.</param>
    /// <param name="fans">Fans.</param>
    /// <param name="rng">Generator.</param>
    public void Fill(Span<float> weights, Fans fans, Rng rng) => Fill(weights, [weights.Length], fans, rng);

    /// <inheritdoc />
    public override string ToString()
    {
        var config = GetConfig();
        if (config.Count == 0)
        {
            return Name;
        }
        return Name + "(" + string.Join(", ", config.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture))) + ")";
    }

    private static long ShapeProduct(IReadOnlyList<int> shape)
    {
        long product = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"Initializer: shape [{string.Join(", ", shape)}] has a negative dimension.", nameof(shape));
            }
            // A span holds at most int.MaxValue elements, so any larger product is a mismatch; stop before overflowing.
            product = Math.Min(checked(product * dimension), (long)int.MaxValue + 1);
        }
        return product;
    }

    /// <summary>Requires a finite value &gt; 0.</summary>
    /// <param name="value">The value.</param>
    /// <param name="parameter">Its name.</param>
    /// <param name="hint">What to use instead.</param>
    /// <returns>The value.</returns>
    protected double Positive(double value, string parameter, string hint = "")
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(parameter, value,
                $"{Name}: {parameter} must be finite and > 0, got {value.ToString(CultureInfo.InvariantCulture)}.{(hint.Length > 0 ? " " + hint : string.Empty)}");
        }
        return value;
    }

    /// <summary>Requires a finite value.</summary>
    /// <param name="value">The value.</param>
    /// <param name="parameter">Its name.</param>
    /// <returns>The value.</returns>
    protected double Finite(double value, string parameter)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(parameter, value, $"{Name}: {parameter} must be finite, got {value.ToString(CultureInfo.InvariantCulture)}.");
        }
        return value;
    }

    /// <summary>Requires the fan chosen by <paramref name="mode"/> to be at least 1.</summary>
    /// <param name="fans">The fans.</param>
    /// <param name="mode">The mode.</param>
    /// <returns>The fan as a double.</returns>
    protected double CheckedFan(Fans fans, FanMode mode)
    {
        double n = fans.For(mode);
        if (!(n > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(fans), n,
                $"{Name}: {ModeName(mode)} is {n.ToString(CultureInfo.InvariantCulture)} for {fans}; a fan must be >= 1 to scale the variance.");
        }
        return n;
    }

    /// <summary>The Keras spelling of a fan mode.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>"fan_in", "fan_out" or "fan_avg".</returns>
    public static string ModeName(FanMode mode) => mode switch
    {
        FanMode.FanIn => "fan_in",
        FanMode.FanOut => "fan_out",
        _ => "fan_avg",
    };
}
