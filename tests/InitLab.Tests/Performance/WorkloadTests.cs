using InitLab.Performance;

namespace InitLab.Tests.Performance;

/// <summary>Allocation is measured process-wide, so this class runs alone (no other test allocating meanwhile).</summary>
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
        // The count covers the calling thread and the kernel workers (the test host's own threads allocate meanwhile,
        // so a process-wide count was noisy). An engine that allocates per step would allocate in every attempt, so the
        // smallest of three attempts must be exactly 0.
        var one = Enumerable.Range(0, 3).Select(_ => w2.Measure(threads: 1, steps: 3)).ToList();
        var two = Enumerable.Range(0, 3).Select(_ => w2.Measure(threads: 2, steps: 3)).ToList();
        Assert.Equal(0, one.Min(m => m.AllocatedBytes));
        Assert.Equal(0, two.Min(m => m.AllocatedBytes));
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
