using BenchmarkDotNet.Attributes;
using InitLab.Diagnostics;
using InitLab.Performance;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Benchmarks;

/// <summary>
/// What <see cref="TrainingMonitor"/> costs (issue 14: at most 10 % of a W2 step at K = 10): <c>Fit</c> over W2's 8 fixed
/// batches (784-512-512-10, batch 128, 80 steps, no shuffle) without a monitor (the baseline) and with one recording every
/// 10 steps, in the same run. The ratio column is the overhead; MemoryDiagnoser shows what the monitor's records allocate.
/// </summary>
[MemoryDiagnoser]
public class MonitorOverheadBenchmarks
{
    private const int Batches = 8;
    private Sequential _model = null!;
    private Tensor _x = null!;
    private Tensor _y = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Workload w2 = Workload.All.Single(w => w.Id == "W2");
        _model = w2.CreateModel(Threads);
        var batches = w2.CreateBatches();
        int rows = batches.Sum(b => b.X.Shape[0]);
        _x = new Tensor([.. batches.SelectMany(b => b.X.Data)], rows, batches[0].X.Shape[1]);
        _y = new Tensor([.. batches.SelectMany(b => b.Y.Data)], rows, 1);
        Fit(null);
    }

    [Benchmark(Baseline = true)]
    public long Unmonitored() => Fit(null);

    [Benchmark]
    public long MonitoredEvery10Steps() => Fit(new TrainingMonitor(every: 10));

    private long Fit(TrainingMonitor? monitor)
    {
        var options = new FitOptions
        {
            Epochs = 10,
            BatchSize = _x.Shape[0] / Batches,
            Shuffle = false,
            Callbacks = monitor is null ? [] : [monitor],
        };
        return _model.Fit(_x, _y, options).Steps;
    }
}
