using InitLab.Data;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Data;

public class CsvDataLoaderTests
{
    [Theory]
    [InlineData("a,b,label\n1,2,0\n3,x,1\n", "row 2 (line 3), column 'b': 'x' is not a number")]
    [InlineData("a,b,label\n1,2,0\n3,,1\n", "row 2 (line 3), column 'b': the cell is empty")]
    [InlineData("a,b,label\n1,NaN,0\n3,4,1\n", "row 1 (line 2), column 'b': NaN is not a finite")]
    [InlineData("a,b,label\n1,2,0\nInfinity,4,1\n", "row 2 (line 3), column 'a': Infinity is not a finite")]
    [InlineData("a,b,label\n1,2,0\n3,4\n", "row 2 (line 3) has 2 fields, the header has 3")]
    [InlineData("a,b,label\n1,2,0\n3,1e39,1\n", "column 'b': 1e39 is not a finite float32")]
    public void Load_BadCell_NamesFileRowAndColumn(string csv, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.csv");
        File.WriteAllText(path, csv);
        var ex = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(path));
        Assert.StartsWith("bad.csv: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LabelByName_AndTextClassesInSortedOrder()
    {
        using var dir = new TempDirectory();
        string path = dir.File("flowers.csv");
        File.WriteAllText(path, "species,width,length\nvirginica,1.5,2\nsetosa,0.2,1\nversicolor,1,1.5\nsetosa,0.3,1.1\n");
        Dataset data = CsvDataLoader.Load(path, "species");
        Assert.Equal(["width", "length"], data.FeatureNames);
        Assert.Equal(3, data.Classes);
        Assert.Equal([2, 0, 1, 0], data.Labels!);
        Assert.Equal([1.5f, 2f, 0.2f, 1f, 1f, 1.5f, 0.3f, 1.1f], data.Features.Data);
    }

    [Fact]
    public void Load_FractionalLabels_MakeRegression()
    {
        using var dir = new TempDirectory();
        string path = dir.File("r.csv");
        File.WriteAllText(path, "x,y\n1,0.5\n2,1.5\n");
        Dataset data = CsvDataLoader.Load(path);
        Assert.False(data.IsClassification);
        Assert.Equal([0.5f, 1.5f], data.RegressionTargets!.Data);
    }

    [Fact]
    public void Load_UnknownLabelColumn_ListsColumns()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.csv");
        File.WriteAllText(path, "a,b\n1,0\n2,1\n");
        var ex = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(path, "target"));
        Assert.Contains("no column named 'target'. Columns: a, b", ex.Message, StringComparison.Ordinal);
        Assert.Equal("labelColumn", ex.ParamName);
    }

    [Fact]
    public void BuiltIn_DigitsAndIris_HaveTheDocumentedShape()
    {
        Dataset digits = BuiltInData.Load("digits");
        Assert.Equal((1797, 64, 10), (digits.Rows, digits.FeatureCount, digits.Classes));
        Dataset iris = BuiltInData.Load("iris");
        Assert.Equal((150, 4, 3), (iris.Rows, iris.FeatureCount, iris.Classes));
    }
}
