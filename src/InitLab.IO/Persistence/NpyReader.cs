using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using InitLab.Data;

namespace InitLab.Persistence;

/// <summary>
/// Reads NumPy's .npy format (versions 1.0, 2.0 and 3.0; dtypes <c>&lt;f4</c>, <c>&lt;f8</c> and their big-endian
/// forms; C or Fortran order), as written by <c>numpy.save</c>. The file is untrusted: the header is at most
/// <see cref="MaxHeaderBytes"/>, must be the Python dict literal the format specifies, and the element count
/// (a <c>checked</c> product of the shape) times the item size must equal the bytes that remain before anything is
/// allocated. Any defect is a <see cref="DataFormatException"/> naming the source and what was found.
/// </summary>
/// <remarks>Format: magic <c>\x93NUMPY</c>, major and minor version bytes, header length (uint16 LE in 1.0, uint32 LE in
/// 2.0 and 3.0), then the header (ASCII/latin-1, UTF-8 in 3.0) ending in a newline, then the raw data
/// (numpy.lib.format, NEP 1).</remarks>
public static class NpyReader
{
    /// <summary>The largest header accepted (64 KiB; numpy itself refuses headers over 10 000 bytes unless told otherwise).</summary>
    public const int MaxHeaderBytes = 1 << 16;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a .npy file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The array, in C order, as float32.</returns>
    /// <exception cref="DataFormatException">The file is not a float .npy array, or is truncated or oversized.</exception>
    public static NpyArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Read(stream, stream.Length, Path.GetFileName(path));
    }

    /// <summary>Reads one array from a stream that holds exactly <paramref name="length"/> bytes of .npy data.</summary>
    /// <param name="stream">The data, positioned at the magic string.</param>
    /// <param name="length">How many bytes the array occupies (the file or zip entry length); the data must fill them exactly.</param>
    /// <param name="source">Name used in error messages (file or entry name).</param>
    /// <returns>The array.</returns>
    /// <exception cref="DataFormatException">Malformed, truncated, longer than declared, or not a float array.</exception>
    public static NpyArray Read(Stream stream, long length, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            return ReadChecked(stream, length, source);
        }
        catch (EndOfStreamException ex)
        {
            throw new DataFormatException($"{source}: the .npy data ends early; the file is truncated.", ex);
        }
    }

    private static NpyArray ReadChecked(Stream stream, long length, string source)
    {
        Span<byte> prefix = stackalloc byte[12];
        if (length < 10)
        {
            throw Error(source, string.Create(CultureInfo.InvariantCulture, $"is {length} bytes; a .npy file starts with a 10-byte preamble (magic \\x93NUMPY, version, header length)."));
        }
        stream.ReadExactly(prefix[..8]);
        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw Error(source, $"does not start with the .npy magic \\x93NUMPY (found {Convert.ToHexString(prefix[..6])}); not a NumPy array file.");
        }
        int major = prefix[6], minor = prefix[7];
        if (major is < 1 or > 3 || minor != 0)
        {
            throw Error(source, string.Create(CultureInfo.InvariantCulture, $"is .npy format version {major}.{minor}; versions 1.0, 2.0 and 3.0 are supported."));
        }
        int preamble = major == 1 ? 10 : 12;
        if (length < preamble)
        {
            throw Error(source, string.Create(CultureInfo.InvariantCulture, $"is {length} bytes, shorter than the {preamble}-byte preamble of format {major}.0."));
        }
        stream.ReadExactly(prefix[8..preamble]);
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
        if (headerLength > MaxHeaderBytes || headerLength > length - preamble)
        {
            throw Error(source, string.Create(CultureInfo.InvariantCulture,
                $"declares a {headerLength}-byte header; at most {Math.Min(MaxHeaderBytes, length - preamble)} bytes are possible here (limit {MaxHeaderBytes}, {length - preamble} bytes left)."));
        }
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        string header;
        try
        {
            header = major == 3 ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new DataFormatException($"{source}: the version 3.0 header is not valid UTF-8.", ex);
        }
        NpyHeader parsed = NpyHeader.Parse(header, source);
        long count = 1;
        try
        {
            foreach (int d in parsed.Shape)
            {
                count = checked(count * d);
            }
        }
        catch (OverflowException)
        {
            throw Error(source, $"declares shape {FormatShape(parsed.Shape)}, whose element count overflows a 64-bit integer.");
        }
        long dataBytes = length - preamble - headerLength;
        long needed = count > dataBytes ? long.MaxValue : count * parsed.ItemSize;
        if (needed != dataBytes)
        {
            throw Error(source, string.Create(CultureInfo.InvariantCulture,
                $"declares shape {FormatShape(parsed.Shape)} of '{parsed.Descr}' ({(needed == long.MaxValue ? "more" : needed.ToString(CultureInfo.InvariantCulture))} bytes), but {dataBytes} data bytes follow the header."));
        }
        if (count > Array.MaxLength)
        {
            throw Error(source, string.Create(CultureInfo.InvariantCulture, $"holds {count} values; an array holds at most {Array.MaxLength}."));
        }
        var values = new float[count];
        ReadValues(stream, values, parsed.ItemSize, parsed.BigEndian);
        if (parsed.FortranOrder && parsed.Shape.Length > 1)
        {
            values = FortranToC(values, parsed.Shape);
        }
        return new NpyArray(values, parsed.Shape);
    }

    private static void ReadValues(Stream stream, float[] values, int itemSize, bool bigEndian)
    {
        var chunk = new byte[1 << 16];
        int perChunk = chunk.Length / itemSize;
        for (int start = 0; start < values.Length; start += perChunk)
        {
            int n = Math.Min(perChunk, values.Length - start);
            Span<byte> bytes = chunk.AsSpan(0, n * itemSize);
            stream.ReadExactly(bytes);
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<byte> item = bytes.Slice(i * itemSize, itemSize);
                values[start + i] = (itemSize, bigEndian) switch
                {
                    (4, false) => BinaryPrimitives.ReadSingleLittleEndian(item),
                    (4, true) => BinaryPrimitives.ReadSingleBigEndian(item),
                    (_, false) => (float)BinaryPrimitives.ReadDoubleLittleEndian(item),
                    (_, true) => (float)BinaryPrimitives.ReadDoubleBigEndian(item),
                };
            }
        }
    }

    /// <summary>Reorders column-major values (first index fastest) into row-major (last index fastest).</summary>
    internal static float[] FortranToC(float[] fortran, int[] shape)
    {
        var c = new float[fortran.Length];
        var index = new int[shape.Length];
        var strides = new long[shape.Length];
        long stride = 1;
        for (int k = 0; k < shape.Length; k++)
        {
            strides[k] = stride;
            stride *= shape[k];
        }
        for (int i = 0; i < c.Length; i++)
        {
            long at = 0;
            for (int k = 0; k < shape.Length; k++)
            {
                at += index[k] * strides[k];
            }
            c[i] = fortran[at];
            // Advance the C-order multi-index: the last dimension fastest.
            for (int k = shape.Length - 1; k >= 0; k--)
            {
                if (++index[k] < shape[k])
                {
                    break;
                }
                index[k] = 0;
            }
        }
        return c;
    }

    internal static string FormatShape(IReadOnlyList<int> shape) =>
        "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + (shape.Count == 1 ? ",)" : ")");

    private static DataFormatException Error(string source, string message) => new($"{source}: {message}");
}
