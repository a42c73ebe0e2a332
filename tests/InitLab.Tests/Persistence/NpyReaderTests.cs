using System.Buffers.Binary;
using System.Text;
using InitLab.Data;
using InitLab.Persistence;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Persistence;

/// <summary>The .npy reader against files written by NumPy 1.24 (Fixtures/, made with numpy.save and
/// numpy.lib.format.write_array) and against headers built by hand from the format spec (numpy.lib.format, NEP 1).</summary>
public class NpyReaderTests
{
    private static readonly float[] TwoByThree = [1.5f, -2.0f, 3.25f, 4.0f, 0.5f, -6.75f];

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", name);

    /// <summary>A .npy file assembled byte by byte: magic, version, little-endian header length (2 bytes in 1.0, 4 in
    /// 2.0/3.0), the header text as given, then the data bytes.</summary>
    private static byte[] Npy(string header, byte[] data, int major = 1)
    {
        byte[] text = Encoding.ASCII.GetBytes(header);
        int lengthBytes = major == 1 ? 2 : 4;
        var bytes = new byte[8 + lengthBytes + text.Length + data.Length];
        bytes[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY", bytes.AsSpan(1));
        bytes[6] = (byte)major;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)text.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)text.Length);
        }
        text.CopyTo(bytes, 8 + lengthBytes);
        data.CopyTo(bytes, 8 + lengthBytes + text.Length);
        return bytes;
    }

    private static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }
        return bytes;
    }

    private static NpyArray ReadBytes(byte[] bytes) => NpyReader.Read(new MemoryStream(bytes), bytes.Length, "test.npy");

    private static DataFormatException Refused(byte[] bytes) => Assert.Throws<DataFormatException>(() => ReadBytes(bytes));

    [Theory]
    [InlineData("c-f4-2x3.npy")]
    [InlineData("fortran-f8-2x3.npy")]
    [InlineData("v2-f4-2x3.npy")]
    [InlineData("v3-f8-2x3.npy")]
    public void Read_NumpyWrittenFile_GivesValuesInCOrder(string name)
    {
        NpyArray array = NpyReader.Read(Fixture(name));

        Assert.Equal([2, 3], array.Shape);
        Assert.Equal(TwoByThree, array.Values);
    }

    [Fact]
    public void Read_FortranOrderThreeDimensions_ReordersToRowMajor()
    {
        // numpy: np.asfortranarray(np.arange(24.0).reshape(2, 3, 4)); in C order element [i, j, k] is 12i + 4j + k.
        NpyArray array = NpyReader.Read(Fixture("fortran-f8-2x3x4.npy"));

        Assert.Equal([2, 3, 4], array.Shape);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (float)i), array.Values);
    }

    [Fact]
    public void Header_TwoByThree_IsByteIdenticalToNumpy()
    {
        byte[] numpy = File.ReadAllBytes(Fixture("c-f4-2x3.npy"));
        using var stream = new MemoryStream();

        NpyWriter.Write(stream, TwoByThree, [2, 3]);

        Assert.Equal(numpy, stream.ToArray());
    }

    [Fact]
    public void Read_HandBuiltVersion1Header_ParsesShapeAndData()
    {
        // Spec: the header is a dict literal padded with spaces and ended by '\n' so the data is aligned; the reader
        // must accept any padding, key order and quote style numpy's literal_eval accepts for these forms.
        byte[] bytes = Npy("{\"shape\": (3,), 'fortran_order': False, 'descr': '<f4'}   \n", Floats(1, 2, 3));

        NpyArray array = ReadBytes(bytes);

        Assert.Equal([3], array.Shape);
        Assert.Equal([1f, 2f, 3f], array.Values);
    }

    [Fact]
    public void Read_ScalarShape_GivesOneValue()
    {
        NpyArray array = ReadBytes(Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }\n", Floats(7.5f)));

        Assert.Empty(array.Shape);
        Assert.Equal([7.5f], array.Values);
    }

    [Fact]
    public void Read_Version2Header_UsesFourByteLength()
    {
        NpyArray array = ReadBytes(Npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n", Floats(1, 2, 3, 4), major: 2));

        // Fortran order: memory holds column 0 (1, 2) then column 1 (3, 4); row-major that is [[1, 3], [2, 4]].
        Assert.Equal([1f, 3f, 2f, 4f], array.Values);
    }

    [Theory]
    [InlineData("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }\n", "dtype '<i4'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, }\n", "no 'shape' key")]
    [InlineData("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n", "key 'descr' twice")]
    [InlineData("{'descr': '<f4', 'fortran_order': false, 'shape': (1,), }\n", "True or False")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1), }\n", "which is an integer")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }\n", "non-negative integer")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}\n", "key 'extra'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", "newline")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }x\n", "spaces after the dict")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (9999999999,), }\n", "at most 2147483647")]
    public void Read_MalformedHeader_IsNamedError(string header, string expected)
    {
        DataFormatException ex = Refused(Npy(header, Floats(1)));

        Assert.StartsWith("test.npy: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HugeShape_RefusedBeforeAllocating()
    {
        byte[] bytes = Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647), }\n", Floats(1));
        long before = GC.GetAllocatedBytesForCurrentThread();

        DataFormatException ex = Refused(bytes);

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "allocated before refusing");
        Assert.Contains("4 data bytes follow the header", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ElementCountOverflowsLong_IsNamedError()
    {
        byte[] bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }\n", Floats(1));

        Assert.Contains("overflows a 64-bit integer", Refused(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DataShorterOrLongerThanShape_IsNamedError()
    {
        const string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n";

        Assert.Contains("(12 bytes), but 8 data bytes", Refused(Npy(header, Floats(1, 2))).Message, StringComparison.Ordinal);
        Assert.Contains("(12 bytes), but 16 data bytes", Refused(Npy(header, Floats(1, 2, 3, 4))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StreamEndsBeforeDeclaredLength_SaysTruncated()
    {
        byte[] bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n", Floats(1, 2, 3));

        var ex = Assert.Throws<DataFormatException>(() => NpyReader.Read(new MemoryStream(bytes[..^4]), bytes.Length, "test.npy"));

        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HeaderLengthBeyondFile_IsNamedError()
    {
        byte[] bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n", Floats(1), major: 2);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), uint.MaxValue);

        Assert.Contains("declares a 4294967295-byte header", Refused(bytes).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Z', 1, 0, 0, 0 }, "magic")]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 4, 0, 0, 0 }, "version 4.0")]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U' }, "10-byte preamble")]
    public void Read_BadPreamble_IsNamedError(byte[] bytes, string expected)
    {
        Assert.Contains(expected, Refused(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteThenRead_RandomShapes_RoundTripsBits()
    {
        using var dir = new TempDirectory();
        var rng = new InitLab.Random.Rng(5);
        foreach (int[] shape in (int[][])[[0], [1], [7], [3, 5], [2, 3, 4], [1, 1, 1, 1]])
        {
            var values = new float[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)rng.NextNormal();
            }
            string path = dir.File("a.npy");

            NpyWriter.Write(path, values, shape);
            NpyArray back = NpyReader.Read(path);

            Assert.Equal(shape, back.Shape);
            Assert.Equal(values, back.Values);
        }
    }
}
