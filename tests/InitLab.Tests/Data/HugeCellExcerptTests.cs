using System.Text;
using InitLab.Data;

namespace InitLab.Tests.Data;

/// <summary>Review D8: a huge cell or column name is quoted in an error as its first 40 characters and its length,
/// never whole.</summary>
public class HugeCellExcerptTests
{
    private const int Huge = 100_000;

    private static readonly string s_nines = new('9', Huge);

    private static MemoryStream Csv(string text) => new(Encoding.UTF8.GetBytes(text));

    private static void AssertShortWithLength(string message)
    {
        // The longest legitimate message here (file, row, column, 40 quoted characters, the count) is well under 300.
        Assert.True(message.Length < 300, $"message has {message.Length} characters");
        Assert.Contains(new string('9', Excerpt.MaxChars) + "…", message, StringComparison.Ordinal);
        Assert.Contains("(100000 characters)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvLoad_HugeNumberCell_ErrorQuotesFortyCharactersAndTheLength()
    {
        var ex = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(Csv($"x,y\n{s_nines},0\n1,1\n"), "long.csv"));
        AssertShortWithLength(ex.Message);
        Assert.Contains("not a finite float32 value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvLoad_HugeTextCell_ErrorQuotesFortyCharactersAndTheLength()
    {
        var ex = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(Csv($"x,y\n{s_nines}z,0\n1,1\n"), "long.csv"));
        Assert.True(ex.Message.Length < 300, $"message has {ex.Message.Length} characters");
        Assert.Contains("(100001 characters) is not a number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvLoad_HugeDuplicateHeader_ErrorIsShort()
    {
        var ex = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(Csv($"{s_nines}a,{s_nines}a,y\n1,2,0\n1,2,1\n"), "long.csv"));
        Assert.True(ex.Message.Length < 300, $"message has {ex.Message.Length} characters");
    }

    [Fact]
    public void CsvLoad_HugeLabelName_TaskReasonIsShort()
    {
        Dataset data = CsvDataLoader.Load(Csv($"x,{s_nines}\n1,0\n2,1\n3,0\n"), "long.csv");
        Assert.True(data.TaskReason!.Length < 200, $"reason has {data.TaskReason.Length} characters");
    }

    [Fact]
    public void RawTable_HugeNumberCell_ErrorQuotesFortyCharactersAndTheLength()
    {
        RawTable table = RawTable.Load(Csv($"a,b\n1,{s_nines}\n"), "t.csv");
        var ex = Assert.Throws<DataFormatException>(() => table.Features(["a", "b"]));
        AssertShortWithLength(ex.Message);
    }

    [Fact]
    public void RawTable_MissingHugeColumn_ErrorIsShort()
    {
        RawTable table = RawTable.Load(Csv($"a,{s_nines}\n1,2\n"), "t.csv");
        var ex = Assert.Throws<DataFormatException>(() => table.Features(["a", "c"]));
        Assert.True(ex.Message.Length < 300, $"message has {ex.Message.Length} characters");
    }

    [Fact]
    public void Quote_ShortTextWhole_LongTextCutWithoutSplittingASurrogatePair()
    {
        Assert.Equal("'abc'", Excerpt.Quote("abc"));
        string emoji = new string('a', Excerpt.MaxChars - 1) + "😀" + "tail";
        Assert.Equal($"'{new string('a', Excerpt.MaxChars - 1)}…' ({emoji.Length} characters)", Excerpt.Quote(emoji));
    }
}
