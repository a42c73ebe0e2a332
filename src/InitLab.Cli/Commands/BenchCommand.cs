using System.CommandLine;
using System.Globalization;
using InitLab.Cli.Rendering;
using InitLab.Common;
using InitLab.Kernels;
using InitLab.Performance;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab bench</c>: the W1–W5, R1 and C1 training-step workloads and square GEMMs, timed here.</summary>
internal static class BenchCommand
{
    /// <summary>Every workload's id, the default list: "W1,W2,W3,W4,W5,R1,C1".</summary>
    private static string AllIds => string.Join(",", Workload.All.Select(w => w.Id));

    public static Command Create(CliContext context)
    {
        var workloads = new Option<string>("--workload", "-w") { Description = $"comma-separated workloads ({AllIds}), or 'none'", DefaultValueFactory = _ => AllIds };
        var threads = new Option<int>("--threads", "-t") { Description = "kernel threads", DefaultValueFactory = _ => 1 }.Check(Flags.ThreadsProblem);
        var repeats = new Option<int>("--repeats", "-r") { Description = "repeats per workload (the median is reported)", DefaultValueFactory = _ => 5 }.Check(n => Flags.AtLeastProblem(n, 1));
        var gemm = new Option<string>("--gemm") { Description = "square GEMM sizes to time ('none' to skip)", DefaultValueFactory = _ => "256,512,1024,2048" };
        var peak = new Option<double?>("--peak-gflops-per-core") { Description = "the core's fp32 peak in GFLOP/s for \"% of peak\" (default: measured now with an FMA microbenchmark on the threads used)" }.Check(v => v is null or > 0 ? null : $"must be > 0, got {v}");
        var csv = new Option<bool>("--csv") { Description = "print the peers' CSV lines (engine,workload,threads,repeat,ms_per_step,samples_per_s,final_loss) instead of tables" };
        var cpu = new Option<bool>("--cpu") { Description = "print the detected processor and the GEMM kernel and blocking chosen for it (INITLAB_GEMM_KERNEL, _MC, _KC, _NC force them), then stop" };
        var json = new Option<string?>("--json") { Description = "write all measurements as JSON ('-': to standard output, tables to standard error)" };
        var command = new Command("bench",
            "Time training steps of the benchmark workloads (W1 tutorial 64-128-128-10, W2 mnist-mlp 784-512-512-10, " +
            "W3 deep-he 30×256, W4 wide 1024-2048-2048-10, W5 resnet-ln 784-256, 50 pre-norm residual blocks " +
            "x + Dense(ReLU(Dense(LayerNorm(x)))) at 256, -10, R1 lstm: sequences of 50×32 into LSTM(128), last state " +
            "-10, C1 lenet: 28×28×1, conv 5×5×32 same, pool, conv 5×5×64 same, pool, 1024, 10) and square GEMMs.\n\nExamples:\n" +
            "  initlab bench\n  initlab bench --cpu\n  initlab bench --workload W3,W4 --threads 2 --json bench.json\n  initlab bench --csv --gemm none --repeats 1")
        {
            workloads, threads, repeats, gemm, peak, csv, json, cpu,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            if (JsonOutput.IsStdout(parse.GetValue(json)))
            {
                context.ReserveStdoutForJson();
            }
            if (parse.GetValue(cpu))
            {
                context.Console.Profile.Out.Writer.WriteLine($"cpu: {CpuInfo.Current}");
                context.Console.Profile.Out.Writer.WriteLine($"gemm: {KernelPlan.Current}");
                return 0;
            }
            int threadCount = parse.GetValue(threads);
            int repeatCount = parse.GetValue(repeats);
            OutputPaths.RequireFileLocation(new("--json", parse.GetValue(json)), folderIsCreated: true);
            string workloadList = parse.GetValue(workloads)!;
            var chosen = (workloadList == "none" ? [] : workloadList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                .Select(id => Workload.All.FirstOrDefault(w => string.Equals(w.Id, id, StringComparison.OrdinalIgnoreCase))
                    ?? throw new UnknownNameException("workload", id, Workload.All.Select(w => w.Id)))
                .ToList();
            bool csvOutput = parse.GetValue(csv);
            var results = new List<Dictionary<string, object?>>();
            var table = new FittedTable { Title = $"training step, {threadCount} thread(s), median of {repeatCount}" }
                .Text("workload", "layers").Numbers("batch", "ms/step", "samples/s", "GFLOP/s", "bytes allocated/step");
            foreach (Workload w in chosen)
            {
                var runs = new List<(double Ms, long Allocated, double Loss)>();
                for (int r = 1; r <= repeatCount; r++)
                {
                    var m = w.Measure(threadCount);
                    runs.Add(m);
                    if (csvOutput)
                    {
                        context.Console.Profile.Out.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"initlab,{w.Id},{threadCount},{r},{m.MsPerStep:F4},{w.BatchSize / m.MsPerStep * 1000:F1},{m.FinalLoss:F4}"));
                    }
                }
                var median = runs.OrderBy(x => x.Ms).ElementAt(runs.Count / 2);
                double allocatedPerStep = (double)runs.Max(x => x.Allocated) / w.Steps;
                table.AddRow(w.Id + " " + w.Name, w.Layers,
                    w.BatchSize.ToString(CultureInfo.InvariantCulture), median.Ms.ToString("F4", CultureInfo.InvariantCulture),
                    (w.BatchSize / median.Ms * 1000).ToString("N0", CultureInfo.InvariantCulture), (w.FlopsPerStep / median.Ms / 1e6).ToString("F1", CultureInfo.InvariantCulture),
                    allocatedPerStep.ToString("F0", CultureInfo.InvariantCulture));
                results.Add(new Dictionary<string, object?>
                {
                    ["workload"] = w.Id,
                    ["threads"] = threadCount,
                    ["ms_per_step"] = median.Ms,
                    ["samples_per_s"] = w.BatchSize / median.Ms * 1000,
                    ["gflops"] = w.FlopsPerStep / median.Ms / 1e6,
                    ["allocated_bytes_per_step"] = allocatedPerStep,
                    ["repeats_ms"] = runs.Select(x => (object?)x.Ms).ToList(),
                });
            }
            var gemmResults = new List<Dictionary<string, object?>>();
            string sizes = parse.GetValue(gemm)!;
            // Measured unless given: a constant is true of one processor only, and these machines change between sessions.
            double peakTotal = sizes == "none" ? double.NaN
                : parse.GetValue(peak) is double given ? given * threadCount : FmaPeak.Measure(threadCount);
            var gemmTable = new FittedTable
            {
                Title = string.Create(CultureInfo.InvariantCulture,
                    $"SGEMM n×n×n, {threadCount} thread(s); peak {peakTotal:F1} GFLOP/s ({(parse.GetValue(peak) is null ? "measured" : "given")})"),
            }.Numbers("n", "ms", "GFLOP/s", "% of peak");
            if (sizes != "none")
            {
                foreach (int n in Flags.ParseWidths("--gemm", sizes))
                {
                    var (ms, gflops) = GemmBenchmark.Measure(n, threadCount, repeatCount);
                    gemmTable.AddRow(n.ToString(CultureInfo.InvariantCulture), ms.ToString("F3", CultureInfo.InvariantCulture),
                        gflops.ToString("F1", CultureInfo.InvariantCulture), (gflops / peakTotal).ToString("P0", CultureInfo.InvariantCulture));
                    gemmResults.Add(new Dictionary<string, object?> { ["n"] = n, ["threads"] = threadCount, ["ms"] = ms, ["gflops"] = gflops, ["fraction_of_peak"] = gflops / peakTotal });
                }
            }
            if (csvOutput)
            {
                foreach (var g in gemmResults)
                {
                    context.Console.Profile.Out.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gemm,{g["n"]},{threadCount},initlab,{(double)g["ms"]!:F4},{(double)g["gflops"]!:F1}"));
                }
            }
            else
            {
                if (chosen.Count > 0)
                {
                    table.Write(context.Console);
                }
                if (gemmResults.Count > 0)
                {
                    gemmTable.Write(context.Console);
                }
            }
            if (parse.GetValue(json) is string path)
            {
                JsonOutput.Write(context, path, new Dictionary<string, object?> { ["workloads"] = results, ["gemm"] = gemmResults, ["peak_gflops"] = double.IsNaN(peakTotal) ? null : peakTotal, ["processor_count"] = Environment.ProcessorCount, ["cpu"] = CpuInfo.Current.ToString(), ["gemm_plan"] = KernelPlan.Current.ToString() });
            }
            return 0;
        }));
        return command;
    }
}
