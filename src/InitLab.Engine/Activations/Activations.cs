using System.Globalization;
using InitLab.Common;

namespace InitLab.Activations;

/// <summary>The activation registry: Keras names, resolved case-insensitively.</summary>
public static class ActivationRegistry
{
    private static readonly Dictionary<string, Func<double?, Activation>> s_factories = new(StringComparer.Ordinal)
    {
        ["linear"] = _ => new Linear(),
        ["relu"] = _ => new Relu(),
        ["leaky_relu"] = p => new LeakyRelu(CheckSlope(p ?? 0.2)),
        ["elu"] = p => new ElementwiseActivation<EluFormula>(FormattableString.Invariant($"elu({p ?? 1.0})"), p ?? 1.0),
        ["selu"] = _ => new ElementwiseActivation<SeluFormula>("selu"),
        ["gelu"] = _ => new ElementwiseActivation<GeluFormula>("gelu"),
        ["sigmoid"] = _ => new Sigmoid(),
        ["tanh"] = _ => new Tanh(),
        ["softplus"] = _ => new ElementwiseActivation<SoftplusFormula>("softplus"),
        ["softmax"] = _ => new Softmax(),
    };

    private static readonly Dictionary<string, string> s_aliases = new(StringComparer.Ordinal)
    {
        ["identity"] = "linear",
        ["none"] = "linear",
        ["logistic"] = "sigmoid",
        ["leakyrelu"] = "leaky_relu",
    };

    /// <summary>The canonical names.</summary>
    public static IReadOnlyCollection<string> Names => s_factories.Keys;

    /// <summary>Resolves "relu", "Tanh", "leaky_relu(0.1)", "elu(0.5)" …</summary>
    /// <param name="name">The name, with an optional parameter in parentheses.</param>
    /// <returns>The activation.</returns>
    /// <exception cref="UnknownNameException">The name is not known; the message lists the valid names and the nearest.</exception>
    public static Activation Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string text = name.Trim();
        double? parameter = null;
        int open = text.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && text.EndsWith(')'))
        {
            string inner = text[(open + 1)..^1];
            if (!double.TryParse(inner, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                throw new ArgumentException($"Activation '{name}': parameter '{inner}' is not a finite number.", nameof(name));
            }
            parameter = value;
            text = text[..open];
        }
        string key = NameLookup.Normalize(text);
        key = s_aliases.GetValueOrDefault(key, key);
        if (!s_factories.TryGetValue(key, out var factory))
        {
            throw new UnknownNameException("activation", name, Names, nameof(name));
        }
        return factory(parameter);
    }

    private static double CheckSlope(double slope)
    {
        if (!(slope >= 0) || !double.IsFinite(slope))
        {
            throw new ArgumentOutOfRangeException(nameof(slope), slope, $"leaky_relu: negative slope must be finite and >= 0, got {slope.ToString(CultureInfo.InvariantCulture)}.");
        }
        return slope;
    }
}
