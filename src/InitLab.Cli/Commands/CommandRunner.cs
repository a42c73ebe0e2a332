using InitLab.Common;
using InitLab.Data;
using InitLab.Persistence;
using InitLab.Training;

namespace InitLab.Cli.Commands;

/// <summary>Runs a command body and turns the library's bad-input exceptions into one clear line and exit code 2.</summary>
internal static class CommandRunner
{
    public const int UsageError = 2;

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
        try
        {
            return body();
        }
        catch (Exception ex) when (ex is CliUsageException or ArgumentException or DataFormatException or FileNotFoundException
            or DirectoryNotFoundException or ModelFormatException or TrainingDivergedException or UnknownNameException or InvalidOperationException)
        {
            context.Error.WriteLine($"error: {Describe(ex)}");
            return UsageError;
        }
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
