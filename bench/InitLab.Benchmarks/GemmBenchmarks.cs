using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using InitLab.Kernels;
using InitLab.Random;

namespace InitLab.Benchmarks;

/// <summary>
/// InitLab's packed GEMM against a TensorPrimitives baseline (row of A · column of a pre-transposed B with
/// TensorPrimitives.Dot — the fastest matmul the BCL offers, since System.Numerics.Tensors has no GEMM), in the same run.
/// Square sizes 128…2048 and the three shapes of a W3 layer (forward, weight gradient, input gradient).
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _bTransposed = [];
    private float[] _c = [];

    [Params("128", "256", "512", "1024", "2048", "W3-fwd-128x256x256", "W3-dW-256x256x128", "W3-dX-128x256x256")]
    public string Shape { get; set; } = "256";

    [Params(1, 2)]
    public int Threads { get; set; }

    private (int M, int N, int K, bool TransA, bool TransB) Dims => Shape switch
    {
        "W3-fwd-128x256x256" => (128, 256, 256, false, false),
        "W3-dW-256x256x128" => (256, 256, 128, true, false),
        "W3-dX-128x256x256" => (128, 256, 256, false, true),
        _ => (int.Parse(Shape, System.Globalization.CultureInfo.InvariantCulture), int.Parse(Shape, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Shape, System.Globalization.CultureInfo.InvariantCulture), false, false),
    };

    [GlobalSetup]
    public void Setup()
    {
        var (m, n, k, _, _) = Dims;
        var rng = new Rng(1);
        _a = [.. Enumerable.Range(0, m * k).Select(_ => (float)rng.Uniform(-1, 1))];
        _b = [.. Enumerable.Range(0, k * n).Select(_ => (float)rng.Uniform(-1, 1))];
        _bTransposed = new float[k * n];
        for (int p = 0; p < k; p++)
        {
            for (int j = 0; j < n; j++)
            {
                _bTransposed[j * k + p] = _b[p * n + j];
            }
        }
        _c = new float[m * n];
    }

    [Benchmark(Baseline = true)]
    public void TensorPrimitivesDot()
    {
        // Operands laid out so every dot product reads two contiguous rows (the baseline's best case).
        var (m, n, k, _, _) = Dims;
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<float> row = _a.AsSpan(i * k, k);
            for (int j = 0; j < n; j++)
            {
                _c[i * n + j] = TensorPrimitives.Dot(row, _bTransposed.AsSpan(j * k, k));
            }
        }
    }

    [Benchmark]
    public void InitLabGemm()
    {
        var (m, n, k, transA, transB) = Dims;
        Gemm.Multiply(_a, transA, transB ? _bTransposed : _b, transB, _c, m, n, k, maxThreads: Threads);
    }
}
