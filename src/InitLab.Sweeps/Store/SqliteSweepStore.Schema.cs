using System.Globalization;
using Microsoft.Data.Sqlite;

namespace InitLab.Sweeps.Store;

/// <summary>The schema and its migrations.</summary>
public sealed partial class SqliteSweepStore
{
    /// <summary>The schema version this code writes; a store with a higher one is refused, a lower one migrated.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Migrations[v] takes a store from version v to v + 1 (index 0 creates an empty store). Append, never edit.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version (version) VALUES (0);
        CREATE TABLE sweeps (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            definition_json TEXT NOT NULL,
            created_ms INTEGER NOT NULL);
        CREATE TABLE trials (
            id INTEGER PRIMARY KEY,
            sweep_id INTEGER NOT NULL REFERENCES sweeps (id),
            config_hash TEXT NOT NULL,
            seed INTEGER NOT NULL,
            settings_json TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
            attempts INTEGER NOT NULL,
            worker TEXT,
            started_ms INTEGER,
            heartbeat_ms INTEGER,
            finished_ms INTEGER,
            error TEXT,
            seconds_bits INTEGER, seconds REAL,
            epochs INTEGER,
            train_loss_bits INTEGER, train_loss REAL,
            train_accuracy_bits INTEGER, train_accuracy REAL,
            test_loss_bits INTEGER, test_loss REAL,
            test_accuracy_bits INTEGER, test_accuracy REAL,
            verdict TEXT,
            verdict_reason TEXT,
            history_json TEXT,
            init_layers_json TEXT,
            UNIQUE (sweep_id, config_hash, seed));
        CREATE INDEX trials_by_status ON trials (sweep_id, status, id);
        """,
    ];

    /// <summary>Brings the file to <see cref="SchemaVersion"/> in one transaction, refusing newer and foreign databases.</summary>
    private void Migrate()
    {
        using SqliteTransaction transaction = BeginWrite();
        long version = StoredVersion(transaction);
        if (version > SchemaVersion)
        {
            throw new SweepStoreException(string.Create(CultureInfo.InvariantCulture,
                $"The sweep store '{Location}' has schema version {version}, newer than this InitLab understands (up to {SchemaVersion}): it was written by a newer InitLab. Use that version, or a new store file."));
        }
        for (long from = version; from < SchemaVersion; from++)
        {
            using SqliteCommand migrate = Command(Migrations[from], transaction);
            migrate.ExecuteNonQuery();
        }
        if (version < SchemaVersion)
        {
            using SqliteCommand stamp = Command("UPDATE schema_version SET version = $version;", transaction);
            stamp.Parameters.AddWithValue("$version", SchemaVersion);
            stamp.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>The stored version: 0 for an empty database; refuses a database with other tables and no version.</summary>
    private long StoredVersion(SqliteTransaction transaction)
    {
        using SqliteCommand tables = Command(
            "SELECT count(*), sum(name = 'schema_version') FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';", transaction);
        using (SqliteDataReader reader = tables.ExecuteReader())
        {
            reader.Read();
            long count = reader.GetInt64(0);
            bool versioned = !reader.IsDBNull(1) && reader.GetInt64(1) > 0;
            if (count == 0)
            {
                return 0;
            }
            if (!versioned)
            {
                throw new SweepStoreException($"'{Location}' is an SQLite database but not a sweep store (it has tables but no schema_version); open a new file or an existing sweep store instead.");
            }
        }
        using SqliteCommand select = Command("SELECT max(version), count(*) FROM schema_version;", transaction);
        using SqliteDataReader row = select.ExecuteReader();
        row.Read();
        if (row.GetInt64(1) != 1)
        {
            throw new SweepStoreException(string.Create(CultureInfo.InvariantCulture,
                $"The sweep store '{Location}' is damaged: its schema_version table has {row.GetInt64(1)} rows instead of 1."));
        }
        return row.GetInt64(0);
    }
}
