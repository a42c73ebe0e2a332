using InitLab.Performance;

namespace InitLab.Tests.Performance;

public class FmaPeakTests
{
    [Fact]
    public void Measure_ShortRun_PositiveFiniteGflops()
    {
        // Not a timing assertion (the machines are shared): only that the loop runs on 1 and 2 threads and the
        // arithmetic of FLOP per iteration gives a finite, positive rate.
        double one = FmaPeak.Measure(threads: 1, iterations: 100_000, rounds: 1);
        double two = FmaPeak.Measure(threads: 2, iterations: 100_000, rounds: 1);

        Assert.True(double.IsFinite(one) && one > 0, $"{one}");
        Assert.True(double.IsFinite(two) && two > 0, $"{two}");
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 0)]
    public void Measure_NonPositiveArgument_Throws(int threads, long iterations, int rounds) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => FmaPeak.Measure(threads, iterations, rounds));
}
