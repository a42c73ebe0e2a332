namespace InitLab.Cli.Errors;

/// <summary>An exception's message as the one line <c>initlab</c> prints: shared by the top-level handler
/// (<see cref="ErrorReport"/>), commands that wrap a message in their own, and reports that quote one.</summary>
internal static class ExceptionText
{
    /// <summary>The message without .NET's " (Parameter 'x')" and "Actual value was" tails, which repeat what it already says.</summary>
    public static string OneLine(Exception ex)
    {
        string message = ex.Message;
        if (ex is ArgumentException { ParamName: string name })
        {
            message = message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal);
        }
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline > 0 ? message[..newline].TrimEnd() : message;
    }
}
