using InitLab.Sweeps.Store;
using Npgsql;

namespace InitLab.Sweeps.Tests.Store.Postgres;

/// <summary>A private schema in the test server for one test: every store opened through it sees only its own tables
/// (Npgsql's Search Path), so tests run in parallel and never see each other's sweeps; the schema is dropped on dispose.</summary>
public sealed class PostgresTestDatabase : IDisposable
{
    /// <summary>The environment variable with the server's Npgsql connection string.</summary>
    public const string Variable = "INITLAB_TEST_POSTGRES";

    /// <summary>Why PostgreSQL tests are skipped when the variable is not set.</summary>
    public const string SkipReason = $"needs a PostgreSQL server: set {Variable} to a connection string " +
        "(bash scripts/postgres-sweep-test.sh starts a throw-away one and runs these tests)";

    private readonly string schema = "t_" + Guid.NewGuid().ToString("N");

    public PostgresTestDatabase()
    {
        string server = ConnectionString ?? throw new InvalidOperationException(SkipReason);
        Execute(server, $"CREATE SCHEMA {schema}");
        StoreConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
    }

    /// <summary>The server's connection string from the environment, or null.</summary>
    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text ? text : null;

    /// <summary>A connection string to this test's schema.</summary>
    public string StoreConnectionString { get; }

    /// <summary>Opens a store on this test's schema (each call a new store object, as a new worker process would).</summary>
    public PostgresSweepStore OpenStore() => new(StoreConnectionString);

    /// <summary>Runs SQL in this test's schema, for tests that reach behind the store (age a heartbeat, corrupt a row).</summary>
    public void Execute(string sql) => Execute(StoreConnectionString, sql);

    public void Dispose()
    {
        if (ConnectionString is string server)
        {
            Execute(server, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
#pragma warning disable CA2100 // Test-only SQL built from a generated schema name.
        using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }
}
