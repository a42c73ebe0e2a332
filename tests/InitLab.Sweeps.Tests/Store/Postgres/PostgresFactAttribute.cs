namespace InitLab.Sweeps.Tests.Store.Postgres;

/// <summary>A fact that needs a PostgreSQL server: it runs when <see cref="PostgresTestDatabase.Variable"/> holds a connection
/// string (scripts/postgres-sweep-test.sh starts a throw-away server and sets it), and is skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresTestDatabase.ConnectionString is null)
        {
            Skip = PostgresTestDatabase.SkipReason;
        }
    }
}
