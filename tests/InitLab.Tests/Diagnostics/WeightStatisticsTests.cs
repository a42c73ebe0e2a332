using InitLab.Diagnostics;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Tests.Diagnostics;

public class WeightStatisticsTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(-1.5)]
    [InlineData(0)]
    public void DistinctUnits_ConstantLayer_IsOne(double value)
    {
        var model = new Sequential(3, [new Dense(8, new InitLab.Activations.Relu(), new Constant(value), new Constant(value))]);
        Assert.Equal(1, WeightStatistics.DistinctUnits(model.DenseLayers[0]));
        Assert.Equal(value == 0 ? 0 : 1, WeightStatistics.NumericalRank(model.DenseLayers[0]));
    }

    [Fact]
    public void DistinctUnits_RandomLayer_IsItsWidth_AndRankFull()
    {
        var model = new Sequential(20, [new Dense(12, "tanh", "glorot_uniform")]);
        Assert.Equal(12, WeightStatistics.DistinctUnits(model.DenseLayers[0]));
        Assert.Equal(12, WeightStatistics.NumericalRank(model.DenseLayers[0]));
    }

    [Fact]
    public void DistinctUnits_TwoGroups_CountsTwo()
    {
        var model = new Sequential(2, [new Dense(4, "relu", "zeros")]);
        Span<float> w = model.DenseLayers[0].Kernel;
        // Columns 0 and 2 are one unit, columns 1 and 3 another (a unit is a column of the (in, out) kernel).
        w[1] = -3;
        w[3] = -3;
        Assert.Equal(2, WeightStatistics.DistinctUnits(model.DenseLayers[0]));
        Assert.Equal(1, WeightStatistics.NumericalRank(model.DenseLayers[0]));
    }

    [Fact]
    public void AllUnitsIdentical_AgreesWithTheDistinctCount()
    {
        var constant = new Sequential(3, [new Dense(8, new InitLab.Activations.Relu(), new Constant(0.5), new Constant(0.5))]);
        Assert.True(WeightStatistics.AllUnitsIdentical(constant.DenseLayers[0]));
        var random = new Sequential(20, [new Dense(12, "tanh", "glorot_uniform")]);
        Assert.False(WeightStatistics.AllUnitsIdentical(random.DenseLayers[0]));
        var twoGroups = new Sequential(2, [new Dense(4, "relu", "zeros")]);
        twoGroups.DenseLayers[0].Kernel[3] = -3; // unit 3 differs from unit 0 in its first input's weight
        Assert.False(WeightStatistics.AllUnitsIdentical(twoGroups.DenseLayers[0]));
        twoGroups.DenseLayers[0].Kernel[3] = 0;
        twoGroups.DenseLayers[0].Bias[2] = 1; // only the bias differs
        Assert.False(WeightStatistics.AllUnitsIdentical(twoGroups.DenseLayers[0]));
    }

    [Fact]
    public void AllInputRowsIdentical_EqualRowsOnly()
    {
        var model = new Sequential(3, [new Dense(4, "relu", "zeros")]);
        Span<float> w = model.DenseLayers[0].Kernel; // 3 rows (inputs) × 4 columns (units)
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = i % 4; // every row is 0, 1, 2, 3
        }
        Assert.True(WeightStatistics.AllInputRowsIdentical(model.DenseLayers[0]));
        w[2 * 4 + 1] = 7; // row 2 differs in one entry
        Assert.False(WeightStatistics.AllInputRowsIdentical(model.DenseLayers[0]));
    }

    [Fact]
    public void RelativeChange_FromZero_IsTheAbsoluteNorm()
    {
        Assert.Equal(5, WeightStatistics.RelativeChange([3f, 4f], [0f, 0f]), 12);
        Assert.Equal(0.5, WeightStatistics.RelativeChange([1.5f, 0f], [1f, 0f]), 12);
    }
}
