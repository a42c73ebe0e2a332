using InitLab.Data;
using InitLab.Tensors;

namespace InitLab.Tests.Data;

/// <summary><see cref="Dataset.RowShape"/>: default [features], only shapes whose product is the width, kept by every
/// operation that keeps the columns.</summary>
public class RowShapeTests
{
    private static Dataset Images() =>
        new Dataset("img", new Tensor([.. Enumerable.Range(0, 24).Select(i => (float)i)], 2, 12), [0, 1], 2) { RowShape = [2, 3, 2] };

    [Fact]
    public void RowShape_Default_IsTheFeatureCount()
    {
        Assert.Equal([3], new Dataset("r", new Tensor(new float[6], 2, 3), new Tensor(new float[2], 2, 1)).RowShape);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 3 }, "row shape [2, 3, 3] does not fit rows of 12 features")]
    [InlineData(new[] { 12, 0 }, "row shape [12, 0] does not fit rows of 12 features")]
    [InlineData(new[] { -2, -6 }, "row shape [-2, -6] does not fit")]
    [InlineData(new int[0], "row shape [] does not fit")]
    [InlineData(new[] { 65536, 65536, 65536, 65536 }, "does not fit")]
    public void RowShape_ProductNotTheWidth_IsAnErrorNamingBoth(int[] shape, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => Images().WithRowShape(shape));
        Assert.Equal("RowShape", ex.ParamName);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("every dimension must be >= 1 and their product 12", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RowShape_CannotBeChangedThroughTheList()
    {
        Assert.Throws<NotSupportedException>(() => ((IList<int>)Images().RowShape)[0] = 12);
    }

    [Fact]
    public void RowShape_KeptBySubsetSplitScalerAndFixedTransforms()
    {
        Dataset images = Images();
        Assert.Equal([2, 3, 2], images.Subset([1], "one").RowShape);
        (Dataset train, Dataset test) = images.Split(testRows: 1);
        Assert.Equal([2, 3, 2], train.RowShape);
        Assert.Equal([2, 3, 2], test.RowShape);
        Assert.Equal([2, 3, 2], Scaler.FitStandard(images.Features).Transform(images).RowShape);
        Assert.Equal([2, 3, 2], FeatureTransforms.Apply(images, x => FeatureTransforms.DivideBy(x, 16)).RowShape);
        Assert.Equal([2, 3, 2], images.WithTargets(new Tensor(new float[2], 2, 1)).RowShape);
    }

    [Fact]
    public void RowShape_NewWidth_MakesPlainRows()
    {
        Dataset images = Images();
        Assert.Equal([5], images.WithFeatures(new Tensor(new float[10], 2, 5)).RowShape);
        Assert.Equal([5], FeatureTransforms.Apply(images, _ => new Tensor(new float[10], 2, 5)).RowShape);
    }

    [Fact]
    public void WithRowShape_SameFloats_OtherShape()
    {
        Dataset images = Images();
        Dataset flat = images.WithRowShape([12], "flat");
        Assert.Same(images.Features, flat.Features);
        Assert.Equal("flat", flat.Name);
        Assert.Equal([12], flat.RowShape);
        Assert.Equal([2, 3, 2], images.RowShape);
    }
}
