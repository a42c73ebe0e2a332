using Npgsql;

namespace InitLab.Sweeps.Store;

/// <summary>The PostgreSQL store's tables, versioned: migration <c>i</c> takes the schema from version <c>i</c> to <c>i + 1</c>.</summary>
/// <remarks>Tables carry an <c>initlab_</c> prefix so the store can share a database (or a schema, via <c>search_path</c>) with
/// other applications. Settings are jsonb so a user can query them in SQL (<c>settings->>'depth'</c>); the seed, a 64-bit
/// unsigned integer, is stored bit for bit in a bigint (values ≥ 2^63 appear negative in SQL, and read back exactly).</remarks>
internal static class PostgresSchema
{
    /// <summary>The version this code reads and writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Key of the transaction-scoped advisory lock that serializes migrations: a job array starts many workers at once,
    /// and concurrent <c>CREATE TABLE IF NOT EXISTS</c> in PostgreSQL can still fail on the catalog's unique index.</summary>
    private const long MigrationLockKey = 0x496E69744C616231; // "InitLab1"

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE initlab_sweeps (
            id              bigserial PRIMARY KEY,
            name            text NOT NULL UNIQUE,
            definition_json text NOT NULL,
            created_utc     timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE initlab_trials (
            id               bigserial PRIMARY KEY,
            sweep_id         bigint NOT NULL REFERENCES initlab_sweeps (id) ON DELETE CASCADE,
            config_hash      text NOT NULL,
            seed             bigint NOT NULL,
            settings         jsonb NOT NULL,
            status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
            attempts         integer NOT NULL DEFAULT 0,
            worker           text,
            started_utc      timestamptz,
            heartbeat_utc    timestamptz,
            finished_utc     timestamptz,
            error            text,
            seconds          double precision,
            epochs           integer,
            train_loss       double precision,
            train_accuracy   double precision,
            test_loss        double precision,
            test_accuracy    double precision,
            verdict          text,
            verdict_reason   text,
            history_json     text,
            init_layers_json text,
            UNIQUE (sweep_id, config_hash, seed)
        );
        CREATE INDEX initlab_trials_claim ON initlab_trials (sweep_id, status, id);
        """,
    ];

    /// <summary>Brings the schema to <see cref="CurrentVersion"/> in one transaction, or refuses a newer one.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="location">The store's description, for the message.</param>
    /// <exception cref="SweepStoreException">The store was written by a newer InitLab.</exception>
    public static void Migrate(NpgsqlConnection connection, string location)
    {
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", MigrationLockKey);
            lockCommand.ExecuteNonQuery();
        }
        using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS initlab_schema_version (version integer NOT NULL)", connection, transaction))
        {
            create.ExecuteNonQuery();
        }
        int version;
        using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM initlab_schema_version", connection, transaction))
        {
            version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        if (version > CurrentVersion)
        {
            throw new SweepStoreException($"The sweep store {location} has schema version {version}, newer than this InitLab " +
                $"understands ({CurrentVersion}). Use a newer InitLab with this store.");
        }
        for (int next = version; next < CurrentVersion; next++)
        {
            using (var migrate = new NpgsqlCommand(Migrations[next], connection, transaction))
            {
                migrate.ExecuteNonQuery();
            }
            using var record = new NpgsqlCommand("DELETE FROM initlab_schema_version; INSERT INTO initlab_schema_version VALUES (@version)", connection, transaction);
            record.Parameters.AddWithValue("version", next + 1);
            record.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
