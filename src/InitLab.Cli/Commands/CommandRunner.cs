namespace InitLab.Cli.Commands;

/// <summary>Runs a command body. Failures are not handled here but by the one top-level handler in
/// <see cref="CliApp.Run"/> (<see cref="Errors.ErrorReport"/>): one line on stderr and a documented exit code.</summary>
internal static class CommandRunner
{
    public const int UsageError = ExitCodes.UsageError;

    /// <summary>The message without .NET's " (Parameter 'x')" and "Actual value was" tails, which repeat what it already says.</summary>
    public static string Describe(Exception ex)
    {
        string message = ex.Message;
        if (ex is ArgumentException { ParamName: string name })
        {
            message = message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal);
        }
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline > 0 ? message[..newline].TrimEnd() : message;
    }

    public static int Run(CliContext context, Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        context.Cancellation.ThrowIfCancellationRequested();
        return body();
    }
}

/// <summary>A flag with a value that is out of range: the message names the flag, the value and what is valid.</summary>
internal sealed class CliUsageException(string message) : Exception(message)
{
    public CliUsageException()
        : this("Invalid usage.")
    {
    }

    public CliUsageException(string message, Exception innerException)
        : this(message + " " + innerException?.Message)
    {
    }
}
