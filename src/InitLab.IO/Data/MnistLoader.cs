using System.Buffers.Binary;
using System.IO.Compression;
using InitLab.Common;
using InitLab.Tensors;

namespace InitLab.Data;

/// <summary>
/// Reads MNIST-style IDX files (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-*</c>), plain or
/// gzipped (detected by the gzip magic bytes). Pixels are scaled to [0, 1]. The header is read and checked first
/// (magic, rank, every dimension ≥ 1, the product computed with <c>checked</c>), and nothing larger than the data it
/// declares is ever allocated or decompressed: a plain file must hold exactly that many bytes, and a gzip file may
/// expand to exactly that many (one byte more is refused), so a gzip bomb stops at its header's size.
/// </summary>
public static class MnistLoader
{
    // Deflate cannot expand data by more than about 1032:1 (258-byte matches coded in 2 bits); a gzip file declaring
    // more than this ratio of its own size is lying or truncated, and is refused before anything is inflated.
    private const long MaxDeflateRatio = 1032;
    private const int GzipSlack = 1024;

    /// <summary>Loads the training and test sets from a folder.</summary>
    /// <param name="folder">Folder with the four IDX files (optionally .gz).</param>
    /// <returns>(train, test), 784 features shaped [28, 28, 1] (rows, columns, one channel), 10 classes.</returns>
    /// <exception cref="DataFormatException">A file is not IDX, is truncated or corrupt, declares impossible sizes, or the
    /// test images differ in size from the training images.</exception>
    public static (Dataset Train, Dataset Test) LoadFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"MNIST folder '{folder}' does not exist.");
        }
        string trainImages = Find(folder, "train-images-idx3-ubyte"), testImages = Find(folder, "t10k-images-idx3-ubyte");
        Dataset train = Load(trainImages, Find(folder, "train-labels-idx1-ubyte"), "mnist (train)");
        Dataset test = Load(testImages, Find(folder, "t10k-labels-idx1-ubyte"), "mnist (test)");
        if (!test.RowShape.SequenceEqual(train.RowShape))
        {
            throw new DataFormatException(
                $"{Path.GetFileName(testImages)}: its images have {test.FeatureCount} pixels ({Pixels(test)}), but the training images in " +
                $"{Path.GetFileName(trainImages)} have {train.FeatureCount} ({Pixels(train)}); both must come from the same data set.");
        }
        return (train, test);
    }

    /// <summary>Loads one images/labels pair.</summary>
    /// <param name="imagesPath">IDX3 images file.</param>
    /// <param name="labelsPath">IDX1 labels file.</param>
    /// <param name="name">Data set name.</param>
    /// <returns>The data set; <see cref="Dataset.RowShape"/> is [rows, columns, 1] from the images' header (MNIST: [28, 28, 1]),
    /// the pixels in the file's row-major order.</returns>
    /// <exception cref="DataFormatException">A file is not IDX, is truncated or corrupt, or the counts disagree.</exception>
    public static Dataset Load(string imagesPath, string labelsPath, string name)
    {
        (int[] imageDims, byte[] pixels) = ReadIdx(imagesPath, expectedRank: 3);
        (int[] labelDims, byte[] labelBytes) = ReadIdx(labelsPath, expectedRank: 1);
        if (imageDims[0] != labelDims[0])
        {
            throw new DataFormatException($"{Path.GetFileName(imagesPath)} has {imageDims[0]} images but {Path.GetFileName(labelsPath)} has {labelDims[0]} labels.");
        }
        // Both products were checked against the bytes read, so they fit in an int.
        int rows = imageDims[0], features = imageDims[1] * imageDims[2];
        var x = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            x[i] = pixels[i] / 255f;
        }
        int classes = labelBytes.Length == 0 ? 10 : Math.Max(10, labelBytes.Max() + 1);
        return new Dataset(name, new Tensor(x, rows, features), [.. labelBytes.Select(b => (int)b)], classes)
        {
            RowShape = [imageDims[1], imageDims[2], 1],
        };
    }

    /// <summary>Reads an unsigned-byte IDX file: magic 0x0000_08_rank, big-endian dimensions, then the data.</summary>
    internal static (int[] Dims, byte[] Data) ReadIdx(string path, int expectedRank)
    {
        string file = Path.GetFileName(path);
        using var stream = File.OpenRead(path);
        return ReadIdx(stream, file, expectedRank);
    }

    /// <summary>The same from a seekable stream; <paramref name="file"/> names it in messages.</summary>
    internal static (int[] Dims, byte[] Data) ReadIdx(Stream stream, string file, int expectedRank)
    {
        long stored = stream.Length;
        Span<byte> magic = stackalloc byte[2];
        bool gzip = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        stream.Position = 0;
        try
        {
            if (!gzip)
            {
                return ReadIdxBody(stream, file, expectedRank, stored, gzipped: false);
            }
            using var inflated = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            return ReadIdxBody(inflated, file, expectedRank, stored, gzipped: true);
        }
        catch (InvalidDataException ex)
        {
            throw new DataFormatException($"{file}: the gzip data is corrupt ({ex.Message}).", ex);
        }
    }

    private static (int[] Dims, byte[] Data) ReadIdxBody(Stream source, string file, int expectedRank, long stored, bool gzipped)
    {
        Span<byte> head = stackalloc byte[4];
        int got = source.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        if (got < 4 || head[0] != 0 || head[1] != 0 || head[2] != 0x08)
        {
            throw new DataFormatException($"{file}: not an unsigned-byte IDX file (magic bytes {Convert.ToHexString(head[..got])}, expected 000008 then the rank).");
        }
        int rank = head[3];
        if (rank != expectedRank)
        {
            throw new DataFormatException($"{file}: IDX rank is {rank}, expected {expectedRank} ({(expectedRank == 3 ? "images" : "labels")}).");
        }
        Span<byte> dimBytes = stackalloc byte[4 * rank];
        if (source.ReadAtLeast(dimBytes, dimBytes.Length, throwOnEndOfStream: false) < dimBytes.Length)
        {
            throw new DataFormatException($"{file}: truncated header (rank {rank} needs {4 + 4 * rank} header bytes).");
        }
        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dimBytes[(4 * i)..]);
            if (dims[i] < 1)
            {
                throw new DataFormatException($"{file}: dimension {i} is {dims[i]} ({DimensionName(rank, i)}); every IDX dimension must be >= 1 (dimensions {string.Join(" × ", dims[..(i + 1)])}).");
            }
            // Stopping once the product passes any array's limit keeps it below 2^62; checked guards the reasoning.
            count = checked(count * dims[i]);
            if (count > Array.MaxLength)
            {
                throw new DataFormatException($"{file}: header declares {Describe(dims, i)} bytes of data, more than one array can hold ({Array.MaxLength}); the header is corrupt.");
            }
        }
        long header = 4 + 4 * rank;
        if (!gzipped && stored - header != count)
        {
            throw new DataFormatException($"{file}: header promises {count} bytes of data, the file has {stored - header} (truncated or corrupted).");
        }
        if (gzipped && count > stored * MaxDeflateRatio + GzipSlack)
        {
            throw new DataFormatException($"{file}: header declares {count} bytes of data, but {stored} bytes of gzip cannot expand to more than about {stored * MaxDeflateRatio}; the file is truncated or the header is corrupt.");
        }
        // Pixels as bytes plus as float32: five bytes per value.
        if (!MemoryBudget.Fits(count * 5))
        {
            throw new DataFormatException($"{file}: {count} values need {MemoryBudget.Format(count * 5.0)} to load, more than the {MemoryBudget.Format(MemoryBudget.AvailableBytes)} this process may use.");
        }
        byte[] data = gzipped ? ReadBounded(source, file, (int)count) : new byte[count];
        if (!gzipped)
        {
            source.ReadExactly(data);
        }
        return (dims, data);
    }

    // Grows the buffer only as bytes really arrive (a lying header in a short file allocates little) and reads one byte
    // past the declared size to prove the stream ends there.
    private static byte[] ReadBounded(Stream source, string file, int count)
    {
        var data = new byte[Math.Min(count, 1 << 20)];
        int filled = 0;
        while (filled < count)
        {
            if (filled == data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(count, 2L * data.Length));
            }
            int read = source.Read(data, filled, data.Length - filled);
            if (read == 0)
            {
                throw new DataFormatException($"{file}: header promises {count} bytes of data, the decompressed file has {filled} (truncated or corrupted).");
            }
            filled += read;
        }
        Span<byte> probe = stackalloc byte[1];
        if (source.Read(probe) != 0)
        {
            throw new DataFormatException($"{file}: decompresses to more than the {count} bytes of data its header declares; refusing to read further (corrupt file or gzip bomb).");
        }
        return data;
    }

    // What each header field counts, so a message says which one is wrong.
    private static string DimensionName(int rank, int index) => (rank, index) switch
    {
        (3, 0) => "the image count",
        (3, 1) => "rows per image",
        (3, 2) => "columns per image",
        (1, 0) => "the label count",
        _ => $"size {index}",
    };

    private static string Pixels(Dataset images) => string.Join("×", images.RowShape.Take(2));

    private static string Describe(int[] dims, int last) => string.Join(" × ", dims[..(last + 1)]);

    private static string Find(string folder, string stem)
    {
        foreach (string candidate in new[] { stem, stem + ".gz", stem.Replace("-idx", ".idx", StringComparison.Ordinal), stem.Replace("-idx", ".idx", StringComparison.Ordinal) + ".gz" })
        {
            string path = Path.Combine(folder, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }
        throw new FileNotFoundException($"MNIST folder '{folder}' has no {stem} (or {stem}.gz).");
    }
}
