using InitLab.Sweeps.Store;

namespace InitLab.Sweeps.Tests.Store;

public sealed class SweepStoresTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("initlab-stores-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Open_PlainPathOrSqlitePrefix_SqliteFileThere()
    {
        string plain = Path.Combine(folder, "a.db");
        string prefixed = Path.Combine(folder, "x=1.db");

        using (ISweepStore store = SweepStores.Open(plain))
        {
            Assert.IsType<SqliteSweepStore>(store);
            Assert.Equal(plain, store.Location);
        }
        using (ISweepStore store = SweepStores.Open("sqlite:" + prefixed))
        {
            Assert.IsType<SqliteSweepStore>(store);
            Assert.Equal(prefixed, store.Location);
        }
        Assert.True(File.Exists(plain));
        Assert.True(File.Exists(prefixed));
    }

    [Theory]
    [InlineData("sqlite:runs/a.db", "runs/a.db")]
    [InlineData("sqlite:///tmp/a.db", "/tmp/a.db")]
    [InlineData("SQLITE:Host=x.db", "Host=x.db")]
    [InlineData("runs/a.db", "runs/a.db")]
    [InlineData("postgresql://u@h/d", null)]
    [InlineData("Host=h;Database=d", null)]
    public void SqlitePath_EachForm_PathOrNullForPostgres(string store, string? path)
    {
        Assert.Equal(path, SweepStores.SqlitePath(store));
        Assert.Equal(path is null, SweepStores.IsPostgres(store));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("  ", "empty")]
    [InlineData("sqlite:", "needs a file path")]
    public void Open_NothingToOpen_SaysWhatToGive(string store, string why)
    {
        var error = Assert.Throws<ArgumentException>(() => SweepStores.Open(store));

        Assert.Equal("store", error.ParamName);
        Assert.StartsWith("store:", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnreachablePostgres_StoreErrorWithoutPassword()
    {
        var error = Assert.Throws<SweepStoreException>(() => SweepStores.Open("postgres://alice:hunter2@%2Fno-such-initlab-dir:5/sweeps"));

        Assert.Contains("postgresql://alice@%2Fno-such-initlab-dir:5/sweeps", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
