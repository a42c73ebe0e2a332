using InitLab.Data;

namespace InitLab.Tests.Fuzzing;

/// <summary>The checked-in corpus of issue 9's bad inputs (Fuzzing/Corpus, expectations in corpus.tsv): each loads or
/// fails with a DataFormatException whose message says what the manifest says, and nothing is written.</summary>
public class CorpusTests
{
    private static readonly string CorpusFolder = Path.Combine(AppContext.BaseDirectory, "Fuzzing", "Corpus");

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string line in File.ReadAllLines(Path.Combine(CorpusFolder, "corpus.tsv")).Where(l => l.Length > 0 && l[0] != '#'))
        {
            string[] parts = line.Split('\t');
            data.Add(parts[0], parts[1]);
        }
        return data;
    }

    [Fact]
    public void Corpus_EveryFileHasAnExpectation()
    {
        var listed = Cases().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        string[] unlisted = [.. Directory.GetFiles(CorpusFolder).Select(Path.GetFileName).Where(f => f != "corpus.tsv" && !listed.Contains(f!)).Select(f => f!)];
        Assert.True(unlisted.Length == 0, "no expectation for: " + string.Join(", ", unlisted));
        Assert.True(listed.Count >= 45, $"{listed.Count} corpus cases");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Corpus_File_LoadsOrFailsWithTheExpectedMessage(string file, string expected)
    {
        using var harness = new ReaderHarness();
        byte[] bytes = File.ReadAllBytes(Path.Combine(CorpusFolder, file));
        Action<string> read = file.EndsWith(".csv", StringComparison.Ordinal)
            ? dir => CsvDataLoader.Load(Path.Combine(dir, file))
            : dir => MnistLoader.ReadIdx(Path.Combine(dir, file), expectedRank: 3);
        Exception? thrown = null;
        harness.Check(new Dictionary<string, byte[]> { [file] = bytes }, dir =>
        {
            try
            {
                read(dir);
            }
            catch (DataFormatException ex)
            {
                thrown = ex;
                throw;
            }
        }, typeof(DataFormatException), 16L << 20, () => file);
        if (expected == "ok")
        {
            Assert.Null(thrown);
            return;
        }
        Assert.NotNull(thrown);
        Assert.StartsWith(file + ": ", thrown.Message, StringComparison.Ordinal);
        Assert.Contains(expected, thrown.Message, StringComparison.Ordinal);
    }
}
