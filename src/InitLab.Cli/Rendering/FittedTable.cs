using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace InitLab.Cli.Rendering;

/// <summary>
/// A table that fits the console width (80 columns included) without ever splitting a number: number columns are
/// right-aligned and never wrapped, text columns shrink and wrap at spaces. When the rounded table cannot fit it is
/// drawn without borders (three columns saved per column); when even that cannot fit, each row becomes a short block
/// of "header value" pairs wrapped between pairs.
/// </summary>
internal sealed class FittedTable
{
    /// <summary>Text columns are kept at least this wide (or as wide as their longest word, if shorter).</summary>
    private const int LongestUnbrokenWord = 16;

    private readonly List<(string Header, bool Number)> _columns = [];
    private readonly List<string[]> _rows = [];

    /// <summary>A title drawn above the table.</summary>
    public string? Title { get; init; }

    /// <summary>Adds text columns (plain text headers).</summary>
    public FittedTable Text(params string[] headers)
    {
        _columns.AddRange(headers.Select(h => (h, false)));
        return this;
    }

    /// <summary>Adds number columns: right-aligned, never wrapped.</summary>
    public FittedTable Numbers(params string[] headers)
    {
        _columns.AddRange(headers.Select(h => (h, true)));
        return this;
    }

    /// <summary>Adds a row of plain text cells.</summary>
    public void AddRow(params string[] cells) => AddMarkupRow([.. cells.Select(Markup.Escape)]);

    /// <summary>Adds a row of Spectre markup cells (e.g. "[green]✓[/]", "[bold]he_normal[/]").</summary>
    public void AddMarkupRow(params string[] cells)
    {
        if (cells.Length != _columns.Count)
        {
            throw new ArgumentException($"FittedTable: a row has {cells.Length} cells but the table has {_columns.Count} columns.", nameof(cells));
        }
        _rows.Add(cells);
    }

    public void Write(IAnsiConsole console)
    {
        int width = console.Profile.Width;
        if (MinimumWidth(compact: false) <= width)
        {
            console.Write(Build(TableBorder.Rounded, compact: false));
        }
        else if (MinimumWidth(compact: true) <= width)
        {
            console.Write(Build(TableBorder.None, compact: true));
        }
        else
        {
            WriteRecords(console, width);
        }
    }

    /// <summary>
    /// The narrowest the table can be drawn without splitting a number: a number column as wide as its header and
    /// widest number (neither wraps), a text column as wide as its longest word up to <see cref="LongestUnbrokenWord"/>
    /// (a longer identifier such as "kaiming_uniform_(nonlinearity='linear')" may fold). Measured here because
    /// Spectre's own measure counts a no-wrap header by its longest word, and then squeezes the text columns instead.
    /// </summary>
    public int MinimumWidth(bool compact)
    {
        int content = 0;
        for (int c = 0; c < _columns.Count; c++)
        {
            var (header, number) = _columns[c];
            var cells = _rows.Select(r => Markup.Remove(r[c]));
            content += number
                ? cells.Append(header).Max(t => t.Length)
                : Math.Min(LongestUnbrokenWord, cells.Append(header).SelectMany(t => t.Split(' ')).Max(w => w.Length));
        }
        // Rounded: "│ " before each column, " │" after the last; compact: two spaces between columns.
        return content + (compact ? 2 * (_columns.Count - 1) : (3 * _columns.Count) + 1);
    }

    private Table Build(TableBorder border, bool compact)
    {
        var table = new Table().Border(border);
        if (Title is not null)
        {
            table.Title(Markup.Escape(Title));
        }
        foreach (var (header, number) in _columns)
        {
            var column = new TableColumn(Markup.Escape(header));
            if (number)
            {
                column.RightAligned().NoWrap();
            }
            if (compact)
            {
                column.Padding(0, 0, 2, 0);
            }
            table.AddColumn(column);
        }
        if (compact)
        {
            table.Columns[^1].Padding(0, 0, 0, 0);
        }
        foreach (string[] row in _rows)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Markup(cell)));
        }
        return table;
    }

    private void WriteRecords(IAnsiConsole console, int width)
    {
        if (Title is not null)
        {
            console.WriteLine(Title);
        }
        foreach (string[] row in _rows)
        {
            console.MarkupLine($"[bold]{row[0]}[/]");
            var line = new StringBuilder("  ");
            for (int i = 1; i < row.Length; i++)
            {
                string value = Markup.Remove(row[i]);
                string pair = _columns[i].Header.Length == 0 ? value : $"{_columns[i].Header} {value}";
                string separator = line.Length > 2 ? " · " : string.Empty;
                if (line.Length > 2 && line.Length + separator.Length + pair.Length > width)
                {
                    console.WriteLine(line.ToString());
                    line.Clear().Append("  ");
                    separator = string.Empty;
                }
                line.Append(separator).Append(pair);
            }
            if (line.Length > 2)
            {
                console.WriteLine(line.ToString());
            }
        }
    }
}
