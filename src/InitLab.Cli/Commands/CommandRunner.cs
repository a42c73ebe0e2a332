namespace InitLab.Cli.Commands;

/// <summary>Runs a command body. Failures are not handled here but by the one top-level handler in
/// <see cref="CliApp.Run"/> (<see cref="Errors.ErrorReport"/>): one line on stderr and a documented exit code.</summary>
internal static class CommandRunner
{
    public const int UsageError = ExitCodes.UsageError;

    public static int Run(CliContext context, Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        context.Cancellation.ThrowIfCancellationRequested();
        return body();
    }
}
