using InitLab.Sweeps.Store;

namespace InitLab.Sweeps.Tests.Store.Postgres;

/// <summary>The store contract (<see cref="SweepStoreContractTests"/>) on PostgreSQL: each test gets its own schema in the
/// test server, and every <see cref="CreateStore"/> call a new store object (its own connection pool), as a new worker
/// process would have.</summary>
[RequiresPostgres]
public sealed class PostgresSweepStoreContractTests : SweepStoreContractTests, IDisposable
{
    private readonly PostgresTestDatabase database = new();

    protected override ISweepStore CreateStore() => database.OpenStore();

    public void Dispose() => database.Dispose();
}
