using System.Text.RegularExpressions;

namespace InitLab.Cli.Tests.Docs;

/// <summary>
/// One command line of a Markdown page: a line of a ```bash (or sh, shell) block, with its continuation lines (ending
/// in '\') joined. <see cref="ExpectedExitCode"/> is 0 unless the line ends with a comment saying "exit N" (a page that
/// shows an error on purpose).
/// </summary>
/// <param name="Page">The page, relative to the repository root.</param>
/// <param name="LineNumber">The line of the page the command starts on (1-based).</param>
/// <param name="Text">The command as a user would paste it.</param>
internal sealed partial record DocumentedCommand(string Page, int LineNumber, string Text)
{
    /// <summary>The exit code the page promises: the N of a trailing "# … exit N" comment, else 0.</summary>
    public int ExpectedExitCode => ExitComment().Match(Text) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>Where the command is, for messages: <c>docs/sweeps.md:42</c>.</summary>
    public string Where => $"{Page}:{LineNumber}";

    /// <summary>Every command line of a page, in order.</summary>
    /// <param name="root">The repository root.</param>
    /// <param name="page">The page, relative to <paramref name="root"/>.</param>
    /// <returns>The commands (comment-only and blank lines dropped).</returns>
    public static List<DocumentedCommand> Read(string root, string page)
    {
        string[] lines = File.ReadAllLines(Path.Combine(root, page));
        var commands = new List<DocumentedCommand>();
        bool inShell = false, inOther = false;
        string? pending = null;
        int pendingLine = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (inShell || inOther)
                {
                    inShell = inOther = false;
                }
                else
                {
                    string language = line.Trim()[3..].Trim();
                    inShell = language is "bash" or "sh" or "shell";
                    inOther = !inShell;
                }
                continue;
            }
            if (!inShell)
            {
                continue;
            }
            string text = pending is null ? line.Trim() : pending + " " + line.Trim();
            if (pending is null)
            {
                pendingLine = i + 1;
            }
            if (text.EndsWith('\\'))
            {
                pending = text[..^1].TrimEnd();
                continue;
            }
            pending = null;
            if (text.Length > 0 && !text.StartsWith('#'))
            {
                commands.Add(new DocumentedCommand(page, pendingLine, text));
            }
        }
        return commands;
    }

    [GeneratedRegex(@"#.*\bexit (\d+)\b")]
    private static partial Regex ExitComment();
}
