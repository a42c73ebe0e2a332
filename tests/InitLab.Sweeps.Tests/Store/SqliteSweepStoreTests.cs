using InitLab.Sweeps.Store;
using Microsoft.Data.Sqlite;

namespace InitLab.Sweeps.Tests.Store;

/// <summary>The store contract on SQLite, plus what only the SQLite store has (file, WAL, schema versions).</summary>
public sealed class SqliteSweepStoreTests : SweepStoreContractTests, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("initlab-sweepstore-").FullName;

    private string DatabasePath => Path.Combine(folder, "sweep.db");

    protected override ISweepStore CreateStore() => new SqliteSweepStore(DatabasePath);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private void RunSql(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? QuerySql(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public void Open_NewFile_WalModeSchemaVersionOneIntegrityOk()
    {
        using (var store = new SqliteSweepStore(DatabasePath))
        {
            Assert.Equal("ok", store.IntegrityCheck());
            Assert.Equal(Path.GetFullPath(DatabasePath), store.Location);
        }

        Assert.Equal("wal", QuerySql("PRAGMA journal_mode;"));
        Assert.Equal(1L, QuerySql("SELECT version FROM schema_version;"));
        Assert.Equal(1, SqliteSweepStore.SchemaVersion);
    }

    [Fact]
    public void Open_ExistingStore_KeepsItsData()
    {
        using (var store = new SqliteSweepStore(DatabasePath))
        {
            long sweep = store.EnsureSweep("s", "{}").Id;
            store.AddTrials(sweep, [new TrialSpec(new Dictionary<string, string> { ["depth"] = "3" }, 1)]);
        }

        using var reopened = new SqliteSweepStore(DatabasePath);
        Assert.Single(reopened.Trials(reopened.FindSweep("s")!.Id));
        Assert.Equal(1L, QuerySql("SELECT count(*) FROM schema_version;"));
    }

    [Fact]
    public void Open_FutureSchemaVersion_RefusedNamingBothVersions()
    {
        new SqliteSweepStore(DatabasePath).Dispose();
        RunSql("UPDATE schema_version SET version = 7;");

        var error = Assert.Throws<SweepStoreException>(() => new SqliteSweepStore(DatabasePath));

        Assert.Contains("schema version 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("up to 1", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(DatabasePath), error.Message, StringComparison.Ordinal);
        Assert.Equal(7L, QuerySql("SELECT version FROM schema_version;"));
    }

    [Fact]
    public void Open_ForeignSqliteDatabase_RefusedAndLeftAlone()
    {
        RunSql("CREATE TABLE customers (id INTEGER);");

        var error = Assert.Throws<SweepStoreException>(() => new SqliteSweepStore(DatabasePath));

        Assert.Contains("not a sweep store", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, QuerySql("SELECT count(*) FROM sqlite_master WHERE name = 'trials';"));
    }

    [Fact]
    public void Open_TextFile_RefusedWithTheSqliteReason()
    {
        File.WriteAllText(DatabasePath, "depth,accuracy\n2,0.9\n".PadRight(4096, '#'));

        var error = Assert.Throws<SweepStoreException>(() => new SqliteSweepStore(DatabasePath));

        Assert.Contains("Cannot open", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a database", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("depth,accuracy", File.ReadAllText(DatabasePath), StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_NaN_ReadableColumnIsNullBitsColumnKeepsIt()
    {
        using var store = new SqliteSweepStore(DatabasePath);
        long sweep = store.EnsureSweep("s", "{}").Id;
        store.AddTrials(sweep, [new TrialSpec(new Dictionary<string, string> { ["depth"] = "3" }, 1)]);
        TrialRecord claimed = store.Claim(sweep, "w", TimeSpan.FromHours(1), 3)!;
        store.Complete(claimed.Id, "w", 1, new TrialResult(2.5, 1, double.NaN, 0.5, 1, 0.5, "diverged", "nan", "[]", "[]"));

        Assert.Equal(DBNull.Value, QuerySql("SELECT train_loss FROM trials;"));
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.NaN), QuerySql("SELECT train_loss_bits FROM trials;"));
        Assert.Equal(2.5, QuerySql("SELECT seconds FROM trials;"));
    }
}
