using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Optimizers;

public class OptimizerStepTests
{
    public static TheoryData<string> Names() => [.. OptimizerRegistry.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Step_AfterTheFirst_AllocatesNothing(string name)
    {
        // Parameters this small (and Threads = 1) are updated on the calling thread, so its own allocation counter is exact.
        Parameter[] parameters =
        [
            new("k", new float[37], Enumerable.Repeat(0.5f, 37).ToArray(), IsBias: false),
            new("b", new float[5], Enumerable.Repeat(-0.5f, 5).ToArray(), IsBias: true),
        ];
        Optimizer optimizer = OptimizerRegistry.Resolve(name, 0.01, weightDecay: 0.1, l2: 0.1);
        optimizer.Step(parameters);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            optimizer.Step(parameters);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Step_GradientShorterThanValues_NamesTheParameter()
    {
        var error = Assert.Throws<ArgumentException>(() => new Adam().Step([new Parameter("dense_0/kernel", new float[4], new float[3], false)]));
        Assert.Contains("'dense_0/kernel' has 4 values but 3 gradient entries", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Fit_OneVersusThreeThreads_BitIdenticalWeights(string name)
    {
        var rng = new Rng(11);
        var x = new Tensor([.. Enumerable.Range(0, 200 * 6).Select(_ => (float)rng.Normal(0, 1))], 200, 6);
        var y = new Tensor([.. Enumerable.Range(0, 200).Select(i => (float)(i % 3))], 200, 1);
        float[][] Train(int threads)
        {
            var model = new Sequential(6, [new Dense(40, "relu", "he_normal"), new Dense(3, "softmax")], seed: 2) { Threads = threads };
            model.Compile(new CategoricalCrossEntropy(sparse: true), OptimizerRegistry.Resolve(name, weightDecay: 0.01, l2: 0.01));
            model.Fit(x, y, new FitOptions { Epochs = 3, BatchSize = 16, ShuffleSeed = 4 });
            return [.. model.Parameters.Select(p => (float[])p.Value.Clone())];
        }
        float[][] one = Train(1), three = Train(3);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], three[i]);
        }
    }
}
