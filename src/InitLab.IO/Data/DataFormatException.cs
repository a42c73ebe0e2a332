namespace InitLab.Data;

/// <summary>A data file that cannot be used as it is: the message names the file, the row and the column.</summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>The loader parameter whose value the problem is about, when one is (<c>labelColumn</c> for a label column
    /// that is missing or cannot hold classes, <c>task</c> when only an explicit task would read the file), as
    /// <see cref="ArgumentException.ParamName"/> names it for a bad argument; null for a problem of the file alone.</summary>
    public string? ParamName { get; init; }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    public DataFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public DataFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an empty exception.</summary>
    public DataFormatException()
    {
    }
}
