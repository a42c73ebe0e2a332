namespace InitLab.Cli.Errors;

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
