using System.Globalization;
using InitLab.Common;
using InitLab.Data;
using InitLab.Random;

namespace InitLab.Experiments;

/// <summary>How to turn a data name or path into scaled train/test splits.</summary>
public sealed record DataOptions
{
    /// <summary>Rows for synthetic sets.</summary>
    public int Rows { get; init; } = 1000;

    /// <summary>Noise for synthetic sets (null: the set's default).</summary>
    public double? Noise { get; init; }

    /// <summary>Arms of the spiral set.</summary>
    public int Arms { get; init; } = 3;

    /// <summary>Label column of a CSV (null: last).</summary>
    public string? LabelColumn { get; init; }

    /// <summary>Fraction held out for testing (ignored for MNIST, which comes split).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>"standard", "minmax" or "none", fitted on the training split only.</summary>
    public string Scaling { get; init; } = "standard";

    /// <summary>Seed of the synthetic data and of the split.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Classification or regression; null lets the data decide (<see cref="TaskRule"/> for a CSV).</summary>
    public ModelTask? Task { get; init; }
}

/// <summary>Resolves <c>moons</c>, <c>circles</c>, <c>spirals</c>, <c>xor</c>, <c>blobs</c>, <c>curve</c>, <c>adding</c>
/// (the adding problem, <see cref="AddingTimesteps"/> steps, rows [T, 2]), the
/// <see cref="BuiltInData"/> names (<c>digits</c>, <c>iris</c>, the digit sequences <c>digits-rows</c>,
/// <c>digits-pixels</c>, <c>digits-pixels-permuted</c>), a CSV path or an MNIST folder into (train, test), each set keeping
/// its <see cref="Dataset.RowShape"/>.</summary>
public static class DataSource
{
    /// <summary>The built-in names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["moons", "circles", "spirals", "xor", "blobs", "curve", "adding", .. BuiltInData.Names];

    /// <summary>T of the built-in <c>adding</c> set: 50 steps, the shortest length the IRNN practical asks for (Le et al.
    /// 2015 use 150 to 400); call <see cref="AddingProblem.Generate"/> for another length.</summary>
    public const int AddingTimesteps = 50;

    /// <summary>Loads, splits (seeded) and scales (fitted on train).</summary>
    /// <param name="spec">A name, a .csv path or an MNIST folder.</param>
    /// <param name="options">Options.</param>
    /// <returns>(train, test).</returns>
    public static (Dataset Train, Dataset Test) Load(string spec, DataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new DataOptions();
        (Dataset train, Dataset test) = LoadRaw(spec, options);
        Scaler? scaler = Scaler.Fit(options.Scaling, train.Features);
        return scaler is null ? (train, test) : (scaler.Transform(train), scaler.Transform(test));
    }

    /// <summary>Loads and splits (seeded) without scaling: the raw rows a saved model's preprocessing starts from.</summary>
    /// <param name="spec">A name, a .csv path or an MNIST folder.</param>
    /// <param name="options">Options (<see cref="DataOptions.Scaling"/> is ignored).</param>
    /// <returns>(train, test) in the file's units.</returns>
    public static (Dataset Train, Dataset Test) LoadRaw(string spec, DataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new DataOptions();
        Dataset data = LoadAll(spec, options, out (Dataset Train, Dataset Test)? presplit);
        return presplit ?? data.Split(options.TestFraction, options.Seed);
    }

    /// <summary>Loads every row of a data set, unsplit and unscaled (an MNIST folder gives its test files).</summary>
    /// <param name="spec">A name, a .csv path or an MNIST folder.</param>
    /// <param name="options">Options (split and scaling are ignored).</param>
    /// <returns>The rows in the file's units.</returns>
    public static Dataset LoadAll(string spec, DataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Dataset data = LoadAll(spec, options ?? new DataOptions(), out (Dataset Train, Dataset Test)? presplit);
        return presplit?.Test ?? data;
    }

    private static Dataset LoadAll(string spec, DataOptions options, out (Dataset Train, Dataset Test)? presplit)
    {
        presplit = null;
        string key = spec.Trim().ToLowerInvariant();
        Dataset? data = key switch
        {
            "moons" => SyntheticData.Moons(options.Rows, options.Noise ?? 0.1, options.Seed),
            "circles" => SyntheticData.Circles(options.Rows, options.Noise ?? 0.05, 0.5, options.Seed),
            "spirals" => SyntheticData.Spirals(options.Rows, options.Arms, options.Noise ?? 0.2, options.Seed),
            "xor" => SyntheticData.Xor(options.Rows, options.Noise ?? 0.0, options.Seed),
            "blobs" => SyntheticData.Blobs(options.Rows, 3, 2, options.Noise ?? 1.0, options.Seed),
            "curve" => SyntheticData.Curve(options.Rows, options.Noise ?? 0.1, options.Seed),
            "adding" => AddingProblem.Generate(options.Rows, AddingTimesteps, new Rng(options.Seed)),
            _ when BuiltInData.Names.Contains(key) => BuiltInData.Load(key, options.Task),
            _ => null,
        };
        if (data is null)
        {
            if (Directory.Exists(spec))
            {
                presplit = MnistLoader.LoadFolder(spec);
                RequireTask(presplit.Value.Train, options.Task);
                return presplit.Value.Train;
            }
            if (File.Exists(spec))
            {
                data = CsvDataLoader.Load(spec, options.LabelColumn, options.Task);
            }
            else
            {
                throw new UnknownNameException(string.Create(CultureInfo.InvariantCulture,
                    $"Unknown data '{spec}': not a built-in set, a CSV file or an MNIST folder.{Hint(spec)} Valid names: {string.Join(", ", Names)}."));
            }
        }
        RequireTask(data, options.Task);
        return data;
    }

    private static void RequireTask(Dataset data, ModelTask? task)
    {
        if (task is ModelTask wanted && wanted != data.Task)
        {
            throw new ArgumentException(
                $"task: '{data.Name}' is a {(data.IsClassification ? "classification" : "regression")} set and cannot be used for {(wanted == ModelTask.Regression ? "regression" : "classification")}; " +
                "only a CSV file's label column can be read either way.", nameof(task));
        }
    }

    private static string Hint(string spec)
    {
        string? nearest = NameLookup.Nearest(spec, Names);
        return nearest is null ? string.Empty : $" Did you mean '{nearest}'?";
    }
}
