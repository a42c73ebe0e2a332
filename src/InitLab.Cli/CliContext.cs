using Spectre.Console;

namespace InitLab.Cli;

/// <summary>What a command writes to, and the process-level settings it honours.</summary>
/// <param name="Console">Where tables and results go (standard output).</param>
/// <param name="Error">Standard error: one-line errors, warnings, progress and "written to" messages.</param>
internal sealed record CliContext(IAnsiConsole Console, TextWriter Error)
{
    /// <summary>Cancelled by Ctrl-C; long commands check it between batches or runs and stop with exit 130.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Whether errors also print their stack trace (<c>--verbose</c>).</summary>
    public bool Verbose { get; set; }

    /// <summary>The width help text is wrapped to.</summary>
    public int HelpWidth { get; init; } = CliApp.RedirectedHelpWidth;

    /// <summary>Standard output as a plain writer, for data written with <c>--json -</c>.</summary>
    public TextWriter Stdout => Console.Profile.Out.Writer;

    /// <summary>Whether a live progress display can be drawn (a terminal, not a redirect).</summary>
    public bool Interactive => Console.Profile.Capabilities.Interactive;

    /// <summary>
    /// A context whose tables go to standard error, for commands asked to write JSON to standard output
    /// (<c>--json -</c>), so that standard output holds nothing but the JSON.
    /// </summary>
    public CliContext WithTablesOnStderr()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Error),
        });
        console.Profile.Width = Console.Profile.Width;
        return this with { Console = console, JsonOutput = Stdout };
    }

    /// <summary>Where <c>--json -</c> writes (standard output, kept even when tables move to standard error).</summary>
    public TextWriter? JsonOutput { get; init; }
}
