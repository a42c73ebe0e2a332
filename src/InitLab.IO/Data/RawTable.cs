using System.Globalization;
using CsvHelper;
using InitLab.Tensors;

namespace InitLab.Data;

/// <summary>
/// A CSV read as text cells under named columns, so that a saved model can pick its features by name — in any order,
/// ignoring extra columns — and read its label column only when it is there.
/// </summary>
public sealed class RawTable
{
    private readonly string[] _columns;
    private readonly List<string[]> _rows;

    private RawTable(string name, string[] columns, List<string[]> rows)
    {
        Name = name;
        _columns = columns;
        _rows = rows;
    }

    /// <summary>The file name (for messages).</summary>
    public string Name { get; }

    /// <summary>Column names as in the header, trimmed.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Data rows.</summary>
    public int Rows => _rows.Count;

    /// <summary>Reads a CSV with a header row.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The table.</returns>
    /// <exception cref="DataFormatException">No header, a duplicate column name, a row with the wrong field count, or no rows.</exception>
    public static RawTable Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CSV file '{path}' does not exist.", path);
        }
        using var stream = File.OpenRead(path);
        return Load(stream, Path.GetFileName(path));
    }

    /// <summary>Reads CSV text with a header row.</summary>
    /// <param name="stream">UTF-8 CSV text.</param>
    /// <param name="file">File name for messages.</param>
    /// <returns>The table.</returns>
    /// <exception cref="DataFormatException">No header, a duplicate column name, a row with the wrong field count, or no rows.</exception>
    public static RawTable Load(Stream stream, string file)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        using CsvReader reader = CsvReader.Create(stream, null, leaveOpen: true);
        string[] headers = [.. reader.Headers.Select(h => h.Trim())];
        if (headers.Length == 0)
        {
            throw new DataFormatException($"{file}: no header row; the first line must name the columns.");
        }
        string? duplicate = headers.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new DataFormatException($"{file}: the header names column {Excerpt.Quote(duplicate)} twice; column names must be unique.");
        }
        var rows = new List<string[]>();
        var budget = new ReadBudget(file, ReadBudget.DefaultBytes);
        while (reader.Read())
        {
            if (reader.FieldCount != headers.Length)
            {
                throw new DataFormatException($"{file}: row {rows.Count + 1} has {reader.FieldCount} fields, the header has {headers.Length}.");
            }
            var cells = new string[headers.Length];
            for (int c = 0; c < cells.Length; c++)
            {
                cells[c] = reader.GetString(c).Trim();
                budget.Add(ReadBudget.StringBytes(cells[c]) + IntPtr.Size, rows.Count + 1);
            }
            rows.Add(cells);
        }
        if (rows.Count == 0)
        {
            throw new DataFormatException($"{file}: the header has no data rows under it.");
        }
        return new RawTable(file, headers, rows);
    }

    /// <summary>The index of a column (case-insensitive), or −1.</summary>
    /// <param name="column">The name.</param>
    /// <returns>The index or −1.</returns>
    public int IndexOf(string column) => Array.FindIndex(_columns, h => string.Equals(h, column?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The cells of one column, top to bottom.</summary>
    /// <param name="column">The name (case-insensitive).</param>
    /// <returns>The cells.</returns>
    /// <exception cref="DataFormatException">No such column.</exception>
    public IReadOnlyList<string> Column(string column)
    {
        int index = Require([column], column)[0];
        return [.. _rows.Select(r => r[index])];
    }

    /// <summary>The named columns as float32 features, in the order given (extra columns ignored).</summary>
    /// <param name="names">The feature names a model expects.</param>
    /// <returns>rows×names.Count.</returns>
    /// <exception cref="DataFormatException">A missing column (all missing ones are named) or a cell that is not a finite number.</exception>
    public Tensor Features(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        int[] indices = Require(names, null);
        var values = new float[checked(_rows.Count * names.Count)];
        for (int r = 0; r < _rows.Count; r++)
        {
            for (int f = 0; f < indices.Length; f++)
            {
                values[r * indices.Length + f] = Number(_rows[r][indices[f]], r, _columns[indices[f]]);
            }
        }
        return new Tensor(values, _rows.Count, names.Count);
    }

    /// <summary>Parses one cell as a finite float32, naming the file, row and column otherwise.</summary>
    internal float Number(string cell, int row, string column)
    {
        if (cell.Length == 0)
        {
            throw new DataFormatException($"{Name}: row {row + 1}, column {Excerpt.Quote(column)}: the cell is empty.");
        }
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new DataFormatException($"{Name}: row {row + 1}, column {Excerpt.Quote(column)}: {Excerpt.Quote(cell)} is not a number.");
        }
        if (!double.IsFinite(value) || !float.IsFinite((float)value))
        {
            throw new DataFormatException($"{Name}: row {row + 1}, column {Excerpt.Quote(column)}: {Excerpt.Bare(cell)} is not a finite float32 value.");
        }
        return (float)value;
    }

    /// <summary>Names joined by ", ", the first 12 and a count when there are more (a 784-pixel header fits no line).</summary>
    internal static string List(IEnumerable<string> names)
    {
        const int shown = 12;
        string[] all = [.. names];
        return all.Length <= shown
            ? string.Join(", ", all)
            : string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", all.Take(shown))}, … ({all.Length} in all)");
    }

    private int[] Require(IReadOnlyList<string> names, string? single)
    {
        int[] indices = [.. names.Select(IndexOf)];
        string[] missing = [.. names.Where((_, i) => indices[i] < 0)];
        if (missing.Length > 0)
        {
            string what = single is null ? "the model needs" : "needed";
            throw new DataFormatException(
                $"{Name}: no column{(missing.Length > 1 ? "s" : string.Empty)} {List(missing.Select(Excerpt.Quote))} ({what}: {List(names.Select(Excerpt.Bare))}). Columns: {List(_columns.Select(Excerpt.Bare))}.");
        }
        return indices;
    }
}
