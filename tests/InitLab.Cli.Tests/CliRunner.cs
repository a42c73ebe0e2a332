using Spectre.Console;

namespace InitLab.Cli.Tests;

/// <summary>Runs the CLI in-process with captured, non-interactive output.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args) => RunWith(200, default, args);

    /// <summary>Runs with a console of <paramref name="width"/> columns and a cancellation token (Ctrl-C).</summary>
    public static (int ExitCode, string Output, string Error) RunWith(int width, CancellationToken cancellation, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        int code = CliApp.Run(args, console, error, cancellation);
        return (code, output.ToString(), error.ToString());
    }
}

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "initlab-cli-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
