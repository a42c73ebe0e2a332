using System.Globalization;
using System.IO.Compression;
using InitLab.Data;

namespace InitLab.Persistence;

/// <summary>
/// Reads and writes NumPy's .npz format: a zip holding one <c>name.npy</c> entry per array, as <c>numpy.savez</c>
/// writes it (stored, uncompressed) and <c>numpy.savez_compressed</c> (deflated; read only). The reader treats the file
/// as untrusted, like <see cref="ModelFile"/>: at most <see cref="MaxEntries"/> arrays, each entry's declared size
/// within what its compressed bytes can expand to (deflate's 1032:1) and its compressed size within the file, and each
/// array checked by <see cref="NpyReader"/> against the entry's declared length before anything is allocated.
/// </summary>
public static class NpzFile
{
    /// <summary>The most arrays one archive may hold.</summary>
    public const int MaxEntries = 100_000;

    // Deflate cannot expand data by more than 1032:1 (RFC 1951), as in ModelFile.
    private const long MaxDeflateRatio = 1032;

    /// <summary>Reads every array of a .npz file, in archive order, keyed by entry name without <c>.npy</c>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The arrays by name.</returns>
    /// <exception cref="DataFormatException">Not a zip of float .npy arrays, an entry that is not <c>.npy</c>, a name
    /// given twice, or any array defect <see cref="NpyReader"/> reports.</exception>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string file = Path.GetFileName(path);
        try
        {
            long fileLength = new FileInfo(path).Length;
            using var zip = ZipFile.OpenRead(path);
            if (zip.Entries.Count > MaxEntries)
            {
                throw new DataFormatException(string.Create(CultureInfo.InvariantCulture, $"{file}: holds {zip.Entries.Count} entries; at most {MaxEntries} arrays are read."));
            }
            var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (ZipArchiveEntry entry in zip.Entries)
            {
                string where = $"{file}:{entry.FullName}";
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal))
                {
                    throw new DataFormatException($"{where}: a .npz archive holds only .npy entries (as numpy.savez writes them).");
                }
                if (entry.CompressedLength > fileLength || entry.Length > checked(entry.CompressedLength * MaxDeflateRatio + 1024))
                {
                    throw new DataFormatException(string.Create(CultureInfo.InvariantCulture,
                        $"{where}: claims {entry.Length} bytes from {entry.CompressedLength} compressed bytes in a {fileLength}-byte file, more than any zip can hold."));
                }
                string name = entry.FullName[..^4];
                if (arrays.ContainsKey(name))
                {
                    throw new DataFormatException($"{where}: the array '{name}' appears twice.");
                }
                using Stream stream = entry.Open();
                NpyArray array = NpyReader.Read(stream, entry.Length, where);
                // The declared length may lie: a longer entry is corrupt, not silently cut.
                if (stream.ReadByte() >= 0)
                {
                    throw new DataFormatException(string.Create(CultureInfo.InvariantCulture, $"{where}: holds more than its declared {entry.Length} bytes; the archive is corrupted."));
                }
                arrays.Add(name, array);
            }
            return arrays;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException and not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DataFormatException($"{file}: not a readable .npz (zip) archive, or truncated ({ex.Message}).", ex);
        }
    }

    /// <summary>Writes arrays as <c>numpy.savez</c> does (each as a float32 <c>name.npy</c>, stored), atomically through
    /// <see cref="AtomicFile"/>: on any failure the previous file is untouched.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="arrays">The arrays in the order to store them; names must be unique, non-empty, without '/'.</param>
    /// <exception cref="ArgumentException">A name that is empty, repeated or contains a path separator.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(arrays);
        var list = arrays.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, array) in list)
        {
            ArgumentNullException.ThrowIfNull(array, nameof(arrays));
            if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || !names.Add(name))
            {
                throw new ArgumentException($"NpzFile: array names must be unique, non-empty and without '/' or '\\', got '{name}'.", nameof(arrays));
            }
        }
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, array) in list)
            {
                using Stream entry = zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression).Open();
                NpyWriter.Write(entry, array.Values, array.Shape);
            }
        });
    }
}
