namespace InitLab.Data;

/// <summary>
/// The small real data sets shipped inside the library (so examples work from any folder):
/// <c>digits</c> — 1797 8×8 handwritten digits, 64 features (0..16), 10 classes, rows shaped [8, 8, 1] (the CSV's
/// pixel_0..pixel_63 are the image flattened row by row, as scikit-learn's <c>load_digits</c> flattens
/// <c>images</c> (1797, 8, 8) into <c>data</c> (1797, 64)); <c>iris</c> — 150 flowers, 4 features, 3 classes. Both
/// from the UCI ML repository (Dua &amp; Graff 2019), CC BY 4.0, as distributed with scikit-learn.
/// The digits also come as sequences (<see cref="SequenceViews"/>, Le et al. 2015): <c>digits-rows</c> (8 steps of 8
/// pixels), <c>digits-pixels</c> (64 steps of 1 pixel) and <c>digits-pixels-permuted</c> (the same, the pixels in
/// the fixed order <c>SequenceViews.PixelPermutation(64, PermutationSeed)</c>).
/// </summary>
public static class BuiltInData
{
    /// <summary>The seed of <c>digits-pixels-permuted</c>'s permutation: fixed, so the named task is one task, as the
    /// permuted MNIST of Le et al. is (call <see cref="SequenceViews.PermutedPixelByPixel"/> for another).</summary>
    public const ulong PermutationSeed = 0;

    /// <summary>The names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["digits", "iris", "digits-rows", "digits-pixels", "digits-pixels-permuted"];

    /// <summary>Loads a built-in set.</summary>
    /// <param name="name">One of <see cref="Names"/>, any case.</param>
    /// <param name="task">Classification (the sets' own labels) or regression on the label numbers; null: classification.</param>
    /// <returns>The data set.</returns>
    /// <exception cref="Common.UnknownNameException">The name is not built in.</exception>
    public static Dataset Load(string name, ModelTask? task = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        return key switch
        {
            "digits" => Digits(task),
            "digits-rows" => SequenceViews.RowByRow(Digits(task), key),
            "digits-pixels" => SequenceViews.PixelByPixel(Digits(task), key),
            "digits-pixels-permuted" => SequenceViews.PermutedPixelByPixel(Digits(task), PermutationSeed, key),
            _ => Csv(key, name, task),
        };
    }

    // The CSV holds each 8×8 image row-major (pixel_{8·row + column}); scikit-learn's digits.images[0] is this file's
    // first row read 8 at a time (tests/InitLab.Tests/Data/DigitsImageTests.cs checks it against the published array).
    private static Dataset Digits(ModelTask? task) => Csv("digits", "digits", task).WithRowShape([8, 8, 1]);

    private static Dataset Csv(string key, string name, ModelTask? task)
    {
        using Stream stream = typeof(BuiltInData).Assembly.GetManifestResourceStream($"InitLab.Data.{key}.csv")
            ?? throw new Common.UnknownNameException("built-in data set", name, Names, nameof(name));
        return CsvDataLoader.Load(stream, key + ".csv", task: task);
    }
}
