using System.Buffers.Binary;
using System.IO.Compression;
using InitLab.Tensors;

namespace InitLab.Data;

/// <summary>
/// Reads MNIST-style IDX files (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-*</c>), plain or
/// gzipped (detected by the gzip magic bytes). Pixels are scaled to [0, 1].
/// </summary>
public static class MnistLoader
{
    /// <summary>Loads the training and test sets from a folder.</summary>
    /// <param name="folder">Folder with the four IDX files (optionally .gz).</param>
    /// <returns>(train, test), 784 features, 10 classes.</returns>
    public static (Dataset Train, Dataset Test) LoadFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"MNIST folder '{folder}' does not exist.");
        }
        return (Load(Find(folder, "train-images-idx3-ubyte"), Find(folder, "train-labels-idx1-ubyte"), "mnist (train)"),
            Load(Find(folder, "t10k-images-idx3-ubyte"), Find(folder, "t10k-labels-idx1-ubyte"), "mnist (test)"));
    }

    /// <summary>Loads one images/labels pair.</summary>
    /// <param name="imagesPath">IDX3 images file.</param>
    /// <param name="labelsPath">IDX1 labels file.</param>
    /// <param name="name">Data set name.</param>
    /// <returns>The data set.</returns>
    public static Dataset Load(string imagesPath, string labelsPath, string name)
    {
        (int[] imageDims, byte[] pixels) = ReadIdx(imagesPath, expectedRank: 3);
        (int[] labelDims, byte[] labelBytes) = ReadIdx(labelsPath, expectedRank: 1);
        if (imageDims[0] != labelDims[0])
        {
            throw new DataFormatException($"{Path.GetFileName(imagesPath)} has {imageDims[0]} images but {Path.GetFileName(labelsPath)} has {labelDims[0]} labels.");
        }
        int rows = imageDims[0], features = imageDims[1] * imageDims[2];
        var x = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            x[i] = pixels[i] / 255f;
        }
        int classes = labelBytes.Length == 0 ? 10 : Math.Max(10, labelBytes.Max() + 1);
        return new Dataset(name, new Tensor(x, rows, features), [.. labelBytes.Select(b => (int)b)], classes);
    }

    /// <summary>Reads an unsigned-byte IDX file: magic 0x0000_08_rank, big-endian dimensions, then the data.</summary>
    internal static (int[] Dims, byte[] Data) ReadIdx(string path, int expectedRank)
    {
        string file = Path.GetFileName(path);
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length >= 2 && raw[0] == 0x1F && raw[1] == 0x8B)
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var decompressed = new MemoryStream();
            gzip.CopyTo(decompressed);
            raw = decompressed.ToArray();
        }
        if (raw.Length < 4 || raw[0] != 0 || raw[1] != 0 || raw[2] != 0x08)
        {
            throw new DataFormatException($"{file}: not an unsigned-byte IDX file (magic bytes {Convert.ToHexString(raw.AsSpan(0, Math.Min(4, raw.Length)))}).");
        }
        int rank = raw[3];
        if (rank != expectedRank)
        {
            throw new DataFormatException($"{file}: IDX rank is {rank}, expected {expectedRank}.");
        }
        int header = 4 + 4 * rank;
        if (raw.Length < header)
        {
            throw new DataFormatException($"{file}: truncated header.");
        }
        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4 + 4 * i));
            count *= dims[i];
        }
        if (raw.Length - header != count)
        {
            throw new DataFormatException($"{file}: header promises {count} bytes of data, the file has {raw.Length - header} (truncated or corrupted).");
        }
        return (dims, raw[header..]);
    }

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
