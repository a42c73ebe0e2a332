using System.Globalization;
using CsvHelper;
using InitLab.Tensors;

namespace InitLab.Data;

/// <summary>
/// Loads a CSV with a header row (CsvHelper 34): every column but the label is a numeric feature; the label column is
/// chosen by name or is the last one. <see cref="TaskRule"/> decides classification or regression unless the caller
/// says; classes become 0..K−1 in sorted order (numeric order for whole numbers) and keep their text as class names. Any empty, non-numeric, NaN or infinite feature cell is an error that names
/// the file, the row and the column — nothing is half-loaded.
/// </summary>
public static class CsvDataLoader
{
    /// <summary>Loads a data set.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="labelColumn">The label column's name, or null for the last column.</param>
    /// <param name="task">Classification or regression, or null to let <see cref="TaskRule"/> choose.</param>
    /// <returns>The data set; <see cref="Dataset.Name"/> is the file name.</returns>
    /// <exception cref="DataFormatException">A bad cell, a missing column or too few rows.</exception>
    public static Dataset Load(string path, string? labelColumn = null, ModelTask? task = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CSV file '{path}' does not exist.", path);
        }
        using var stream = File.OpenRead(path);
        return Load(stream, Path.GetFileName(path), labelColumn, task);
    }

    /// <summary>Loads a data set from a stream.</summary>
    /// <param name="stream">UTF-8 CSV text.</param>
    /// <param name="file">File name for messages and the data set's name.</param>
    /// <param name="labelColumn">The label column's name, or null for the last column.</param>
    /// <param name="task">Classification or regression, or null to let <see cref="TaskRule"/> choose.</param>
    /// <returns>The data set.</returns>
    public static Dataset Load(Stream stream, string file, string? labelColumn = null, ModelTask? task = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        using CsvReader reader = CsvReader.Create(stream, null, leaveOpen: true);
        string[] headers = [.. reader.Headers];
        if (headers.Length < 2)
        {
            throw new DataFormatException($"{file}: needs a header row with at least one feature column and a label column; found {headers.Length} column(s).");
        }
        int label = labelColumn is null ? headers.Length - 1 : Array.FindIndex(headers, h => string.Equals(h.Trim(), labelColumn, StringComparison.OrdinalIgnoreCase));
        if (label < 0)
        {
            throw new DataFormatException($"{file}: no column named '{labelColumn}'. Columns: {string.Join(", ", headers)}.");
        }
        string[] featureNames = [.. headers.Where((_, i) => i != label)];
        var features = new List<float>();
        var labelTexts = new List<string>();
        int row = 0;
        while (reader.Read())
        {
            row++;
            int line = row + 1;
            if (reader.FieldCount != headers.Length)
            {
                throw new DataFormatException($"{file}: row {row} (line {line}) has {reader.FieldCount} fields, the header has {headers.Length}.");
            }
            for (int c = 0; c < headers.Length; c++)
            {
                string cell = reader.GetString(c).Trim();
                if (c == label)
                {
                    if (cell.Length == 0)
                    {
                        throw new DataFormatException($"{file}: row {row} (line {line}), column '{headers[c]}': the label is empty.");
                    }
                    labelTexts.Add(cell);
                    continue;
                }
                features.Add(ParseFeature(cell, file, row, line, headers[c]));
            }
        }
        if (row < 2)
        {
            throw new DataFormatException($"{file}: needs at least 2 data rows, found {row}.");
        }
        var x = new Tensor([.. features], row, featureNames.Length);
        string name = Path.GetFileNameWithoutExtension(file);
        string labelName = headers[label].Trim();
        (ModelTask chosen, string reason) = TaskRule.Choose(labelTexts, labelName);
        if (task is ModelTask requested && requested != chosen)
        {
            reason = $"label '{labelName}': {(requested == ModelTask.Regression ? "regression" : "classification")} as requested (by itself {reason[(reason.IndexOf(':', StringComparison.Ordinal) + 2)..]})";
            chosen = requested;
        }
        return chosen == ModelTask.Regression
            ? new Dataset(name, x, ParseTargets(labelTexts, file, labelName), featureNames, labelName) { TaskReason = reason }
            : ToClasses(name, x, labelTexts, featureNames, file, labelName, reason);
    }

    private static float ParseFeature(string cell, string file, int row, int line, string column)
    {
        if (cell.Length == 0)
        {
            throw new DataFormatException($"{file}: row {row} (line {line}), column '{column}': the cell is empty.");
        }
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new DataFormatException($"{file}: row {row} (line {line}), column '{column}': '{cell}' is not a number.");
        }
        if (!double.IsFinite(value) || !float.IsFinite((float)value))
        {
            throw new DataFormatException($"{file}: row {row} (line {line}), column '{column}': {cell} is not a finite float32 value.");
        }
        return (float)value;
    }

    private static Tensor ParseTargets(List<string> labels, string file, string column)
    {
        var targets = new float[labels.Count];
        for (int i = 0; i < labels.Count; i++)
        {
            targets[i] = ParseFeature(labels[i], file, i + 1, i + 2, column);
        }
        return new Tensor(targets, labels.Count, 1);
    }

    private static Dataset ToClasses(string name, Tensor x, List<string> labels, string[] featureNames, string file, string labelName, string reason)
    {
        bool numeric = labels.TrueForAll(l => long.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        var distinct = numeric
            ? labels.Distinct().OrderBy(l => long.Parse(l, CultureInfo.InvariantCulture)).ToList()
            : labels.Distinct().Order(StringComparer.Ordinal).ToList();
        if (distinct.Count < 2)
        {
            throw new DataFormatException($"{file}: the label column has a single class ('{distinct[0]}'); classification needs at least 2.");
        }
        var index = distinct.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        return new Dataset(name, x, [.. labels.Select(l => index[l])], distinct.Count, featureNames, distinct, labelName) { TaskReason = reason };
    }
}
