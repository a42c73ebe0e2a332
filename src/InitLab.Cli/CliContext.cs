using Spectre.Console;

namespace InitLab.Cli;

/// <summary>What a command writes to, and the process-level settings it honours.</summary>
internal sealed class CliContext(IAnsiConsole console, TextWriter error)
{
    /// <summary>Where tables and results go: standard output, or standard error once <see cref="ReserveStdoutForJson"/> was called.</summary>
    public IAnsiConsole Console { get; private set; } = console;

    /// <summary>Standard error: one-line errors, progress lines and "written to" messages.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>Standard output as a plain writer (JSON written with <c>--json -</c>).</summary>
    public TextWriter Stdout { get; } = console.Profile.Out.Writer;

    /// <summary>Cancelled by Ctrl-C; long commands check it between batches or runs and stop with exit 130.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Whether errors also print their stack trace (<c>--verbose</c>).</summary>
    public bool Verbose { get; set; }

    /// <summary>The width help text is wrapped to.</summary>
    public int HelpWidth { get; init; } = CliApp.RedirectedHelpWidth;

    /// <summary>Whether a live progress display can be drawn (a terminal, not a redirect).</summary>
    public bool Interactive => Console.Profile.Capabilities.Interactive;

    /// <summary>
    /// Sends tables to standard error from now on, for a command asked to write JSON to standard output
    /// (<c>--json -</c>), so that standard output holds nothing but the JSON and can be piped to <c>jq</c>.
    /// </summary>
    public void ReserveStdoutForJson()
    {
        var tables = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Error),
        });
        tables.Profile.Width = Console.Profile.Width;
        Console = tables;
    }
}
