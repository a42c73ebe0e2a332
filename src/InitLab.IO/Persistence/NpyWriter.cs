using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace InitLab.Persistence;

/// <summary>Writes float32 arrays in NumPy's .npy format (version 1.0, little-endian '&lt;f4', C order), readable by <c>numpy.load</c>.</summary>
public static class NpyWriter
{
    /// <summary>Writes <paramref name="values"/> with <paramref name="shape"/> to <paramref name="path"/>, atomically
    /// (<see cref="AtomicFile"/>: a failure leaves any previous file intact).</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="values">Row-major values.</param>
    /// <param name="shape">Shape; its product must equal the value count.</param>
    public static void Write(string path, ReadOnlySpan<float> values, IReadOnlyList<int> shape)
    {
        using var pending = AtomicFile.Begin(path);
        try
        {
            Write(pending.Stream, values, shape);
        }
        catch (IOException ex)
        {
            throw pending.Explain(ex);
        }
        pending.Commit();
    }

    /// <summary>Writes to a stream.</summary>
    /// <param name="stream">Destination.</param>
    /// <param name="values">Row-major values.</param>
    /// <param name="shape">Shape.</param>
    public static void Write(Stream stream, ReadOnlySpan<float> values, IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"NpyWriter: dimensions must be >= 0, got ({string.Join(", ", shape)}).", nameof(shape));
            }
            // Saturate instead of overflowing: any product above the span's length is a mismatch anyway (a zero
            // dimension still makes the product zero).
            count = d == 0 || count == 0 ? 0 : count > int.MaxValue ? count : count * d;
        }
        if (count != values.Length)
        {
            throw new ArgumentException($"NpyWriter: shape ({string.Join(", ", shape)}) has {count} elements, got {values.Length} values.", nameof(shape));
        }
        stream.Write(Header(shape));
        // Chunks of 4 KiB: one stream call per chunk instead of per value.
        Span<byte> buffer = stackalloc byte[4096];
        for (int start = 0; start < values.Length; start += buffer.Length / 4)
        {
            ReadOnlySpan<float> chunk = values.Slice(start, Math.Min(buffer.Length / 4, values.Length - start));
            for (int i = 0; i < chunk.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer[(4 * i)..], chunk[i]);
            }
            stream.Write(buffer[..(4 * chunk.Length)]);
        }
    }

    /// <summary>The header bytes: magic, version 1.0, length, and the dict padded with spaces so data starts on a 64-byte boundary.</summary>
    /// <param name="shape">Shape.</param>
    /// <returns>The header.</returns>
    public static byte[] Header(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        string dims = shape.Count switch
        {
            0 => string.Empty,
            1 => shape[0].ToString(CultureInfo.InvariantCulture) + ",",
            _ => string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))),
        };
        string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = 10 + dict.Length + 1;
        int padding = (64 - unpadded % 64) % 64;
        string text = dict + new string(' ', padding) + "\n";
        var header = new byte[10 + text.Length];
        header[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY", header.AsSpan(1));
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)text.Length);
        Encoding.ASCII.GetBytes(text, header.AsSpan(10));
        return header;
    }
}
