namespace InitLab.Sweeps.Store;

/// <summary>A results store that cannot be opened or used as it is (not a store, a newer schema, a broken file), with a
/// message that says which store, what was found and what to do.</summary>
public sealed class SweepStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SweepStoreException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    /// <param name="message">What went wrong, which store, what to do.</param>
    public SweepStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    /// <param name="message">What went wrong, which store, what to do.</param>
    /// <param name="innerException">The driver's error.</param>
    public SweepStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
