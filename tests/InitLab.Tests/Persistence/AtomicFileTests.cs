using System.Text;
using InitLab.Layers;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;
using InitLab.Training;

namespace InitLab.Tests.Persistence;

public class AtomicFileTests
{
    private static readonly byte[] OldContent = Encoding.ASCII.GetBytes("{\"previous\": \"report\"}\n");

    [Fact]
    public void Write_Success_ReplacesContentAndLeavesNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("r.json");
        File.WriteAllBytes(path, OldContent);
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(4096)]
    [InlineData(70_000)]
    public void Write_IOExceptionAfterNBytes_PreviousFileIntactAndNoTemporaryFile(long failAfter)
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.npy");
        File.WriteAllBytes(path, OldContent);
        float[] values = new float[50_000];
        var ex = Assert.Throws<IOException>(() =>
            AtomicFile.Write(path, s => NpyWriter.Write(s, values, [values.Length]), s => new FailingStream(s, failAfter)));
        Assert.Contains("No space left", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Could not write '{path}': ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("the previous file is unchanged and no partial file was left.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(OldContent, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Write_WriterThrows_NoFileCreatedWhenThereWasNone()
    {
        using var dir = new TempDirectory();
        string path = dir.File("new.json");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(OldContent);
            throw new InvalidOperationException("interrupted");
        }));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Write_PathIsAFolder_IOExceptionNamesItAndFolderUntouched()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("out");
        Directory.CreateDirectory(folder);
        var ex = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(folder, "x"));
        Assert.Contains("'" + folder + "'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is a folder", ex.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(folder));
        Assert.Equal([folder], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void ModelFileSave_StaleTemporaryFilesFromEarlierFailures_SaveStillSucceeds()
    {
        using var dir = new TempDirectory();
        string path = dir.File("X.model");
        // The name the old Save used, and one in the new pattern: neither may block a later save.
        File.WriteAllText(path + ".tmp", "stale");
        File.WriteAllText(path + ".0123456789abcdef.tmp", "stale");
        var model = new Sequential(3, [new Dense(2)], seed: 4);
        ModelFile.Save(model, path);
        Assert.Equal(model.DenseLayers[0].Kernel.ToArray(), ModelFile.Load(path).DenseLayers[0].Kernel.ToArray());
        Assert.Equal(3, Directory.GetFiles(dir.Path).Length);
    }

    [SmallDiskFact]
    public void NpyWrite_RealFullDisk_PreviousFileIntactAndSpaceGivenBack()
    {
        using var disk = SmallDisk.Mount("1m");
        string path = disk.File("w.npy");
        NpyWriter.Write(path, new float[] { 1, 2, 3 }, [3]);
        byte[] before = File.ReadAllBytes(path);
        // 2 MiB of values cannot fit in a 1 MiB tmpfs: the kernel answers ENOSPC part-way.
        var ex = Assert.Throws<IOException>(() => NpyWriter.Write(path, new float[512 * 1024], [512 * 1024]));
        Assert.Equal($"Could not write '{path}': No space left on device; the previous file is unchanged and no partial file was left.", ex.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(disk.Path));
        // The temporary file's blocks were freed: a second small write fits.
        NpyWriter.Write(disk.File("small.npy"), new float[100_000], [100_000]);
    }

    [SmallDiskFact]
    public void ModelFileSave_RealFullDisk_PreviousModelStillLoads()
    {
        using var disk = SmallDisk.Mount("1m");
        string path = disk.File("m.model");
        var small = new Sequential(2, [new Dense(3)], seed: 1);
        ModelFile.Save(small, path);
        // 300 × 1000 float32 weights = 1.2 MB uncompressed (stored without compression): cannot fit.
        var big = new Sequential(300, [new Dense(1000)], seed: 1);
        Assert.Throws<IOException>(() => ModelFile.Save(big, path));
        Assert.Equal(small.DenseLayers[0].Kernel.ToArray(), ModelFile.Load(path).DenseLayers[0].Kernel.ToArray());
        Assert.Equal([path], Directory.GetFiles(disk.Path));
    }
}
