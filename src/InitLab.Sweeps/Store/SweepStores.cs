namespace InitLab.Sweeps.Store;

/// <summary>Opens the store that a store value names: an SQLite file for one machine, PostgreSQL for many.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>postgresql://user@host:port/database</c> or <c>postgres://…</c> (libpq's URI; <c>?host=/dir</c> for a Unix socket)
/// → <see cref="PostgresSweepStore"/>.</item>
/// <item>An Npgsql key=value string (<c>Host=db;Username=alice;Database=sweeps</c>) → <see cref="PostgresSweepStore"/>.</item>
/// <item><c>sqlite:PATH</c> (also <c>sqlite:///abs/path</c>), or any other text, a file path → <see cref="SqliteSweepStore"/>.
/// The prefix is for the rare path that looks like a key=value string.</item>
/// </list>
/// Passwords belong in PGPASSWORD or ~/.pgpass; one given in the text is used but never shown (<see cref="ISweepStore.Location"/>
/// leaves it out).
/// </remarks>
public static class SweepStores
{
    private const string SqlitePrefix = "sqlite:";

    /// <summary>Whether the value names a PostgreSQL store (shared by machines) rather than an SQLite file.</summary>
    /// <param name="store">The store value.</param>
    /// <returns>True for a PostgreSQL URI or key=value string.</returns>
    public static bool IsPostgres(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return !store.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase) && PostgresConnectionString.IsPostgres(store);
    }

    /// <summary>The SQLite file a value names, or null when it names PostgreSQL.</summary>
    /// <param name="store">The store value.</param>
    /// <returns>The path as given (prefix removed), or null.</returns>
    public static string? SqlitePath(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            string path = store[SqlitePrefix.Length..];
            // sqlite:///abs/path is the URI spelling of /abs/path.
            return path.StartsWith("///", StringComparison.Ordinal) ? path[2..] : path;
        }
        return PostgresConnectionString.IsPostgres(store) ? null : store;
    }

    /// <summary>The value as messages may show it: a path as given, a PostgreSQL store as a URI without its password.</summary>
    /// <param name="store">The store value.</param>
    /// <returns>Text safe to print.</returns>
    public static string Describe(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (SqlitePath(store) is string path)
        {
            return path;
        }
        try
        {
            return PostgresConnectionString.Describe(PostgresConnectionString.Parse(store));
        }
        catch (ArgumentException)
        {
            return "(a malformed PostgreSQL connection string)";
        }
    }

    /// <summary>A PostgreSQL value as an Npgsql key=value string without its password, to hand to other processes (a Slurm
    /// script, a Kubernetes manifest) that take the password from PGPASSWORD or ~/.pgpass instead.</summary>
    /// <param name="store">A PostgreSQL store value.</param>
    /// <returns>The connection string without the password, and whether there was one to remove.</returns>
    /// <exception cref="ArgumentException">Not a PostgreSQL value, or malformed.</exception>
    public static (string ConnectionString, bool HadPassword) WithoutPassword(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!IsPostgres(store))
        {
            throw new ArgumentException($"store: '{store}' is not a PostgreSQL store; give a postgresql:// URI or a Host=…;Database=… string.", nameof(store));
        }
        Npgsql.NpgsqlConnectionStringBuilder settings = PostgresConnectionString.Parse(store);
        bool had = !string.IsNullOrEmpty(settings.Password);
        settings.Remove("Password");
        return (settings.ConnectionString, had);
    }

    /// <summary>Opens (creating if needed) the store the value names.</summary>
    /// <param name="store">The store value.</param>
    /// <returns>The open store; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The value is empty or a malformed connection string (<see cref="ArgumentException.ParamName"/>
    /// is <c>store</c>, the message starts with <c>store:</c> and never contains a password).</exception>
    /// <exception cref="SweepStoreException">The store cannot be opened (no server, not a sweep store, a newer schema, a folder
    /// or a missing folder for an SQLite file); a message about the value itself starts with <c>store:</c>.</exception>
    public static ISweepStore Open(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (string.IsNullOrWhiteSpace(store))
        {
            throw new ArgumentException("store: empty. Give an SQLite file (sweep.db) or a PostgreSQL URI (postgresql://user@host:5432/database).",
                nameof(store));
        }
        if (SqlitePath(store) is string path)
        {
            if (path.Length == 0)
            {
                throw new ArgumentException("store: 'sqlite:' needs a file path after it, e.g. sqlite:runs/sweep.db.", nameof(store));
            }
            if (Directory.Exists(path))
            {
                throw new SweepStoreException($"store: '{path}' is a folder; give an SQLite file name (e.g. {Path.Combine(path, "sweep.db")}).");
            }
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null && !Directory.Exists(folder))
            {
                throw new SweepStoreException($"store: the folder '{folder}' does not exist; create it first or choose another path.");
            }
            return new SqliteSweepStore(path);
        }
        return new PostgresSweepStore(store);
    }
}
