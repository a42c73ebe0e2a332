namespace InitLab.Data;

/// <summary>
/// The small real data sets shipped inside the library (so examples work from any folder):
/// <c>digits</c> — 1797 8×8 handwritten digits, 64 features (0..16), 10 classes; <c>iris</c> — 150 flowers, 4 features,
/// 3 classes. Both from the UCI ML repository (Dua &amp; Graff 2019), CC BY 4.0, as distributed with scikit-learn.
/// </summary>
public static class BuiltInData
{
    /// <summary>The names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["digits", "iris"];

    /// <summary>Loads a built-in set.</summary>
    /// <param name="name">"digits" or "iris".</param>
    /// <param name="task">Classification (the sets' own labels) or regression on the label numbers; null: classification.</param>
    /// <returns>The data set.</returns>
    public static Dataset Load(string name, ModelTask? task = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        using Stream stream = typeof(BuiltInData).Assembly.GetManifestResourceStream($"InitLab.Data.{key}.csv")
            ?? throw new Common.UnknownNameException("built-in data set", name, Names, nameof(name));
        return CsvDataLoader.Load(stream, key + ".csv", task: task);
    }
}
