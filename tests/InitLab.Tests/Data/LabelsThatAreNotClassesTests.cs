using System.Globalization;
using System.Text;
using InitLab.Data;

namespace InitLab.Tests.Data;

/// <summary>Review D11: label columns that the automatic rule would read as classes but are not.</summary>
public class LabelsThatAreNotClassesTests
{
    private static MemoryStream Csv(IEnumerable<string> lines) => new(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));

    [Fact]
    public void Load_PricesWithThousandsSeparators_RefusedSuggestingRegression()
    {
        // 200 rows, 200 distinct quoted prices like "1,234,567": text to an invariant parser, one "class" per row.
        string[] rows = ["x,price", .. Enumerable.Range(0, 200).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},\"{1_000_000 + (i * 1_237):N0}\""))];
        var ex = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(Csv(rows), "price.csv"));
        Assert.Contains("200 distinct values in 200 rows", ex.Message, StringComparison.Ordinal);
        Assert.Contains("thousands separators", ex.Message, StringComparison.Ordinal);
        // The task is what would read it (a regression on the numbers); the library names its parameter, the CLI the flag.
        Assert.Equal("task", ex.ParamName);
        Assert.Contains("set the task to regression", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IdColumnAsLabel_RefusedSayingItLooksLikeAnId()
    {
        string[] rows = ["x,id", .. Enumerable.Range(0, 50).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},user{i}"))];
        var ex = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(Csv(rows), "users.csv"));
        Assert.Contains("looks like an ID", ex.Message, StringComparison.Ordinal);
        Assert.Equal("labelColumn", ex.ParamName);
        Assert.Contains("choose another label column", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StrayTextCellInZeroOneColumn_RefusedNamingRowAndValue()
    {
        // Row 7 (line 8, after the header) holds "cat"; the other 19 are 0/1.
        string[] rows = ["x,y", .. Enumerable.Range(1, 20).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},{(i == 7 ? "cat" : (i % 2).ToString(CultureInfo.InvariantCulture))}"))];
        var ex = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(Csv(rows), "xy.csv"));
        Assert.Contains("row 7 (line 8)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'cat' is the only label that is not a number", ex.Message, StringComparison.Ordinal);
        Assert.Equal("task", ex.ParamName);
        Assert.Contains("set the task to classification", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StrayTextCellWithExplicitClassification_KeptAsAClass()
    {
        string[] rows = ["x,y", .. Enumerable.Range(1, 20).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},{(i == 7 ? "cat" : (i % 2).ToString(CultureInfo.InvariantCulture))}"))];
        Assert.Equal(3, CsvDataLoader.Load(Csv(rows), "xy.csv", task: ModelTask.Classification).Classes);
    }

    [Fact]
    public void Load_TextClassesWellUnderTheLimit_StillClassification()
    {
        // 3 classes in 30 rows: far below max(20, 30/2).
        string[] rows = ["x,species", .. Enumerable.Range(0, 30).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},{(i % 3 == 0 ? "setosa" : i % 3 == 1 ? "versicolor" : "virginica")}"))];
        Assert.Equal(3, CsvDataLoader.Load(Csv(rows), "iris.csv").Classes);
    }

    [Fact]
    public void Load_DistinctValuesAtTheLimit_Accepted_OneMore_Refused()
    {
        // 60 rows: the limit is max(20, 30) = 30 distinct values.
        static string[] Rows(int distinct) => ["x,c", .. Enumerable.Range(0, 60).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},k{i % distinct}"))];
        Assert.Equal(30, CsvDataLoader.Load(Csv(Rows(30)), "c.csv").Classes);
        Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(Csv(Rows(31)), "c.csv"));
    }
}
