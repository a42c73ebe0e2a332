using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using InitLab.Layers;
using InitLab.Optimizers;
using InitLab.Performance;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Benchmarks;

/// <summary>
/// Same-process, interleaved A/B of the fused passes (Dense's output pass and bias gradient, the optimizers' one-pass
/// L2/weight decay) against the separate ones, on the W1–W5 models: one model per workload, switched between the two
/// paths (same bits either way) every sample, the order of the pair alternating per round. Reports min and median ms
/// (thread CPU time on 1 thread, wall time otherwise) of each path and the median of the paired ratios old/new, so a
/// load change between samples cancels out. Not BenchmarkDotNet: its runs of one method after another would not
/// pair the two paths in time on a shared machine.
/// </summary>
/// <remarks><c>dotnet run -c Release --project bench/InitLab.Benchmarks -- fusion-ab [rounds] [W2,W3,W4] [1,2]</c></remarks>
internal static class FusionAb
{
    private sealed record Config(bool Forward, bool Backward, bool Shrink = true);

    /// <summary>What a sample times: whole training steps, or only the part a change touches (shorter samples, so more
    /// pairs fit in the same time and the ratio is less diluted by the untouched GEMMs).</summary>
    private enum Scope
    {
        Step,
        ForwardOnly,
        BackwardOnly,
        AdamWeightDecayUpdateOnly,
        SgdL2UpdateOnly,
    }

    private static readonly (string Change, Scope Scope, Config Old, Config New)[] Experiments =
    [
        ("forward pass: bias+act fused", Scope.ForwardOnly, new(false, false), new(true, false)),
        ("backward pass: bias grad fused", Scope.BackwardOnly, new(false, false), new(false, true)),
        ("step: bias+act fused", Scope.Step, new(false, true), new(true, true)),
        ("step: bias grad fused", Scope.Step, new(false, false), new(false, true)),
        ("update: adam+weight decay 1 pass", Scope.AdamWeightDecayUpdateOnly, new(true, true, false), new(true, true, true)),
        ("update: sgd+l2 1 pass", Scope.SgdL2UpdateOnly, new(true, true, false), new(true, true, true)),
    ];

    public static void Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 11;
        string[] ids = args.Length > 1 ? args[1].Split(',') : ["W2", "W3", "W4"];
        int[] threadCounts = args.Length > 2 ? [.. args[2].Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture))] : [1];
        Console.WriteLine($"fusion A/B, {rounds} rounds, {Environment.ProcessorCount} CPUs, load avg {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        foreach (string id in ids)
        {
            Workload workload = Workload.All.Single(w => w.Id == id);
            foreach (int threads in threadCounts)
            {
                Sequential model = workload.CreateModel(threads);
                var batches = workload.CreateBatches();
                // About 60 ms of steps per sample.
                int steps = Math.Max(1, (int)Math.Round(60.0 / (workload.FlopsPerStep / 70e6)));
                int cursor = 0;
                bool useCpuTime = threads == 1;
                Optimizer updater = new Sgd();
                Scope scope = Scope.Step;
                double Sample(Config config)
                {
                    Apply(model, config);
                    updater.FuseShrink = config.Shrink;
                    (Tensor x0, Tensor y0) = batches[0];
                    if (scope != Scope.Step && scope != Scope.ForwardOnly)
                    {
                        // Backward reads only the buffers this leaves behind and rewrites the same gradients every time.
                        model.ComputeGradients(x0, y0);
                    }
                    long cpuStart = ThreadCpuNanoseconds();
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < steps; i++, cursor++)
                    {
                        (Tensor x, Tensor y) = batches[cursor % batches.Count];
                        switch (scope)
                        {
                            case Scope.ForwardOnly:
                                model.Forward(x.Data, x.Shape[0], PassMode.Train);
                                break;
                            case Scope.BackwardOnly:
                                model.Backward(lastGradientIsPreActivation: true);
                                break;
                            case Scope.AdamWeightDecayUpdateOnly:
                            case Scope.SgdL2UpdateOnly:
                                updater.Step(model.Parameters);
                                break;
                            default:
                                model.TrainBatch(x, y);
                                break;
                        }
                    }
                    double wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds / steps;
                    // On 1 thread all the work runs on this thread: its CPU time leaves out the time the scheduler gave
                    // to the other processes of a loaded machine, which the wall clock counts.
                    return useCpuTime ? (ThreadCpuNanoseconds() - cpuStart) / 1e6 / steps : wall;
                }
                foreach ((string change, Scope experimentScope, Config oldPath, Config newPath) in Experiments)
                {
                    if (args.Length > 3 && !change.Contains(args[3], StringComparison.Ordinal))
                    {
                        continue;
                    }
                    scope = experimentScope;
                    updater = scope == Scope.SgdL2UpdateOnly ? new Sgd(0.01, l2: 1e-4) : new Adam(1e-3, weightDecay: 4e-3);
                    Sample(oldPath);
                    Sample(newPath);
                    var olds = new List<double>();
                    var news = new List<double>();
                    var ratios = new List<double>();
                    for (int round = 0; round < rounds; round++)
                    {
                        double o, n;
                        if (round % 2 == 0)
                        {
                            o = Sample(oldPath);
                            n = Sample(newPath);
                        }
                        else
                        {
                            n = Sample(newPath);
                            o = Sample(oldPath);
                        }
                        olds.Add(o);
                        news.Add(n);
                        ratios.Add(o / n);
                    }
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{id} {threads}t {(useCpuTime ? "cpu" : "wall")} {change,-32} {steps,3} per sample  old min {olds.Min(),8:F3} med {Median(olds),8:F3}  new min {news.Min(),8:F3} med {Median(news),8:F3} ms  old/new: median of pairs {Median(ratios):F3}, of mins {olds.Min() / news.Min():F3}"));
                }
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID = 3 on Linux).</summary>
    private static long ThreadCpuNanoseconds()
    {
        if (ClockGetTime(3, out TimeSpec time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    private static void Apply(Sequential model, Config config)
    {
        foreach (Dense layer in model.DenseLayers)
        {
            layer.FuseForward = config.Forward;
            layer.FuseBackward = config.Backward;
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
