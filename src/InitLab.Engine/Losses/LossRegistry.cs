using InitLab.Common;

namespace InitLab.Losses;

/// <summary>The loss registry (Keras names and short forms).</summary>
public static class LossRegistry
{
    private static readonly Dictionary<string, Func<Loss>> s_factories = new(StringComparer.Ordinal)
    {
        ["mean_squared_error"] = () => new MeanSquaredError(),
        ["mean_absolute_error"] = () => new MeanAbsoluteError(),
        ["binary_crossentropy"] = () => new BinaryCrossEntropy(),
        ["binary_crossentropy_from_logits"] = () => new BinaryCrossEntropy(fromLogits: true),
        ["categorical_crossentropy"] = () => new CategoricalCrossEntropy(),
        ["categorical_crossentropy_from_logits"] = () => new CategoricalCrossEntropy(fromLogits: true),
        ["sparse_categorical_crossentropy"] = () => new CategoricalCrossEntropy(sparse: true),
        ["sparse_categorical_crossentropy_from_logits"] = () => new CategoricalCrossEntropy(sparse: true, fromLogits: true),
    };

    private static readonly Dictionary<string, string> s_aliases = new(StringComparer.Ordinal)
    {
        ["mse"] = "mean_squared_error",
        ["mae"] = "mean_absolute_error",
        ["bce"] = "binary_crossentropy",
        ["cce"] = "categorical_crossentropy",
        ["cross_entropy"] = "sparse_categorical_crossentropy_from_logits",
    };

    /// <summary>The canonical names.</summary>
    public static IReadOnlyCollection<string> Names => s_factories.Keys;

    /// <summary>Resolves a loss by name (case-insensitive; mse, mae, bce, cce accepted).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="UnknownNameException">Unknown name.</exception>
    public static Loss Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = NameLookup.Normalize(name);
        key = s_aliases.GetValueOrDefault(key, key);
        return s_factories.TryGetValue(key, out var factory)
            ? factory()
            : throw new UnknownNameException("loss", name, Names, nameof(name));
    }
}
