using System.Runtime.CompilerServices;

namespace InitLab.Tests.TestUtilities;

/// <summary>
/// Compares text with a reviewed snapshot beside the test file, <c>{name}.verified.md</c>. A mismatch (or a missing
/// snapshot) writes <c>{name}.received.md</c> next to it, which git ignores, and fails. Accepting a received file is a
/// person's decision after reading the diff, never a way to turn a test green.
/// </summary>
internal static class Snapshot
{
    /// <summary>Fails unless <paramref name="actual"/> equals the verified snapshot (line endings aside).</summary>
    /// <param name="actual">The text the code produces now.</param>
    /// <param name="name">The snapshot's name, e.g. "InitializerCatalogSnapshotTests.Entries".</param>
    /// <param name="testFile">Filled in by the compiler: the calling test's source file, whose folder holds the snapshot.</param>
    public static void Verify(string actual, string name, [CallerFilePath] string testFile = "")
    {
        string folder = Path.GetDirectoryName(testFile) ?? throw new InvalidOperationException($"No folder for '{testFile}'.");
        string verified = Path.Combine(folder, name + ".verified.md");
        string received = Path.Combine(folder, name + ".received.md");
        string normalized = actual.ReplaceLineEndings("\n");
        string? expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : null;
        if (expected == normalized)
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, normalized);
        Assert.Fail(expected is null
            ? $"No snapshot {verified}; review {received} and rename it to accept it."
            : $"{verified} differs from the output; compare it with {received}. First difference at line {FirstDifferentLine(expected, normalized)}.");
    }

    private static int FirstDifferentLine(string expected, string actual)
    {
        string[] a = expected.Split('\n'), b = actual.Split('\n');
        int line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line])
        {
            line++;
        }
        return line + 1;
    }
}
