namespace InitLab.Common;

/// <summary>A name (activation, loss, optimizer, initializer, …) that is not in its registry.</summary>
public sealed class UnknownNameException : ArgumentException
{
    /// <summary>Creates the exception with the standard "did you mean" message.</summary>
    /// <param name="kind">What was looked up.</param>
    /// <param name="name">What was typed.</param>
    /// <param name="valid">The valid names.</param>
    /// <param name="paramName">The argument that carried the name.</param>
    public UnknownNameException(string kind, string name, IEnumerable<string> valid, string? paramName = null)
        : base(NameLookup.UnknownMessage(kind, name, valid), paramName)
    {
        Name = name;
        Suggestion = NameLookup.Nearest(name, valid);
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public UnknownNameException(string message)
        : base(message)
    {
        Name = string.Empty;
    }

    /// <summary>Creates an empty exception.</summary>
    public UnknownNameException()
        : this("Unknown name.")
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public UnknownNameException(string message, Exception innerException)
        : base(message, innerException)
    {
        Name = string.Empty;
    }

    /// <summary>The unknown name.</summary>
    public string Name { get; }

    /// <summary>The nearest valid name, if any is close.</summary>
    public string? Suggestion { get; }
}
