using System.Text;
using InitLab.Data;

namespace InitLab.Tests.Data;

public class RawTableTests
{
    private static RawTable Load(string csv) => RawTable.Load(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "t.csv");

    [Fact]
    public void Features_ByNameInRequestedOrder_CaseInsensitiveExtrasIgnored()
    {
        RawTable table = Load("id,B,a\nx,2,1\ny,4,3\n");
        Assert.Equal([1f, 2f, 3f, 4f], table.Features(["a", "b"]).Data);
        Assert.Equal(2, table.Rows);
    }

    [Theory]
    [InlineData("a,b,A\n1,2,3\n", "t.csv: the header names column 'a' twice; column names must be unique.")]
    [InlineData("a,b\n1,2\n3\n", "t.csv: row 2 has 1 fields, the header has 2.")]
    [InlineData("a,b\n", "t.csv: the header has no data rows under it.")]
    public void Load_BadShape_NamesFileAndProblem(string csv, string expected)
    {
        var ex = Assert.Throws<DataFormatException>(() => Load(csv));
        Assert.Equal(expected, ex.Message);
    }

    [Theory]
    [InlineData("a,b\n1,x\n", "t.csv: row 1, column 'b': 'x' is not a number.")]
    [InlineData("a,b\n1,\n", "t.csv: row 1, column 'b': the cell is empty.")]
    [InlineData("a,b\n1,1e39\n", "t.csv: row 1, column 'b': 1e39 is not a finite float32 value.")]
    public void Features_BadCell_NamesRowAndColumn(string csv, string expected)
    {
        var ex = Assert.Throws<DataFormatException>(() => Load(csv).Features(["a", "b"]));
        Assert.Equal(expected, ex.Message);
    }
}
