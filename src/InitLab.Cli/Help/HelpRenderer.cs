using System.CommandLine;
using System.CommandLine.Help;
using System.Text;

namespace InitLab.Cli.Help;

/// <summary>
/// Writes a command's help as plain text wrapped to a width: usage, description, one option per line, the examples
/// block as written (a long example continues on the next line after a " \"), and the exit codes.
/// </summary>
/// <remarks>
/// System.CommandLine's own help builder only wraps to <see cref="Console.WindowWidth"/>, never wraps a redirected
/// stream, and would re-flow the examples (which live in the command description after "Examples:") into prose.
/// </remarks>
internal static class HelpRenderer
{
    /// <summary>The marker that starts the examples block inside a command description.</summary>
    public const string ExamplesMarker = "Examples:";

    private const int Indent = 2;
    private const int Gutter = 2;
    private const int MinimumWidth = 40;

    /// <summary>Flags that take a path or a list, named for what to type rather than after the flag.</summary>
    private static readonly Dictionary<string, string> PathPlaceholders = new(StringComparer.Ordinal)
    {
        ["--save"] = "file",
        ["--model"] = "file",
        ["--json"] = "file|-",
        ["--export-npy"] = "folder",
        ["--layers"] = "widths",
        ["--shape"] = "dims",
    };

    public static string Render(Command command, string commandPath, IReadOnlyList<Option> inheritedOptions, int width)
    {
        width = Math.Max(width, MinimumWidth);
        var text = new StringBuilder();
        var (description, examples) = SplitDescription(command.Description);
        bool hasSubcommands = command.Subcommands.Count > 0;
        text.AppendLine(hasSubcommands ? $"Usage: {commandPath} <command> [options]" : $"Usage: {commandPath} [options]");
        if (description.Length > 0)
        {
            text.AppendLine();
            foreach (string paragraph in description.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                foreach (string line in TextWrap.Wrap(paragraph.Replace('\n', ' '), width))
                {
                    text.AppendLine(line);
                }
            }
        }
        if (hasSubcommands)
        {
            text.AppendLine().AppendLine("Commands:");
            AppendRows(text, [.. command.Subcommands.Where(c => !c.Hidden).Select(c => (c.Name, FirstSentence(c.Description)))], width);
        }
        var options = command.Options.Concat(inheritedOptions).Where(o => !o.Hidden).Distinct().ToList();
        if (options.Count > 0)
        {
            text.AppendLine().AppendLine("Options:");
            AppendRows(text, [.. options.Select(o => (Label(o), OptionDescription(o)))], width);
        }
        if (examples.Count > 0)
        {
            text.AppendLine().AppendLine(ExamplesMarker);
            foreach (string example in examples)
            {
                foreach (string line in TextWrap.WrapCommand(example, width, Indent))
                {
                    text.AppendLine(line);
                }
            }
        }
        text.AppendLine();
        foreach (string line in TextWrap.Wrap(ExitCodes.Summary, width))
        {
            text.AppendLine(line);
        }
        return text.ToString();
    }

    /// <summary>"-e, --epochs &lt;n&gt;": the aliases, short ones first, and a placeholder for the value.</summary>
    public static string Label(Option option)
    {
        if (option is HelpOption)
        {
            return "-h, --help";
        }
        var names = option.Aliases.Append(option.Name).Distinct().OrderBy(n => n.StartsWith("--", StringComparison.Ordinal) ? 1 : 0)
            .ThenBy(n => n == option.Name ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal);
        string label = string.Join(", ", names);
        return option.Arity.MaximumNumberOfValues == 0 || option.ValueType == typeof(bool) ? label : $"{label} <{Placeholder(option)}>";
    }

    /// <summary>What a value of the option looks like: its help name, else a word for its type.</summary>
    public static string Placeholder(Option option)
    {
        if (!string.IsNullOrEmpty(option.HelpName))
        {
            return option.HelpName;
        }
        if (PathPlaceholders.TryGetValue(option.Name, out string? path))
        {
            return path;
        }
        Type type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        return type == typeof(int) || type == typeof(long) || type == typeof(ulong) ? "n"
            : type == typeof(double) || type == typeof(float) ? "x"
            : option.Name.TrimStart('-');
    }

    private static string OptionDescription(Option option)
    {
        if (option is HelpOption)
        {
            return "show this help";
        }
        if (option is VersionOption)
        {
            return "show the version";
        }
        var description = new StringBuilder(option.Description ?? string.Empty);
        if (option.Required)
        {
            description.Append(" (required)");
        }
        else if (option.HasDefaultValue && option.ValueType != typeof(bool) && DefaultText(option) is string value)
        {
            description.Append(" [default: ").Append(value).Append(']');
        }
        if (option.Arity.MaximumNumberOfValues > 1 && !description.ToString().Contains("repeatable", StringComparison.Ordinal))
        {
            description.Append(" (repeatable)");
        }
        return description.ToString();
    }

    private static string? DefaultText(Option option)
    {
        object? value = option.GetDefaultValue();
        return value switch
        {
            null => null,
            string s when s.Length == 0 => null,
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }

    private static void AppendRows(StringBuilder text, IReadOnlyList<(string Label, string Description)> rows, int width)
    {
        // The label column is as wide as the longest label that fits in about a third of the width; longer labels
        // put their description on the next line, so one long flag does not squeeze every description.
        int cap = Math.Max(12, width / 3);
        int column = Indent + Math.Min(cap, rows.Max(r => r.Label.Length)) + Gutter;
        int descriptionWidth = width - column;
        foreach (var (label, description) in rows)
        {
            var lines = TextWrap.Wrap(description, descriptionWidth);
            string first = new string(' ', Indent) + label;
            if (first.Length + Gutter > column && lines.Count > 0)
            {
                text.AppendLine(first);
                first = string.Empty;
            }
            if (lines.Count == 0)
            {
                text.AppendLine(first);
                continue;
            }
            text.Append(first.PadRight(column)).AppendLine(lines[0]);
            foreach (string line in lines.Skip(1))
            {
                text.Append(' ', column).AppendLine(line);
            }
        }
    }

    private static (string Description, IReadOnlyList<string> Examples) SplitDescription(string? description)
    {
        description = (description ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal);
        int marker = description.IndexOf(ExamplesMarker, StringComparison.Ordinal);
        if (marker < 0)
        {
            return (description.Trim(), []);
        }
        var examples = description[(marker + ExamplesMarker.Length)..].Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return (description[..marker].Trim(), examples);
    }

    /// <summary>The first sentence of a description, for the one-line list of commands. A sentence ends at a period
    /// followed by a space and a capital letter, so "Poole et al. 2016" or "e.g. He init" does not cut it short.</summary>
    internal static string FirstSentence(string? description)
    {
        string text = (description ?? string.Empty).Split("\n\n")[0].Replace('\n', ' ');
        for (int stop = text.IndexOf(". ", StringComparison.Ordinal); stop > 0; stop = text.IndexOf(". ", stop + 1, StringComparison.Ordinal))
        {
            if (stop + 2 < text.Length && char.IsUpper(text[stop + 2]) && !EndsWithAbbreviation(text.AsSpan(0, stop)))
            {
                return text[..(stop + 1)];
            }
        }
        return text;
    }

    private static bool EndsWithAbbreviation(ReadOnlySpan<char> text) =>
        text.EndsWith(" al", StringComparison.Ordinal) || text.EndsWith("e.g", StringComparison.Ordinal) ||
        text.EndsWith("i.e", StringComparison.Ordinal) || text.EndsWith(" vs", StringComparison.Ordinal) ||
        text.EndsWith(" cf", StringComparison.Ordinal);
}
