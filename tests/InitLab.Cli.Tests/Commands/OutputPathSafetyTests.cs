namespace InitLab.Cli.Tests.Commands;

/// <summary>Issue 9 §2 and §4: outputs that would destroy an input or each other, and impossible sizes, are refused up
/// front with the flag named; nothing is written.</summary>
public class OutputPathSafetyTests
{
    private static string CopyIris(TempDirectory dir)
    {
        string path = dir.File("data.csv");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "data", "iris.csv"), path);
        return path;
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--save")]
    [InlineData("--export-npy")]
    public void Train_OutputIsTheDataFile_RefusedAndDataUntouched(string flag)
    {
        using var dir = new TempDirectory();
        string data = CopyIris(dir);
        byte[] before = File.ReadAllBytes(data);
        var (code, output, error) = CliRunner.Run("train", "--data", data, "--layers", "4,8,3", "--epochs", "1", flag, data);
        Assert.Equal(2, code);
        Assert.StartsWith($"error: {flag}: '{data}' is the input of --data", error, StringComparison.Ordinal);
        Assert.DoesNotContain("epochs", output, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(data));
        Assert.Equal([data], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Train_SaveAndJsonSameFileSpelledDifferently_Refused()
    {
        using var dir = new TempDirectory();
        string a = dir.File("a");
        string other = Path.Combine(dir.Path, "sub", "..", ".", "a");
        var (code, _, error) = CliRunner.Run("train", "--epochs", "1", "--save", a, "--json", other);
        Assert.Equal(2, code);
        Assert.Contains($"--json: '{other}' is also the output of --save ('{a}')", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Train_JsonIsASymlinkToTheData_Refused()
    {
        using var dir = new TempDirectory();
        string data = CopyIris(dir);
        string link = dir.File("link.csv");
        File.CreateSymbolicLink(link, data);
        var (code, _, error) = CliRunner.Run("train", "--data", data, "--layers", "4,8,3", "--epochs", "1", "--json", link);
        Assert.Equal(2, code);
        Assert.Contains("is the input of --data", error, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "iris.csv")), File.ReadAllBytes(data));
    }

    [Fact]
    public void Train_SaveIntoMissingFolder_RefusedBeforeTraining()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "missing", "m.model");
        var (code, output, error) = CliRunner.Run("train", "--epochs", "1", "--save", path);
        Assert.Equal(2, code);
        Assert.Contains("--save: the folder", error, StringComparison.Ordinal);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
        Assert.DoesNotContain("epochs", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_ExistingOut_RefusedWithoutForceAndReplacedWithForce()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.npy");
        File.WriteAllText(path, "precious");
        var (code, _, error) = CliRunner.Run("init", "--name", "zeros", "--shape", "2,2", "--out", path);
        Assert.Equal(2, code);
        Assert.Contains($"--out: '{path}' exists; add --force", error, StringComparison.Ordinal);
        Assert.Equal("precious", File.ReadAllText(path));
        (code, _, error) = CliRunner.Run("init", "--name", "zeros", "--shape", "2,2", "--out", path, "--force");
        Assert.True(code == 0, error);
        Assert.Equal(128 + 16, new FileInfo(path).Length);
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Init_OutIsAFolder_Refused()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run("init", "--name", "zeros", "--shape", "2,2", "--out", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("is a folder; give a file name", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_ShapeProductOverflows_RefusedNamingFlagAndSize()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run("init", "--name", "he_normal", "--shape", "65536,65536,65536,65536", "--out", dir.File("w.npy"));
        Assert.Equal(2, code);
        // 65536⁴ = 2^64 ≈ 1.8e19 values: past long.MaxValue ≈ 9.2e18, so the parse-time check reports the overflow.
        Assert.StartsWith("error: --shape: '65536,65536,65536,65536' has more than 9.2e18 elements; one tensor holds at most 2,147,483,591", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Train_LayerTooWideForOneArray_RefusedNamingTheLayer()
    {
        var (code, _, error) = CliRunner.Run("train", "--layers", "2,65536,65537,1", "--epochs", "1");
        Assert.Equal(2, code);
        // 65536 × 65537 = 4,295,032,832 > Array.MaxLength (2,147,483,591).
        Assert.StartsWith("error: --layers: 2,65536,65537,1: layer 1 (65536→65537) needs a buffer of 4.29503E+09 values", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Gemm", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_LayersBeyondMemory_RefusedWithTheEstimate()
    {
        // Forty 40000×40000 kernels: each fits in an array (1.6e9 values) but with gradients and Adam state they need
        // 16 B × 1.6e9 × 40 ≈ 1 TB, more than any test machine has.
        int[] w = [2, .. Enumerable.Repeat(40000, 41), 1];
        // The documented estimate, summed here: 4·rows·w0 + Σ 16·(n·m + m) + 16·rows·m, rows = the default batch 32.
        double bytes = 4.0 * 32 * w[0];
        for (int i = 1; i < w.Length; i++)
        {
            bytes += 16.0 * ((double)w[i - 1] * w[i] + w[i]) + 16.0 * 32 * w[i];
        }
        string expected = (bytes / (1L << 30)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " GiB";
        var (code, _, error) = CliRunner.Run("train", "--layers", string.Join(",", w), "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains($"needs about {expected} to train", error, StringComparison.Ordinal);
        Assert.Contains("this process may use", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnose_JsonIsTheDataFile_Refused()
    {
        using var dir = new TempDirectory();
        string data = CopyIris(dir);
        var (code, _, error) = CliRunner.Run("diagnose", "--layers", "4,8,3", "--data", data, "--json", data);
        Assert.Equal(2, code);
        Assert.Contains("--json: ", error, StringComparison.Ordinal);
        Assert.Contains("is the input of --data", error, StringComparison.Ordinal);
    }
}
