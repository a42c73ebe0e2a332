namespace InitLab.Sweeps.Tests.Store.Postgres;

/// <summary>The class's tests need a PostgreSQL server (<see cref="PostgresTestDatabase.Variable"/>); skipped with the reason otherwise.</summary>
public sealed class RequiresPostgresAttribute : SkipClassUnlessAttribute
{
    /// <inheritdoc/>
    public override string? SkipReason => PostgresTestDatabase.ConnectionString is null ? PostgresTestDatabase.SkipReason : null;
}
