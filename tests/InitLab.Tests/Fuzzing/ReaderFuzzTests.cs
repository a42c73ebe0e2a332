using System.Globalization;
using System.IO.Compression;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using InitLab.Data;
using Xunit.Abstractions;

namespace InitLab.Tests.Fuzzing;

/// <summary>
/// Issue 9 §5: mutated CSV, IDX and gzip files (bits flipped, cut, tokens inserted, runs deleted or repeated, header
/// sizes set to 0, −1, 2^31−1, …) fed to the readers. For every case: only <see cref="DataFormatException"/> escapes,
/// with a one-line message; the reader allocates at most its bound (below); and the folder is left byte-for-byte as it
/// was. Fixed budget (3,600 cases in total) and fixed seeds, so a failure replays exactly.
/// </summary>
/// <remarks>
/// Allocation bounds, from what the readers keep per input byte (GC.GetAllocatedBytesForCurrentThread counts every
/// managed allocation of the reading thread, including buffers that are later dropped):
/// <list type="bullet">
/// <item>Fixed: 4 MiB for reader buffers (CsvHelper's, FileStream's, the inflater's), exceptions and type set-up.</item>
/// <item>CSV, 64 B per input byte: a cell costs at least 2 input bytes (digit and separator) and at most 4 B as float
/// plus 4 B in the final array, doubled by list growth (≈ 8 B per input byte); a row costs at least 4 bytes and keeps a
/// label string (≈ 24 + 2·length B), a line number and list slots (≈ 12 B per input byte), and class mapping adds about
/// the same again. That is under 32 B per input byte; the bound doubles it.</item>
/// <item>IDX, 16 B per input byte: each data byte is kept once as a byte and once as a float32 (5 B), labels once more as
/// int (4 B).</item>
/// <item>gzip, the same 16 B per byte of data that really inflates (measured here, independently of the reader), plus 16 B
/// per compressed byte: whatever the header claims, memory follows the real data, never the declared size.</item>
/// </list>
/// </remarks>
public sealed class ReaderFuzzTests : IDisposable
{
    private const long FixedBytes = 4 << 20;
    private static readonly string CorpusFolder = Path.Combine(AppContext.BaseDirectory, "Fuzzing", "Corpus");

    private readonly ReaderHarness _harness = new();
    private readonly ITestOutputHelper _output;

    public ReaderFuzzTests(ITestOutputHelper output) => _output = output;

    private static byte[][] CsvSeeds { get; } = [.. Directory.GetFiles(CorpusFolder, "*.csv").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

    private static byte[] Images { get; } = File.ReadAllBytes(Path.Combine(CorpusFolder, "ok-images.idx3"));

    private static byte[] Labels { get; } = [0, 0, 8, 1, 0, 0, 0, 2, 7, 3];

    [Property(MaxTest = 1500, Replay = "(20261129,91)")]
    public Property Csv_MutatedFile_OnlyDataFormatExceptionBoundedMemoryNothingWritten() =>
        Prop.ForAll(Gen.Zip(Gen.Choose(0, CsvSeeds.Length - 1), Mutation.Text()).ToArbitrary(), c =>
        {
            byte[] bytes = Mutation.ApplyAll(CsvSeeds[c.Item1], c.Item2);
            _harness.Check(new Dictionary<string, byte[]> { ["f.csv"] = bytes }, dir => CsvDataLoader.Load(Path.Combine(dir, "f.csv")),
                typeof(DataFormatException), FixedBytes + 64L * bytes.Length, () => Describe("csv seed " + c.Item1, c.Item2));
        });

    [Property(MaxTest = 800, Replay = "(20261129,93)")]
    public Property Idx_MutatedImagesOrLabels_OnlyDataFormatExceptionBoundedMemoryNothingWritten() =>
        Prop.ForAll(Gen.Zip(Gen.Elements(true, false), Mutation.Binary()).ToArbitrary(), c =>
        {
            byte[] images = c.Item1 ? Mutation.ApplyAll(Images, c.Item2) : Images;
            byte[] labels = c.Item1 ? Labels : Mutation.ApplyAll(Labels, c.Item2);
            _harness.Check(Folder(images, labels), dir => MnistLoader.LoadFolder(dir),
                typeof(DataFormatException), FixedBytes + 16L * (images.Length + labels.Length) * 2, () => Describe(c.Item1 ? "images" : "labels", c.Item2));
        });

    [Property(MaxTest = 1300, Replay = "(20261129,95)")]
    public Property Gzip_MutatedBeforeOrAfterCompression_OnlyDataFormatExceptionMemoryFollowsRealData() =>
        Prop.ForAll(Gen.Zip(Mutation.Binary(), Mutation.Binary(), (before, after) => (before, after)).SelectMany(m => Gen.Elements(true, false).Select(inner => (m.before, m.after, inner))).ToArbitrary(), c =>
        {
            byte[] inner = c.Item3 ? Mutation.ApplyAll(Images, c.Item1) : Images;
            byte[] gz = Mutation.ApplyAll(Gzip(inner), c.Item2);
            long inflated = InflatedLength(gz);
            _harness.Check(Folder(gz, Labels, imagesName: "train-images-idx3-ubyte.gz"), dir => MnistLoader.LoadFolder(dir),
                typeof(DataFormatException), FixedBytes + 16L * (gz.Length + inflated), () => Describe((c.Item3 ? "inner " + Describe("", c.Item1) : "") + " gzip", c.Item2));
        });

    public void Dispose()
    {
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{_harness.Cases} cases, {_harness.Rejected} rejected with the documented exception, largest allocation {_harness.MaxAllocated} bytes"));
        _harness.Dispose();
    }

    internal static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            zip.Write(bytes);
        }
        return buffer.ToArray();
    }

    // The bytes a gzip really inflates to, counted in 64 KiB steps up to 256 MiB (independent of the reader under test).
    private static long InflatedLength(byte[] gz)
    {
        long total = 0;
        try
        {
            using var zip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
            var chunk = new byte[1 << 16];
            int read;
            while ((read = zip.Read(chunk)) > 0 && total < 256L << 20)
            {
                total += read;
            }
        }
        catch (InvalidDataException)
        {
            // Corrupt from some point on: what inflated before it is what the reader could have seen.
        }
        return total;
    }

    private static Dictionary<string, byte[]> Folder(byte[] images, byte[] labels, string imagesName = "train-images-idx3-ubyte") => new()
    {
        [imagesName] = images,
        ["train-labels-idx1-ubyte"] = labels,
        ["t10k-images-idx3-ubyte"] = Images,
        ["t10k-labels-idx1-ubyte"] = Labels,
    };

    private static string Describe(string what, Mutation[] mutations) => $"{what}: {string.Join("; ", mutations)}";
}
