using System.CommandLine;
using InitLab.Cli.Commands;
using Spectre.Console;

namespace InitLab.Cli;

/// <summary>The <c>initlab</c> command tree. Commands parse, call the library, and render; errors become one line on
/// stderr and exit code 2.</summary>
internal static class CliApp
{
    public static int Run(string[] args, IAnsiConsole console, TextWriter error)
    {
        if (!console.Profile.Capabilities.Interactive && console.Profile.Width < 180)
        {
            // Redirected output has no terminal width (Spectre assumes 80); a log file can hold the full table.
            console.Profile.Width = 180;
        }
        var context = new CliContext(console, error);
        var root = new RootCommand(
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
            MeanFieldCommand.Create(context),
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = new AnsiWriter(console), Error = error });
    }
}

/// <summary>What a command writes to.</summary>
/// <param name="Console">Standard output (tables, progress).</param>
/// <param name="Error">Standard error (one-line errors).</param>
internal sealed record CliContext(IAnsiConsole Console, TextWriter Error)
{
    /// <summary>Whether a live progress display can be drawn (a terminal, not a redirect).</summary>
    public bool Interactive => Console.Profile.Capabilities.Interactive;
}

/// <summary>Lets System.CommandLine's help and parse errors go through the same console as everything else.</summary>
internal sealed class AnsiWriter(IAnsiConsole console) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
{
    public override void Write(char value) => console.Profile.Out.Writer.Write(value);

    public override void Write(string? value) => console.Profile.Out.Writer.Write(value);

    public override void WriteLine(string? value) => console.Profile.Out.Writer.WriteLine(value);
}
