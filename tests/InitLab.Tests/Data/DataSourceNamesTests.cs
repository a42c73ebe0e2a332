using InitLab.Data;
using InitLab.Experiments;
using InitLab.Random;

namespace InitLab.Tests.Data;

/// <summary>Every registered data name loads, and the sequence sets arrive shaped as sequences.</summary>
public class DataSourceNamesTests
{
    [Fact]
    public void EveryName_Loads_WithARowShapeThatFitsItsRows()
    {
        foreach (string name in DataSource.Names)
        {
            Dataset data = DataSource.LoadAll(name, new DataOptions { Rows = 20 });
            Assert.True(data.RowShape.Aggregate(1, (a, b) => a * b) == data.FeatureCount, name);
        }
    }

    [Fact]
    public void Adding_IsTheAddingProblemOf50Steps_SeededByTheDataSeed()
    {
        Dataset adding = DataSource.LoadAll("adding", new DataOptions { Rows = 30, Seed = 4 });
        Assert.Equal([DataSource.AddingTimesteps, 2], adding.RowShape);
        Assert.Equal(50, DataSource.AddingTimesteps);
        Assert.False(adding.IsClassification);
        Assert.Equal(AddingProblem.Generate(30, 50, new Rng(4)).Features.Data, adding.Features.Data);
        var ex = Assert.Throws<ArgumentException>(() => DataSource.LoadAll("adding", new DataOptions { Rows = 30, Task = ModelTask.Classification }));
        Assert.Contains("'adding' is a regression set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MisspelledSequenceName_SuggestsTheNearest()
    {
        var ex = Assert.Throws<InitLab.Common.UnknownNameException>(() => DataSource.Load("digits-rowz"));
        Assert.Contains("Did you mean 'digits-rows'?", ex.Message, StringComparison.Ordinal);
        Assert.Contains("digits-pixels-permuted", ex.Message, StringComparison.Ordinal);
    }
}
