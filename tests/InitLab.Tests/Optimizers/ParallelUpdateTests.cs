using InitLab.Optimizers;
using InitLab.Random;

namespace InitLab.Tests.Optimizers;

/// <summary>
/// A large parameter is updated on several threads, each on its own contiguous range of values (and of the optimizer's
/// state). Every rule is elementwise, so 2 and 3 threads must give the same bits as 1: every built-in optimizer, with
/// and without weight decay and L2, several steps, lengths just above the parallel threshold and not multiples of
/// the part alignment.
/// </summary>
public class ParallelUpdateTests
{
    public static TheoryData<string, double, double> Cases()
    {
        var data = new TheoryData<string, double, double>();
        foreach (string name in OptimizerHarness.RuleNames)
        {
            data.Add(name, 0, 0);
            data.Add(name, 0.3, 0.2);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_TwoAndThreeThreads_BitIdenticalToOne(string name, double weightDecay, double l2)
    {
        int[] lengths = [Optimizer.ParallelUpdateMinimum + 37, 2 * Optimizer.ParallelUpdateMinimum + 5, 1000, Optimizer.ParallelUpdateMinimum + 3];
        Parameter[] one = Make(lengths), two = Make(lengths), three = Make(lengths);
        Optimizer[] optimizers = [.. Enumerable.Range(0, 3).Select(_ => OptimizerHarness.CreateRule(name, weightDecay, l2))];
        optimizers[1].Threads = 2;
        optimizers[2].Threads = 3;
        var rng = new Rng(5);
        Fill(rng, [one, two, three], gradients: false);
        float firstStart = one[0].Value[0];
        for (int step = 0; step < 3; step++)
        {
            Fill(rng, [one, two, three], gradients: true);
            optimizers[0].Step(one);
            optimizers[1].Step(two);
            optimizers[2].Step(three);
        }
        for (int i = 0; i < lengths.Length; i++)
        {
            Assert.Equal(one[i].Value, two[i].Value);
            Assert.Equal(one[i].Value, three[i].Value);
        }
        // The update did something: the first value moved from where it started.
        Assert.NotEqual(firstStart, one[0].Value[0]);
    }

    /// <summary>An optimizer written outside the library only implements Update: it must get every parameter whole,
    /// even a large one with several threads allowed.</summary>
    [Fact]
    public void Step_UserDefinedOptimizer_GetsLargeParametersWhole()
    {
        int n = 2 * Optimizer.ParallelUpdateMinimum + 3;
        Parameter[] parameters = [new("k", new float[n], new float[n], IsBias: false)];
        var optimizer = new RecordingOptimizer { Threads = 2 };
        optimizer.Step(parameters);
        Assert.Equal([n], optimizer.Lengths);
    }

    private sealed class RecordingOptimizer() : Optimizer(0.1, 0, 0, 0.1)
    {
        public List<int> Lengths { get; } = [];

        public override string Name => "recording";

        protected override void CreateState(IReadOnlyList<Parameter> parameters)
        {
        }

        protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient) => Lengths.Add(value.Length);
    }

    [Theory]
    [InlineData(262_144, 2)]
    [InlineData(262_181, 2)]
    [InlineData(524_293, 3)]
    [InlineData(17, 2)]
    public void PartStart_CoversTheRangeInOrderAtLineBoundaries(int length, int parts)
    {
        Assert.Equal(0, Optimizer.PartStart(0, parts, length));
        Assert.Equal(length, Optimizer.PartStart(parts, parts, length));
        for (int part = 1; part < parts; part++)
        {
            int start = Optimizer.PartStart(part, parts, length);
            Assert.Equal(0, start % 16);
            Assert.True(start >= Optimizer.PartStart(part - 1, parts, length), $"part {part} starts before part {part - 1}");
        }
    }

    private static Parameter[] Make(int[] lengths) =>
        [.. lengths.Select((n, i) => new Parameter($"p{i}", new float[n], new float[n], IsBias: i == 2))];

    /// <summary>The same random values into the three copies.</summary>
    private static void Fill(Rng rng, Parameter[][] copies, bool gradients)
    {
        for (int i = 0; i < copies[0].Length; i++)
        {
            float[] first = gradients ? copies[0][i].Gradient : copies[0][i].Value;
            for (int j = 0; j < first.Length; j++)
            {
                float x = (float)rng.Uniform(-2, 2);
                foreach (Parameter[] copy in copies)
                {
                    (gradients ? copy[i].Gradient : copy[i].Value)[j] = x;
                }
            }
        }
    }
}
