using System.IO.Compression;
using InitLab.Data;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Persistence;

/// <summary>.npz archives written by numpy.savez / savez_compressed (NumPy 1.24, Fixtures/), round trips, and
/// hostile archives.</summary>
public class NpzFileTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", name);

    [Fact]
    public void Read_NumpySavez_GivesNamedArrays()
    {
        IReadOnlyDictionary<string, NpyArray> arrays = NpzFile.Read(Fixture("savez.npz"));

        Assert.Equal(["kernel", "bias"], arrays.Keys);
        Assert.Equal([2, 3], arrays["kernel"].Shape);
        Assert.Equal([1.5f, -2.0f, 3.25f, 4.0f, 0.5f, -6.75f], arrays["kernel"].Values);
        Assert.Equal([0.25f, -0.5f, 1.0f], arrays["bias"].Values);
    }

    [Fact]
    public void Read_NumpySavezCompressedPositional_GivesArr0Arr1()
    {
        IReadOnlyDictionary<string, NpyArray> arrays = NpzFile.Read(Fixture("savez-compressed.npz"));

        Assert.Equal(["arr_0", "arr_1"], arrays.Keys);
        Assert.Equal([0], arrays["arr_1"].Shape);
        Assert.Empty(arrays["arr_1"].Values);
    }

    [Fact]
    public void WriteThenRead_RoundTripsNamesOrderAndBits()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.npz");
        var arrays = new List<KeyValuePair<string, NpyArray>>
        {
            new("z.weight", new NpyArray([1, float.Epsilon, -0f, float.MaxValue, 5, 6], [3, 2])),
            new("a.bias", new NpyArray([0.1f, 0.2f], [2])),
        };

        NpzFile.Write(path, arrays);
        var back = NpzFile.Read(path);

        Assert.Equal(["z.weight", "a.bias"], back.Keys);
        Assert.Equal([3, 2], back["z.weight"].Shape);
        Assert.Equal(arrays[0].Value.Values, back["z.weight"].Values);
        Assert.Equal(arrays[1].Value.Values, back["a.bias"].Values);
        Assert.Equal(["w.npz"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_RepeatedName_ThrowsAndLeavesOldFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.npz");
        File.WriteAllText(path, "old");
        var one = new NpyArray([1], [1]);

        var ex = Assert.Throws<ArgumentException>(() => NpzFile.Write(path, [new("a", one), new("a", one)]));

        Assert.Contains("got 'a'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("old", File.ReadAllText(path));
    }

    [Fact]
    public void Read_NotAZip_IsDataFormatError()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.npz");
        File.WriteAllText(path, "definitely not a zip archive");

        var ex = Assert.Throws<DataFormatException>(() => NpzFile.Read(path));

        Assert.StartsWith("bad.npz: not a readable .npz", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EntryNotNpy_IsNamedError()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(zip.CreateEntry("notes.txt").Open());
            writer.Write("hi");
        }

        var ex = Assert.Throws<DataFormatException>(() => NpzFile.Read(path));

        Assert.Contains("x.npz:notes.txt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EntryDeclaresMoreThanDeflateCanHold_RefusedBeforeReading()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bomb.npz");
        NpzFile.Write(path, [new("a", new NpyArray([1, 2, 3], [3]))]);
        byte[] bytes = File.ReadAllBytes(path);
        // Patch the uncompressed size (central directory, offset 24 of the record that starts with PK\1\2) to 2^31.
        int central = IndexOf(bytes, [0x50, 0x4b, 0x01, 0x02]);
        BitConverter.GetBytes(int.MaxValue).CopyTo(bytes, central + 24);
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<DataFormatException>(() => NpzFile.Read(path));

        Assert.Contains("more than any zip can hold", ex.Message, StringComparison.Ordinal);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }
        throw new InvalidOperationException("signature not found");
    }
}
