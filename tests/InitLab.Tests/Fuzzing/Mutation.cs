using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace InitLab.Tests.Fuzzing;

/// <summary>What a mutation does to a valid file.</summary>
internal enum MutationKind
{
    FlipBits,
    Truncate,
    Insert,
    Delete,
    Repeat,
    SetInt32BigEndian,
}

/// <summary>
/// One edit of a valid file: flip bits, cut, insert a token, delete or repeat a run, or overwrite a big-endian int32
/// (an IDX dimension) with a boundary value. Positions are taken modulo the current length, so any generated value
/// applies to any file and a replayed seed gives the same bytes.
/// </summary>
internal readonly record struct Mutation(MutationKind Kind, int Position, int Length, byte[] Bytes, int Value)
{
    /// <summary>Tokens that CSV parsers and number parsers trip on.</summary>
    public static readonly string[] CsvTokens =
    [
        "\"", "\"\"", "\n", "\r\n", "\r", "\n\n\n", ",", ",,", ";", "\t", " ", "NaN", "Infinity", "-Infinity", "-", "+", ".",
        "1e39", "-1e39", "1e-50", "0x10", "1,5", "9999999999999999999999999", "label", "a", "\uFEFF", "\0", "é", "∞",
        new string('9', 400), new string('"', 3), "\"a\nb\"", "#", "=1+1",
        "-1", "2000000000", "65536", "null", "{}", "[]", "true", ":", "\\u0000",
    ];

    /// <summary>Values an attacker writes into a size field.</summary>
    public static readonly int[] BoundaryInts =
        [0, -1, 1, 2, 3, 28, 255, 256, 65535, 65536, 60000, 1 << 24, 1 << 30, int.MaxValue, int.MinValue, int.MinValue + 1];

    public byte[] Apply(byte[] input)
    {
        int n = input.Length;
        int at = n == 0 ? 0 : Position % (n + 1);
        switch (Kind)
        {
            case MutationKind.FlipBits when n > 0:
                byte[] flipped = (byte[])input.Clone();
                flipped[Position % n] ^= (byte)Math.Max(1, Value & 0xFF);
                return flipped;
            case MutationKind.Truncate:
                return input[..at];
            case MutationKind.Insert:
                return [.. input[..at], .. Bytes, .. input[at..]];
            case MutationKind.Delete:
                return [.. input[..at], .. input[Math.Min(n, at + Length)..]];
            case MutationKind.Repeat:
                byte[] run = input[at..Math.Min(n, at + Length)];
                return [.. input[..at], .. Enumerable.Repeat(run, 1 + (Value & 7)).SelectMany(r => r), .. input[at..]];
            case MutationKind.SetInt32BigEndian when n >= 4:
                // IDX dimensions sit at offsets 4, 8, 12; other aligned offsets hit the magic or the data.
                byte[] copy = (byte[])input.Clone();
                int offset = Math.Min(n - 4, 4 * (Position % 4));
                BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(offset), BoundaryInts[Length % BoundaryInts.Length]);
                return copy;
            default:
                return input;
        }
    }

    public override string ToString() => Kind switch
    {
        MutationKind.Insert => $"Insert@{Position} {Convert.ToHexString(Bytes.AsSpan(0, Math.Min(16, Bytes.Length)))}",
        MutationKind.SetInt32BigEndian => $"SetInt32@{4 * (Position % 4)}={BoundaryInts[Length % BoundaryInts.Length]}",
        _ => $"{Kind}@{Position} len {Length} value {Value}",
    };

    public static byte[] ApplyAll(byte[] seed, IEnumerable<Mutation> mutations) => mutations.Aggregate(seed, (bytes, m) => m.Apply(bytes));

    /// <summary>Mutations for a binary format: random bytes and boundary ints; 1 to 4 of them per case.</summary>
    public static Gen<Mutation[]> Binary() => ListOf(Gen.Frequency(
        (3, One(MutationKind.FlipBits)),
        (1, One(MutationKind.Truncate)),
        (2, One(MutationKind.Insert, RandomBytes())),
        (1, One(MutationKind.Delete)),
        (1, One(MutationKind.Repeat)),
        (4, One(MutationKind.SetInt32BigEndian))));

    /// <summary>Mutations for text: CSV tokens as well as raw bytes.</summary>
    public static Gen<Mutation[]> Text() => ListOf(Gen.Frequency(
        (1, One(MutationKind.FlipBits)),
        (1, One(MutationKind.Truncate)),
        (5, One(MutationKind.Insert, Gen.Elements(CsvTokens).Select(t => Encoding.UTF8.GetBytes(t)))),
        (1, One(MutationKind.Insert, RandomBytes())),
        (2, One(MutationKind.Delete)),
        (2, One(MutationKind.Repeat))));

    private static Gen<Mutation[]> ListOf(Gen<Mutation> one) =>
        Gen.Choose(1, 4).SelectMany(count => Gen.ArrayOf(one, count));

    private static Gen<Mutation> One(MutationKind kind, Gen<byte[]>? bytes = null) =>
        from position in Gen.Choose(0, int.MaxValue)
        from length in Gen.Choose(0, 64)
        from value in Gen.Choose(0, int.MaxValue)
        from inserted in bytes ?? Gen.Constant(Array.Empty<byte>())
        select new Mutation(kind, position, length, inserted, value);

    private static Gen<byte[]> RandomBytes() =>
        Gen.Choose(1, 16).SelectMany(count => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), count));
}
