using InitLab.Initializers;
using InitLab.Random;
using InitLab.Tests.Initializers;

namespace InitLab.Tests.Initializers;

/// <summary>Issue 8: orthogonal left a longer span partly unfilled and overran a shorter one (IndexOutOfRange); every
/// initializer in the catalog now refuses a span whose length differs from the shape's product, before writing.</summary>
public class InitializerSpanLengthTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in InitializerRegistry.Names)
        {
            data.Add(name, -1);
            data.Add(name, 1);
            data.Add(name, 7);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fill_SpanLengthDiffersFromShape_ThrowsNamingBothLengths_AndWritesNothing(string name, int extra)
    {
        IInitializer initializer = InitializerRegistryTests.Create(name);
        int[] shape = name is "dirac" or "delta_orthogonal" ? [3, 3, 4, 6] : [12, 10];
        int elements = shape.Aggregate(1, (a, b) => a * b);
        var weights = new float[elements + extra];
        Array.Fill(weights, float.NaN);
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            initializer.Fill(weights, shape, Fans.FromShape(shape, WeightLayout.Keras), new Rng(1)));
        Assert.Equal("weights", ex.ParamName);
        Assert.Contains($"{elements + extra} elements", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"shape [{string.Join(", ", shape)}] has {elements}", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith(initializer.Name + ":", ex.Message, StringComparison.Ordinal);
        Assert.All(weights, w => Assert.True(float.IsNaN(w)));
    }

    [Fact]
    public void Fill_NegativeDimension_IsRefused()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new Orthogonal().Fill(new float[4], [-2, -2], new Fans(2, 2), new Rng(1)));
        Assert.Equal("shape", ex.ParamName);
    }
}
