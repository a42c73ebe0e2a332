using BenchmarkDotNet.Attributes;
using InitLab.Performance;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Benchmarks;

/// <summary>One training step (forward, loss, backward, SGD update) of each workload; MemoryDiagnoser shows 0 B.</summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private Sequential _model = null!;
    private IReadOnlyList<(Tensor X, Tensor Y)> _batches = [];
    private int _step;

    [Params("W1", "W2", "W3", "W4", "W5", "R1", "C1")]
    public string Workload { get; set; } = "W1";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Workload w = Performance.Workload.All.Single(x => x.Id == Workload);
        _model = w.CreateModel(Threads);
        _batches = w.CreateBatches();
        for (int i = 0; i < 5; i++)
        {
            Step();
        }
    }

    [Benchmark]
    public double Step()
    {
        var (x, y) = _batches[_step++ % _batches.Count];
        return _model.TrainBatch(x, y);
    }
}
