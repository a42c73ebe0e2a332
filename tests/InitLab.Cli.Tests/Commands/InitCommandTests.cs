using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using InitLab.Cli.Rendering;
using InitLab.Initializers;

namespace InitLab.Cli.Tests.Commands;

public class InitCommandTests
{
    [Theory]
    [InlineData("he_normal", "784,256", "keras", "(784, 256)")]
    [InlineData("kaiming_uniform", "64,3,3,3", "pytorch", "(64, 3, 3, 3)")]
    [InlineData("orthogonal", "10", "keras", "")]
    [InlineData("zeros", "7", "keras", "(7,)")]
    public void Init_WritesNumpyReadableFloat32(string name, string shape, string layout, string numpyShape)
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.npy");
        var (code, _, error) = CliRunner.Run("init", "--name", name, "--shape", shape, "--layout", layout, "--out", path);
        if (name == "orthogonal")
        {
            Assert.Equal(2, code);
            Assert.Contains("at least 2 dimensions", error, StringComparison.Ordinal);
            return;
        }
        Assert.True(code == 0, error);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4'", header, StringComparison.Ordinal);
        Assert.Contains("'fortran_order': False", header, StringComparison.Ordinal);
        Assert.Contains($"'shape': {numpyShape}", header, StringComparison.Ordinal);
        int count = shape.Split(',').Select(int.Parse).Aggregate(1, (a, b) => a * b);
        Assert.Equal(10 + headerLength + 4 * count, bytes.Length);
    }

    [Fact]
    public void Init_SameSeedSameBytes_OtherSeedDiffers()
    {
        using var dir = new TempDirectory();
        CliRunner.Run("init", "--name", "glorot_uniform", "--shape", "30,20", "--seed", "4", "--out", dir.File("a.npy"));
        CliRunner.Run("init", "--name", "glorot_uniform", "--shape", "30,20", "--seed", "4", "--out", dir.File("b.npy"));
        CliRunner.Run("init", "--name", "glorot_uniform", "--shape", "30,20", "--seed", "5", "--out", dir.File("c.npy"));
        Assert.Equal(File.ReadAllBytes(dir.File("a.npy")), File.ReadAllBytes(dir.File("b.npy")));
        Assert.NotEqual(File.ReadAllBytes(dir.File("a.npy")), File.ReadAllBytes(dir.File("c.npy")));
    }

    [Fact]
    public void Init_GainAndNonlinearity_ReachTheInitializer()
    {
        using var dir = new TempDirectory();
        var (code, output, _) = CliRunner.Run("init", "--name", "kaiming_normal", "--nonlinearity", "tanh", "--shape", "8,8", "--out", dir.File("k.npy"));
        Assert.Equal(0, code);
        Assert.Contains("nonlinearity=tanh", output, StringComparison.Ordinal);
        (code, _, string error) = CliRunner.Run("init", "--name", "he_normal", "--gain", "2", "--shape", "8,8", "--out", dir.File("h.npy"));
        Assert.Equal(2, code);
        Assert.Contains("he_normal: unknown parameter 'gain'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--shape", "3,x", "--shape: 'x' in '3,x' is not a whole number")]
    [InlineData("--layout", "jax", "--layout: got 'jax'; it must be keras or pytorch.")]
    public void Init_BadFlag_NamesIt(string flag, string value, string expected)
    {
        using var dir = new TempDirectory();
        var options = new Dictionary<string, string> { ["--name"] = "zeros", ["--shape"] = "3,3", ["--out"] = dir.File("z.npy"), [flag] = value };
        string[] args = ["init", .. options.SelectMany(p => new[] { p.Key, p.Value })];
        var (code, _, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inits_ListsEveryRegistryEntry()
    {
        var (code, output, _) = CliRunner.Run("inits", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(InitializerRegistry.Names, doc.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()!));
        (code, output, _) = CliRunner.Run("inits");
        Assert.Equal(0, code);
        Assert.All(InitializerRegistry.Names, n => Assert.Contains(n, output, StringComparison.Ordinal));
    }

    [Fact]
    public void Docs_CatalogSection_IsTheGeneratedTable()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "InitLab.slnx")))
        {
            dir = dir.Parent;
        }
        string docs = File.ReadAllText(Path.Combine(dir.FullName, "docs", "initializers.md")).ReplaceLineEndings("\n");
        int begin = docs.IndexOf(InitializerCatalog.BeginMarker, StringComparison.Ordinal) + InitializerCatalog.BeginMarker.Length + 1;
        int end = docs.IndexOf(InitializerCatalog.EndMarker, StringComparison.Ordinal);
        Assert.Equal(InitializerCatalog.Markdown().ReplaceLineEndings("\n"), docs[begin..end]);
    }
}
