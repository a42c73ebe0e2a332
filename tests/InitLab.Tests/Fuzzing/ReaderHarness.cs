namespace InitLab.Tests.Fuzzing;

/// <summary>
/// Runs a reader on a file and checks the three promises of issue 9 §5: only the documented exception escapes, the
/// reader allocates no more than its bound, and nothing in the folder is created, changed or deleted.
/// </summary>
internal sealed class ReaderHarness : IDisposable
{
    // tmpfs when the machine has one: thousands of small rewrites on ext4 pay for its flush-on-truncate heuristic
    // (auto_da_alloc), which made the file set-up, not the readers, most of the run time.
    private readonly string _root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
    private readonly Dictionary<string, byte[]> _written = new(StringComparer.Ordinal);

    public ReaderHarness()
    {
        Folder = Path.Combine(_root, "initlab-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The most any case allocated, for the report (the bound is what is asserted).</summary>
    public long MaxAllocated { get; private set; }

    public int Cases { get; private set; }

    public int Rejected { get; private set; }

    public string Folder { get; }

    /// <summary>Writes <paramref name="files"/>, runs <paramref name="read"/> on the folder and checks the promises.</summary>
    /// <param name="files">File name → content (the mutated file and any valid companions).</param>
    /// <param name="read">The reader, given the folder.</param>
    /// <param name="allowed">The documented exception type.</param>
    /// <param name="bound">Allocation bound in bytes for this input.</param>
    /// <param name="describe">Describes the case for a failure message (mutations applied).</param>
    public void Check(IReadOnlyDictionary<string, byte[]> files, Action<string> read, Type allowed, long bound, Func<string> describe)
    {
        // Only files whose content changed are rewritten: the companions of a mutated file stay from case to case.
        foreach (var (name, content) in files)
        {
            if (!_written.TryGetValue(name, out byte[]? current) || !current.AsSpan().SequenceEqual(content))
            {
                File.WriteAllBytes(Path.Combine(Folder, name), content);
                _written[name] = content;
            }
        }
        foreach (string stale in _written.Keys.Where(k => !files.ContainsKey(k)).ToList())
        {
            File.Delete(Path.Combine(Folder, stale));
            _written.Remove(stale);
        }
        var before = Snapshot();
        Exception? thrown = null;
        long start = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            read(Folder);
        }
        catch (Exception ex)
        {
            thrown = ex;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - start;
        Cases++;
        MaxAllocated = Math.Max(MaxAllocated, allocated);
        if (thrown is not null && thrown.GetType() != allowed)
        {
            throw new InvalidOperationException($"{describe()}: {thrown.GetType().Name} escaped the reader (only {allowed.Name} is documented): {thrown.Message}", thrown);
        }
        if (thrown is not null)
        {
            Rejected++;
            if (string.IsNullOrWhiteSpace(thrown.Message) || thrown.Message.Contains("   at ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{describe()}: the {allowed.Name} message is not one clear line: '{thrown.Message}'");
            }
        }
        if (allocated > bound)
        {
            throw new InvalidOperationException($"{describe()}: the reader allocated {allocated} bytes, above the bound {bound} for this input.");
        }
        var after = Snapshot();
        if (!before.SequenceEqual(after))
        {
            throw new InvalidOperationException($"{describe()}: the reader changed the folder: before [{string.Join(", ", before)}], after [{string.Join(", ", after)}].");
        }
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    // Names, sizes, modification times and a hash of the content of everything in the folder.
    private List<string> Snapshot() =>
        [.. new DirectoryInfo(Folder).EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal)
            .Select(i => i is FileInfo f
                ? $"{f.Name}:{f.Length}:{f.LastWriteTimeUtc.Ticks}:{System.IO.Hashing.XxHash64.HashToUInt64(File.ReadAllBytes(f.FullName))}"
                : $"{i.Name}/")];
}
