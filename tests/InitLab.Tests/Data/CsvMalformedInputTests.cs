using InitLab.Data;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Data;

/// <summary>Issue 9 §4: CSV line numbers, missing and duplicate headers, malformed quoting — each a named error.</summary>
public class CsvMalformedInputTests
{
    private static DataFormatException LoadFails(string csv, string? label = null)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.csv");
        File.WriteAllText(path, csv);
        var ex = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(path, label));
        Assert.StartsWith("bad.csv: ", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Theory]
    // Line numbers counted by hand from the text: header is line 1; each "\n" starts a new line.
    [InlineData("a,b,label\n1,2,0\n\n\n3,x,1\n", "row 2 (line 5), column 'b'")]
    [InlineData("a,b,label\n\n1,2,0\n3,x,1\n", "row 2 (line 4), column 'b'")]
    [InlineData("a,b,label\n1,2,\"multi\nline\nlabel\"\n3,x,1\n", "row 2 (line 5), column 'b'")]
    [InlineData("a,b,label\r\n1,2,0\r\n\r\n3,4\r\n", "row 2 (line 4) has 2 fields")]
    [InlineData("a,b,label\n\"1\n\",2,0\n3,,1\n", "row 2 (line 4), column 'b': the cell is empty")]
    public void Load_BlankLinesAndMultiLineQuotedFields_LineNumberIsTheFilesLine(string csv, string expected)
    {
        Assert.Contains(expected, LoadFails(csv).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RegressionTargetError_NamesTheFilesLine()
    {
        // Fractional targets make a regression set; the bad target sits on line 5 after a blank line and a quoted break.
        var ex = LoadFails("x,y\n1,0.5\n\n\"2\n\",1.5\n3,1e39\n");
        Assert.Contains("row 3 (line 6), column 'y'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1,2,0\n3,4,1\n5,6,0\n", "is all numbers, so the file has no header row")]
    [InlineData("0.5,-2e3,7\n1,2,3\n3,4,5\n", "is all numbers, so the file has no header row")]
    [InlineData("a,b,a\n1,2,0\n3,4,1\n", "names 'a' twice (columns 1 and 3)")]
    [InlineData("x,X,label\n1,2,0\n3,4,1\n", "names 'X' twice (columns 1 and 2)")]
    [InlineData("a, b ,b\n1,2,0\n3,4,1\n", "names 'b' twice (columns 2 and 3)")]
    [InlineData("a,,label\n1,2,0\n3,4,1\n", "header column 2 has no name")]
    public void Load_MissingOrAmbiguousHeader_IsAnError(string csv, string expected)
    {
        Assert.Contains(expected, LoadFails(csv).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b,label\n1,\"2\"x,0\n3,4,1\n")]
    [InlineData("a,b,label\n1,2,0\n3,\"4,1\n5,6,0\n")]
    public void Load_MalformedQuoting_DataFormatExceptionNotSilentRecovery(string csv)
    {
        Assert.Contains("malformed CSV", LoadFails(csv).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OneClassPerRowLabelColumn_RefusedBeforeOneHotTargetsExplode()
    {
        // 47,000 rows with distinct text labels would need 47,000² ≈ 2.2e9 one-hot values (> Array.MaxLength).
        var text = new System.Text.StringBuilder("x,id\n");
        for (int i = 0; i < 47_000; i++)
        {
            text.Append("1,id").Append(i).Append('\n');
        }
        var ex = LoadFails(text.ToString());
        Assert.Contains("has 47000 distinct values in 47000 rows", ex.Message, StringComparison.Ordinal);
        Assert.Equal("labelColumn", ex.ParamName);
        Assert.Contains("choose another label column", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HeaderWithSomeNumericNames_StillLoads()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ok.csv");
        File.WriteAllText(path, "1,2,label\n1,2,0\n\n3,4,1\n");
        Dataset data = CsvDataLoader.Load(path);
        Assert.Equal(["1", "2"], data.FeatureNames);
        Assert.Equal(2, data.Rows);
    }
}
