using System.Globalization;
using CsvHelper;
using InitLab.Tensors;

namespace InitLab.Data;

/// <summary>
/// Loads a CSV with a header row (CsvHelper 34): every column but the label is a numeric feature; the label column is
/// chosen by name or is the last one. <see cref="TaskRule"/> decides classification or regression unless the caller
/// says; classes become 0..K−1 in sorted order (numeric order for whole numbers) and keep their text as class names. Any empty, non-numeric, NaN or infinite feature cell is an error that names
/// the file, the row, the line (counting blank lines and the lines inside quoted fields) and the column — nothing is
/// half-loaded. A missing header row (a first line of numbers only), empty or duplicate column names, and malformed
/// quoting are errors too.
/// </summary>
public static class CsvDataLoader
{
    private const int MaxRecordBytes = 16 << 20;

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
    /// <exception cref="DataFormatException">A bad cell or header, malformed quoting, a missing column or too few rows.</exception>
    public static Dataset Load(Stream stream, string file, string? labelColumn = null, ModelTask? task = null) =>
        Load(stream, file, ReadBudget.DefaultBytes, labelColumn, task);

    /// <summary>As <see cref="Load(Stream, string, string?, ModelTask?)"/>, refusing data that would hold more than
    /// <paramref name="byteLimit"/> bytes (the tests give an endless stream a small limit).</summary>
    internal static Dataset Load(Stream stream, string file, long byteLimit, string? labelColumn = null, ModelTask? task = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            return Read(stream, file, labelColumn, task, byteLimit);
        }
        catch (CsvFormatException ex)
        {
            string where = ex.LineNumber > 0 ? string.Create(CultureInfo.InvariantCulture, $" at line {ex.LineNumber}") : string.Empty;
            throw new DataFormatException($"{file}: malformed CSV{where} ({FirstLine(ex.Message)}). Check for an unclosed quote or text after a closing quote.", ex);
        }
    }

    private static Dataset Read(Stream stream, string file, string? labelColumn, ModelTask? task, long byteLimit)
    {
        // Line numbers come from the reader, which counts blank lines and the lines inside quoted fields; quoting errors
        // throw instead of being "recovered" into silently different values; one record may not exceed MaxRecordBytes,
        // so an unclosed quote cannot make the reader buffer the whole file.
        var options = new CsvReaderOptions { TrackLineNumbers = true, MalformedData = CsvMalformedDataHandling.Throw, MaxRecordSize = MaxRecordBytes };
        using CsvReader reader = CsvReader.Create(stream, options, leaveOpen: true);
        string[] headers = [.. reader.Headers.Select(h => h.Trim())];
        CheckHeader(headers, file);
        int label = labelColumn is null ? headers.Length - 1 : Array.FindIndex(headers, h => string.Equals(h, labelColumn, StringComparison.OrdinalIgnoreCase));
        if (label < 0)
        {
            throw new DataFormatException($"{file}: no column named {Excerpt.Quote(labelColumn ?? string.Empty)}. Columns: {RawTable.List(headers.Select(Excerpt.Bare))}.")
            {
                ParamName = nameof(labelColumn),
            };
        }
        string[] featureNames = [.. headers.Where((_, i) => i != label)];
        var features = new List<float>();
        var labelTexts = new List<string>();
        var lines = new List<long>();
        int row = 0;
        var budget = new ReadBudget(file, byteLimit);
        while (reader.Read())
        {
            row++;
            long line = reader.LineNumber;
            if (reader.FieldCount != headers.Length)
            {
                throw new DataFormatException($"{file}: row {row} (line {line}) has {reader.FieldCount} fields, the header has {headers.Length}.");
            }
            if (features.Count > Array.MaxLength - featureNames.Length)
            {
                throw new DataFormatException($"{file}: more than {Array.MaxLength} feature values ({row} rows × {featureNames.Length} columns); split the file.");
            }
            for (int c = 0; c < headers.Length; c++)
            {
                string cell = reader.GetString(c).Trim();
                if (c == label)
                {
                    if (cell.Length == 0)
                    {
                        throw new DataFormatException($"{file}: row {row} (line {line}), column {Excerpt.Quote(headers[c])}: the label is empty.");
                    }
                    labelTexts.Add(cell);
                    budget.Add(ReadBudget.StringBytes(cell), row);
                    continue;
                }
                features.Add(ParseFeature(cell, file, row, line, headers[c]));
            }
            lines.Add(line);
            // Each float may be held twice (the list's growth, then the tensor's copy), plus the line number.
            budget.Add((featureNames.Length * 2L * sizeof(float)) + sizeof(long), row);
        }
        if (row < 2)
        {
            throw new DataFormatException($"{file}: needs at least 2 data rows, found {row}.");
        }
        var x = new Tensor([.. features], row, featureNames.Length);
        string name = Path.GetFileNameWithoutExtension(file);
        string labelName = headers[label].Trim();
        (ModelTask chosen, string reason) = TaskRule.Choose(labelTexts, labelName);
        if (task is null && chosen == ModelTask.Classification)
        {
            ClassLabelCheck.Check(labelTexts, lines, file, labelName);
        }
        if (task is ModelTask requested && requested != chosen)
        {
            reason = $"label {Excerpt.Quote(labelName)}: {(requested == ModelTask.Regression ? "regression" : "classification")} as requested (by itself {reason[(reason.IndexOf(':', StringComparison.Ordinal) + 2)..]})";
            chosen = requested;
        }
        return chosen == ModelTask.Regression
            ? new Dataset(name, x, ParseTargets(labelTexts, lines, file, labelName), featureNames, labelName) { TaskReason = reason }
            : ToClasses(name, x, labelTexts, featureNames, file, labelName, reason);
    }

    // A header row is required: without one the first data row would silently become column names (and be lost), so a
    // first row of numbers only is refused. Names must be unique (ignoring case, as the label column is found) and non-empty, because
    // columns are found by name.
    private static void CheckHeader(string[] headers, string file)
    {
        if (headers.Length < 2)
        {
            throw new DataFormatException($"{file}: needs a header row with at least one feature column and a label column; found {headers.Length} column(s).");
        }
        if (headers.All(h => double.TryParse(h, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            throw new DataFormatException($"{file}: the first line ({string.Join(",", headers.Take(5).Select(Excerpt.Quote))}{(headers.Length > 5 ? ",…" : string.Empty)}) is all numbers, so the file has no header row; add a first line naming the columns, e.g. {string.Join(",", Enumerable.Range(1, Math.Min(headers.Length - 1, 3)).Select(i => "x" + i.ToString(CultureInfo.InvariantCulture)))},label.");
        }
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int c = 0; c < headers.Length; c++)
        {
            if (headers[c].Length == 0)
            {
                throw new DataFormatException($"{file}: header column {c + 1} has no name; every column needs a unique name.");
            }
            if (seen.TryGetValue(headers[c], out int first))
            {
                throw new DataFormatException($"{file}: the header names {Excerpt.Quote(headers[c])} twice (columns {first + 1} and {c + 1}); column names must be unique.");
            }
            seen[headers[c]] = c;
        }
    }

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline > 0 ? message[..newline] : message).TrimEnd('.', ' ');
    }

    private static float ParseFeature(string cell, string file, int row, long line, string column)
    {
        if (cell.Length == 0)
        {
            throw new DataFormatException($"{file}: row {row} (line {line}), column {Excerpt.Quote(column)}: the cell is empty.");
        }
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new DataFormatException($"{file}: row {row} (line {line}), column {Excerpt.Quote(column)}: {Excerpt.Quote(cell)} is not a number.");
        }
        if (!double.IsFinite(value) || !float.IsFinite((float)value))
        {
            throw new DataFormatException($"{file}: row {row} (line {line}), column {Excerpt.Quote(column)}: {Excerpt.Bare(cell)} is not a finite float32 value.");
        }
        return (float)value;
    }

    private static Tensor ParseTargets(List<string> labels, List<long> lines, string file, string column)
    {
        var targets = new float[labels.Count];
        for (int i = 0; i < labels.Count; i++)
        {
            targets[i] = ParseFeature(labels[i], file, i + 1, lines[i], column);
        }
        return new Tensor(targets, labels.Count, 1);
    }

    private static Dataset ToClasses(string name, Tensor x, List<string> labels, string[] featureNames, string file, string column, string reason)
    {
        bool numeric = labels.TrueForAll(l => long.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        var distinct = numeric
            ? labels.Distinct().OrderBy(l => long.Parse(l, CultureInfo.InvariantCulture)).ToList()
            : labels.Distinct().Order(StringComparer.Ordinal).ToList();
        if (distinct.Count < 2)
        {
            throw new DataFormatException($"{file}: the label column has a single class ({Excerpt.Quote(distinct[0])}); classification needs at least 2.");
        }
        // One-hot targets take rows × classes floats: a column of IDs (a class per row) would ask for rows² of them.
        if ((long)labels.Count * distinct.Count > Array.MaxLength)
        {
            throw new DataFormatException($"{file}: the label column {Excerpt.Quote(column)} has {distinct.Count} distinct values in {labels.Count} rows; one-hot targets would need {(long)labels.Count * distinct.Count} values. It looks like an ID or a continuous target, not classes: choose another label column.")
            {
                ParamName = "labelColumn",
            };
        }
        var index = distinct.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        return new Dataset(name, x, [.. labels.Select(l => index[l])], distinct.Count, featureNames, distinct, column) { TaskReason = reason };
    }
}
