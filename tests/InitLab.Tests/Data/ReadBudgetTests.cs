using InitLab.Data;

namespace InitLab.Tests.Data;

public class ReadBudgetTests
{
    [Fact]
    public void CsvLoad_EndlessStream_StopsAtTheLimitWithAClearError()
    {
        var endless = new EndlessCsvStream();
        const long limit = 1 << 20;

        var error = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(endless, "fifo.csv", limit));

        Assert.Contains("fifo.csv: after ", error.Message, StringComparison.Ordinal);
        Assert.Contains("has no end", error.Message, StringComparison.Ordinal);
        // Each row holds 2 floats twice (16 B) + a line number (8 B) + its label string (34 B) = 58 B, so the reader
        // stops after ~18 000 rows of 10 bytes; the reader's buffers add a little. Far from "until the machine swaps".
        Assert.InRange(endless.BytesServed, 100_000, 4 << 20);
    }

    [Fact]
    public void Add_UnderTheLimit_NoError_OverIt_NamesFileAndRow()
    {
        var budget = new ReadBudget("a.csv", 100);
        budget.Add(100, 1);

        var error = Assert.Throws<DataFormatException>(() => budget.Add(1, 2));
        Assert.StartsWith("a.csv: after 2 rows", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A CSV that never ends ("x1,x2,label" then "1.5,2.5,0" forever), like a FIFO fed by a loop.</summary>
    private sealed class EndlessCsvStream : Stream
    {
        private static readonly byte[] Header = "x1,x2,label\n"u8.ToArray();
        private static readonly byte[] Row = "1.5,2.5,0\n"u8.ToArray();
        private long position;

        public long BytesServed => position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                long p = position++;
                buffer[offset + i] = p < Header.Length ? Header[p] : Row[(p - Header.Length) % Row.Length];
            }
            return count;
        }
    }
}
