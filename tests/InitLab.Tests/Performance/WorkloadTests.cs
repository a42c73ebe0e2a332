using InitLab.Performance;

namespace InitLab.Tests.Performance;

/// <summary>Allocation tests run alone: per-thread counts are exact, but the kernel worker pool is shared, and a parallel
/// region started by another test meanwhile would run on (and be counted on) the same workers.</summary>
[CollectionDefinition("Allocation", DisableParallelization = true)]
public sealed class RunsAlone
{
}

[Collection("Allocation")]
public class WorkloadTests
{
    [Fact]
    public void FlopsPerStep_IsSixBSumInOutMinusFirstInputGradient()
    {
        Workload w1 = Workload.All.Single(w => w.Id == "W1");
        Assert.Equal(6.0 * 32 * (64 * 128 + 128 * 128 + 128 * 10) - 2.0 * 32 * 64 * 128, w1.FlopsPerStep);
        Workload w3 = Workload.All.Single(w => w.Id == "W3");
        Assert.Equal(32, w3.Widths.Count);
    }

    [Fact]
    public void TrainingStep_AllocatesNothing_AndIsIdenticalForOneAndTwoThreads()
    {
        Workload w2 = Workload.All.Single(w => w.Id == "W2");
        // Measure counts the calling thread and the kernel workers only (not the test host's threads), so every
        // attempt must be exactly 0; one 24-byte object per step shows up as 3 × 24 bytes.
        var one = Enumerable.Range(0, 3).Select(_ => w2.Measure(threads: 1, steps: 3)).ToList();
        var two = Enumerable.Range(0, 3).Select(_ => w2.Measure(threads: 2, steps: 3)).ToList();
        Assert.All(one, m => Assert.Equal(0, m.AllocatedBytes));
        Assert.All(two, m => Assert.Equal(0, m.AllocatedBytes));
        Assert.Equal(one[0].FinalLoss, two[0].FinalLoss);
    }

    [Fact]
    public void Batches_AreTheSameForTheSameWorkload()
    {
        Workload w1 = Workload.All[0];
        Assert.Equal(w1.CreateBatches()[3].X.Data, w1.CreateBatches()[3].X.Data);
        Assert.All(w1.CreateBatches().SelectMany(b => b.Y.Data), label => Assert.InRange(label, 0, 9));
    }
}
