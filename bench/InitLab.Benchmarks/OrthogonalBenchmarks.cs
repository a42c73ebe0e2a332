using BenchmarkDotNet.Attributes;
using InitLab.Initializers;
using InitLab.Random;

namespace InitLab.Benchmarks;

/// <summary>
/// A Haar-orthogonal n×n draw (Gaussian draw + QR + sign fix, what the orthogonal initializer does) by the blocked
/// Householder QR against the modified Gram–Schmidt it replaced (the baseline), in the same run: both draw the same
/// Gaussian matrix from the same seed and return the same Q up to float rounding.
/// </summary>
[MemoryDiagnoser]
public class OrthogonalBenchmarks
{
    [Params(256, 1024)]
    public int Size { get; set; }

    [Benchmark(Baseline = true)]
    public double[] GramSchmidt() => OrthogonalMatrix.DrawGramSchmidt(Size, Size, new Rng(1));

    [Benchmark]
    public double[] BlockedHouseholder() => OrthogonalMatrix.Draw(Size, Size, new Rng(1));
}
