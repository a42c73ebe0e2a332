using InitLab.Training;

namespace InitLab.Tests.Training;

public class MemoryEstimateTests
{
    [Fact]
    public void ForTraining_SmallStack_MatchesHandCount()
    {
        // widths 2 → 3 → 1, batch 4, worked by hand:
        //   batch input 4·4·2 = 32 B
        //   layer 0: 16·(6 kernel + 3 bias) = 144 B, batch buffers 16·4·3 = 192 B
        //   layer 1: 16·(3 + 1) = 64 B, batch buffers 16·4·1 = 64 B     → 496 B
        // largest single buffer: rows·units of layer 0 = 12 values.
        var estimate = MemoryEstimate.ForTraining([2, 3, 1], 4);
        Assert.Equal(496, estimate.TotalBytes);
        Assert.Equal(12, estimate.LargestArray);
        Assert.Equal(0, estimate.LargestLayer);
        Assert.True(estimate.FitsInArrays);
    }

    [Fact]
    public void ForTraining_KernelPastArrayLimit_DoesNotFitAndDoesNotOverflow()
    {
        var estimate = MemoryEstimate.ForTraining([2, 65536, 65537, 1], 32);
        Assert.Equal(65536.0 * 65537, estimate.LargestArray);
        Assert.Equal(1, estimate.LargestLayer);
        Assert.False(estimate.FitsInArrays);
        Assert.True(estimate.TotalBytes > 16 * 65536.0 * 65537);
    }
}
