using System.CommandLine;
using System.CommandLine.Help;
using InitLab.Cli.Commands;
using InitLab.Cli.Errors;
using InitLab.Cli.Help;
using Spectre.Console;

namespace InitLab.Cli;

/// <summary>
/// The <c>initlab</c> command tree and its one top-level handler: help is ours (<see cref="HelpRenderer"/>), a parse
/// error is one line plus where to find the help (exit 2), and any exception a command throws becomes one line on
/// stderr with the exit code of <see cref="ErrorReport"/> (the stack trace only with --verbose).
/// </summary>
internal static class CliApp
{
    /// <summary>Help is wrapped to this width when the output is not a terminal.</summary>
    public const int RedirectedHelpWidth = 80;

    public static int Run(string[] args, IAnsiConsole console, TextWriter error, CancellationToken cancellation = default)
    {
        // Help reads best at 80 columns in a file or pipe; tables use the console's width as given (Program.cs widens it
        // for a redirect).
        int helpWidth = console.Profile.Capabilities.Interactive ? console.Profile.Width : Math.Min(console.Profile.Width, RedirectedHelpWidth);
        var context = new CliContext(console, error) { Cancellation = cancellation, HelpWidth = helpWidth };
        var (root, inherited) = Build(context);
        string? command = null;

        try
        {
            ParseResult result = root.Parse(args);
            command = ParseErrorMessage.CommandPath(result);
            context.Verbose = args.Contains("--verbose", StringComparer.Ordinal);
            if (args.Length == 0)
            {
                console.Profile.Out.Writer.Write(HelpRenderer.Render(root, "initlab", inherited, helpWidth));
                return ExitCodes.Success;
            }
            if (result.Errors.Count > 0 && result.Action is not HelpCommandAction)
            {
                error.WriteLine($"error: {ParseErrorMessage.Describe(result, inherited)}");
                error.WriteLine($"see `{ParseErrorMessage.CommandPath(result)} --help`");
                return ExitCodes.UsageError;
            }
            return result.Invoke(new InvocationConfiguration
            {
                Output = console.Profile.Out.Writer,
                Error = error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
#pragma warning disable CA1031 // The one place that turns every failure into a line and an exit code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ErrorReport.Report(ex, error, context.Verbose || args.Contains("--verbose", StringComparer.Ordinal), command);
        }
    }

    /// <summary>The command tree wired as <see cref="Run"/> uses it: --verbose on every command, our help, our value parsers.</summary>
    /// <returns>The root and the options every command inherits from it (help, --verbose).</returns>
    public static (RootCommand Root, IReadOnlyList<Option> Inherited) Build(CliContext context)
    {
        RootCommand root = Create(context);
        root.Options.Add(new Option<bool>("--verbose") { Description = "on an error, also print the stack trace", Recursive = true });
        var inherited = root.Options.Where(o => o.Recursive).ToList();
        foreach (HelpOption help in root.Options.OfType<HelpOption>())
        {
            help.Action = new HelpCommandAction(context, inherited);
        }
        ValueParsers.Attach(root);
        return (root, inherited);
    }

    /// <summary>The command tree alone (without the wiring of <see cref="Build"/>).</summary>
    public static RootCommand Create(CliContext context) => new(
        "InitLab — see why zero or constant weights never train, watch gradients vanish and explode, and use Keras- and " +
        "PyTorch-exact initializers, on a real training engine.\n\n" +
        "Examples:\n" +
        "  initlab practicals --quick\n" +
        "  initlab train --data moons --layers 2,32,32,1 --activation relu --init he_normal\n" +
        "  initlab init --name he_normal --shape 784,256 --out w.npy\n" +
        "  initlab inits")
    {
        TrainCommand.Create(context),
        InitCommand.Create(context),
        InitsCommand.Create(context),
        PracticalsCommand.Create(context),
        DiagnoseCommand.Create(context),
        BenchCommand.Create(context),
        PredictCommand.Create(context),
        EvaluateCommand.Create(context),
        MeanFieldCommand.Create(context),
        ExportCommand.Create(context),
        ImportCommand.Create(context),
        SweepCommand.Create(context),
    };
}
