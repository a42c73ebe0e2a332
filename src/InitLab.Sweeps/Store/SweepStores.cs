namespace InitLab.Sweeps.Store;

/// <summary>Opens the store a <c>--store</c> value names.</summary>
public static class SweepStores
{
    /// <summary>Opens a store: a file path is an SQLite store (created if missing).</summary>
    /// <param name="location">What <c>--store</c> was given.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="SweepStoreException">It cannot be opened as a store.</exception>
    public static ISweepStore Open(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            throw new SweepStoreException("--store: PostgreSQL stores are not built into this version yet; give an SQLite file name (e.g. sweep.db).");
        }
        if (Directory.Exists(location))
        {
            throw new SweepStoreException($"--store: '{location}' is a folder; give an SQLite file name (e.g. {Path.Combine(location, "sweep.db")}).");
        }
        string? folder = Path.GetDirectoryName(Path.GetFullPath(location));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new SweepStoreException($"--store: the folder '{folder}' does not exist; create it first or choose another path.");
        }
        return new SqliteSweepStore(location);
    }
}
