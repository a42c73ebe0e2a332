using System.Buffers.Binary;
using System.IO.Compression;
using InitLab.Data;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Data;

/// <summary>Issue 9 §4: IDX headers checked before allocation, gzip bounded by the header, mismatched files named.</summary>
public class MnistHostileInputTests
{
    internal static byte[] Idx(int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        }
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    internal static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zip.Write(bytes);
        }
        return buffer.ToArray();
    }

    private static DataFormatException ReadFails(byte[] file, int rank)
    {
        using var dir = new TempDirectory();
        string path = dir.File("train-images-idx3-ubyte");
        File.WriteAllBytes(path, file);
        var ex = Assert.Throws<DataFormatException>(() => MnistLoader.ReadIdx(path, rank));
        Assert.StartsWith("train-images-idx3-ubyte: ", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Theory]
    [InlineData(-1, 28, 28, "dimension 0 is -1")]
    [InlineData(2, -28, 28, "dimension 1 is -28")]
    [InlineData(2, 28, 0, "dimension 2 is 0")]
    [InlineData(int.MinValue, 1, 1, "dimension 0 is -2147483648")]
    public void ReadIdx_NegativeOrZeroDimension_IsAnError(int n, int rows, int cols, string expected)
    {
        Assert.Contains(expected, ReadFails(Idx([n, rows, cols], [1, 2, 3, 4]), 3).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadIdx_HugeDimensionsInTinyFile_RefusedWithoutAllocating()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        // 65536 × 65536 × 65536 = 2^48 bytes: past any array, refused from the header alone.
        var ex = ReadFails(Idx([65536, 65536, 65536], [1]), 3);
        Assert.Contains("more than one array can hold", ex.Message, StringComparison.Ordinal);
        // 60000 × 28 × 28 = 47,040,000 declared, 1 present: refused by the length check, not after a 47 MB allocation.
        ex = ReadFails(Idx([60000, 28, 28], [1]), 3);
        Assert.Contains("header promises 47040000 bytes of data, the file has 1", ex.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "the reader allocated the declared size");
    }

    [Fact]
    public void ReadIdx_CorruptGzip_DataFormatExceptionNamingTheFile()
    {
        byte[] gz = Gzip(Idx([2, 2, 2], new byte[8]));
        // Bytes 10.. are the deflate stream; 0xFF there is an invalid block type (BTYPE=11).
        gz[10] = 0xFF;
        var ex = ReadFails(gz, 3);
        Assert.Contains("the gzip data is corrupt", ex.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidDataException>(ex.InnerException);
    }

    [Fact]
    public void ReadIdx_GzipBomb_StopsAtTheDeclaredSize()
    {
        // The header declares 1 × 28 × 28 = 784 bytes, then 64 MiB of zeros follow (a bomb that compresses to ~64 KB).
        byte[] header = Idx([1, 28, 28], []);
        using var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zip.Write(header);
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++)
            {
                zip.Write(zeros);
            }
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = ReadFails(buffer.ToArray(), 3);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("decompresses to more than the 784 bytes of data its header declares", ex.Message, StringComparison.Ordinal);
        // The file itself is read through a stream; the bound is the declared 784 bytes plus inflater buffers, far
        // below the 64 MiB the bomb would expand to.
        Assert.True(allocated < 4_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void ReadIdx_GzipDeclaringMoreThanDeflateCanHold_RefusedBeforeInflating()
    {
        // 2 images of 30000 × 30000 = 1.8e9 bytes declared in a ~40-byte gzip: deflate tops out near 1032:1.
        var ex = ReadFails(Gzip(Idx([2, 30000, 30000], [1, 2, 3])), 3);
        Assert.Contains("header declares 1800000000 bytes of data", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot expand to more than about", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadIdx_TruncatedGzip_SaysHowMuchArrived()
    {
        byte[] full = Idx([1, 28, 28], Enumerable.Range(0, 784).Select(i => (byte)(i * 7)).ToArray());
        var ex = ReadFails(Gzip(full)[..200], 3);
        Assert.True(ex.Message.Contains("the decompressed file has", StringComparison.Ordinal) || ex.Message.Contains("gzip data is corrupt", StringComparison.Ordinal), ex.Message);
    }

    [Fact]
    public void LoadFolder_TestImagesOfAnotherSize_NamesBothFiles()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), Idx([2, 2, 2], new byte[8]));
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte"), Idx([2], [1, 2]));
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte"), Idx([1, 3, 3], new byte[9]));
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte"), Idx([1], [0]));
        var ex = Assert.Throws<DataFormatException>(() => MnistLoader.LoadFolder(dir.Path));
        Assert.Contains("t10k-images-idx3-ubyte: its images have 9 pixels", ex.Message, StringComparison.Ordinal);
        Assert.Contains("training images in train-images-idx3-ubyte have 4", ex.Message, StringComparison.Ordinal);
    }
}
