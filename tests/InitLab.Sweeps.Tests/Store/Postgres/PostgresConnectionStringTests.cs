using InitLab.Sweeps.Store;
using Npgsql;

namespace InitLab.Sweeps.Tests.Store.Postgres;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void Parse_FullUri_SetsEveryPart()
    {
        NpgsqlConnectionStringBuilder settings = PostgresConnectionString.Parse("postgresql://alice:s%40cret@db.example:6543/sweeps");

        Assert.Equal("alice", settings.Username);
        Assert.Equal("s@cret", settings.Password);
        Assert.Equal("db.example", settings.Host);
        Assert.Equal(6543, settings.Port);
        Assert.Equal("sweeps", settings.Database);
    }

    [Fact]
    public void Parse_PostgresSchemeWithoutPort_KeepsNpgsqlDefaultPort()
    {
        NpgsqlConnectionStringBuilder settings = PostgresConnectionString.Parse("postgres://bob@localhost/lab");

        Assert.Equal("localhost", settings.Host);
        Assert.Equal(5432, settings.Port);
        Assert.Equal("lab", settings.Database);
        Assert.Null(settings.Password);
    }

    [Theory]
    [InlineData("postgresql://initlab@%2Ftmp%2Fpg.abc:41234/sweeps")]
    [InlineData("postgresql://initlab@:41234/sweeps?host=%2Ftmp%2Fpg.abc")]
    public void Parse_SocketDirectory_EncodedInHostOrQuery(string uri)
    {
        NpgsqlConnectionStringBuilder settings = PostgresConnectionString.Parse(uri);

        Assert.Equal("/tmp/pg.abc", settings.Host);
        Assert.Equal(41234, settings.Port);
    }

    [Fact]
    public void Parse_Ipv6HostAndQueryParameters_Mapped()
    {
        NpgsqlConnectionStringBuilder settings = PostgresConnectionString.Parse(
            "postgresql://u@[::1]:5433/d?sslmode=verify-full&application_name=shard7&search_path=lab");

        Assert.Equal("::1", settings.Host);
        Assert.Equal(5433, settings.Port);
        Assert.Equal(SslMode.VerifyFull, settings.SslMode);
        Assert.Equal("shard7", settings.ApplicationName);
        Assert.Equal("lab", settings.SearchPath);
    }

    [Fact]
    public void Parse_UnknownQueryParameter_NamesItAndListsValid()
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresConnectionString.Parse("postgresql://u@h/d?sslmod=require"));

        Assert.Contains("'sslmod'", error.Message, StringComparison.Ordinal);
        Assert.Contains("sslmode", error.Message, StringComparison.Ordinal);
        Assert.Equal("store", error.ParamName);
        Assert.StartsWith("store:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://u@h:0/d")]
    [InlineData("postgresql://u@h:70000/d")]
    [InlineData("postgresql://u@h:54x/d")]
    public void Parse_BadPort_SaysValidRange(string uri)
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresConnectionString.Parse(uri));

        Assert.Contains("1..65535", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadKeyValueString_SuggestsTheForms()
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresConnectionString.Parse("Hots=db;Username=u"));

        Assert.Contains("sqlite:", error.Message, StringComparison.Ordinal);
        Assert.Contains("postgresql://", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://alice:hunter2@db:5432/sweeps")]
    [InlineData("postgresql://alice@db:5432/sweeps?password=hunter2")]
    [InlineData("Host=db;Username=alice;Password=hunter2;Database=sweeps")]
    public void Describe_AnyForm_NeverShowsThePassword(string text)
    {
        string shown = PostgresConnectionString.Describe(PostgresConnectionString.Parse(text));

        Assert.Equal("postgresql://alice@db:5432/sweeps", shown);
        Assert.DoesNotContain("hunter2", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_SocketDirectory_PercentEncodedAndParsesBack()
    {
        string shown = PostgresConnectionString.Describe(PostgresConnectionString.Parse("Host=/tmp/pg.x;Port=41000;Username=i;Database=s"));

        Assert.Equal("postgresql://i@%2Ftmp%2Fpg.x:41000/s", shown);
        Assert.Equal("/tmp/pg.x", PostgresConnectionString.Parse(shown).Host);
    }

    [Theory]
    [InlineData("postgresql://u@h/d", true)]
    [InlineData("POSTGRES://u@h/d", true)]
    [InlineData("Host=h;Username=u", true)]
    [InlineData("Server = h; User Id = u", true)]
    [InlineData("sweep.db", false)]
    [InlineData("/data/runs/sweep.db", false)]
    [InlineData("sqlite:/data/a=b.db", false)]
    [InlineData("./x=1/sweep.db", false)]
    public void IsPostgres_TellsUrisAndKeyValueFromPaths(string text, bool expected) =>
        Assert.Equal(expected, PostgresConnectionString.IsPostgres(text));
}
