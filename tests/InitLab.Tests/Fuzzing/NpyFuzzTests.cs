using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using InitLab.Data;
using InitLab.Persistence;
using Xunit.Abstractions;

namespace InitLab.Tests.Fuzzing;

/// <summary>
/// Issue 14 §3: mutated .npy and .npz files (the NumPy-written fixtures with bits flipped, cuts, inserted bytes, boundary
/// ints over the preamble and header length) fed to <see cref="NpyReader"/> and <see cref="NpzFile"/>. Only
/// <see cref="DataFormatException"/> escapes, nothing in the folder changes, and memory stays within the bound:
/// .npy — 4 MiB fixed plus 16 B per input byte (values are 4 B per data byte at most, the header is kept twice as bytes
/// and chars); .npz — the same per byte an entry may declare, which the reader caps at 1032 times its compressed size
/// (deflate's largest ratio), so 4 MiB + 16·1032 B per archive byte.
/// </summary>
public sealed class NpyFuzzTests : IDisposable
{
    private const long FixedBytes = 4 << 20;
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures");

    private static byte[][] NpySeeds { get; } = [.. Directory.GetFiles(Fixtures, "*.npy").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

    private static byte[][] NpzSeeds { get; } = [.. Directory.GetFiles(Fixtures, "*.npz").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

    private readonly ReaderHarness _harness = new();
    private readonly ITestOutputHelper _output;

    public NpyFuzzTests(ITestOutputHelper output) => _output = output;

    [Property(MaxTest = 600, Replay = "(20261129,141)")]
    public Property Npy_MutatedFile_OnlyDataFormatExceptionBoundedMemoryNothingWritten() =>
        Prop.ForAll(Gen.Zip(Gen.Choose(0, NpySeeds.Length - 1), Gen.OneOf(Mutation.Binary(), Mutation.Text())).ToArbitrary(), c =>
        {
            byte[] bytes = Mutation.ApplyAll(NpySeeds[c.Item1], c.Item2);
            _harness.Check(new Dictionary<string, byte[]> { ["a.npy"] = bytes }, dir => NpyReader.Read(Path.Combine(dir, "a.npy")),
                typeof(DataFormatException), FixedBytes + 16L * bytes.Length, () => $"npy seed {c.Item1}: {string.Join("; ", c.Item2)}");
        });

    [Property(MaxTest = 400, Replay = "(20261129,143)")]
    public Property Npz_MutatedArchive_OnlyDataFormatExceptionBoundedMemoryNothingWritten() =>
        Prop.ForAll(Gen.Zip(Gen.Choose(0, NpzSeeds.Length - 1), Mutation.Binary()).ToArbitrary(), c =>
        {
            byte[] bytes = Mutation.ApplyAll(NpzSeeds[c.Item1], c.Item2);
            _harness.Check(new Dictionary<string, byte[]> { ["w.npz"] = bytes }, dir => NpzFile.Read(Path.Combine(dir, "w.npz")),
                typeof(DataFormatException), FixedBytes + 16L * 1032 * bytes.Length, () => $"npz seed {c.Item1}: {string.Join("; ", c.Item2)}");
        });

    public void Dispose()
    {
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{_harness.Cases} cases, {_harness.Rejected} rejected with the documented exception, largest allocation {_harness.MaxAllocated} bytes"));
        _harness.Dispose();
    }
}
