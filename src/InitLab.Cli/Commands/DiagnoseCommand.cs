using System.CommandLine;
using InitLab.Cli.Errors;
using InitLab.Cli.Rendering;
using InitLab.Diagnostics;
using InitLab.Experiments;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab diagnose</c>: one forward/backward pass and a per-layer health table with warnings.</summary>
internal static class DiagnoseCommand
{
    /// <summary>Values one layer's probe batch may hold (rows × widest layer): beyond it the batch rows are sampled down
    /// (to no fewer than <see cref="MinimumRows"/>), so time and memory grow with the width, not with width × rows.</summary>
    internal const int MaxBatchValues = 1 << 24;

    /// <summary>The fewest rows a lowered batch keeps (the statistics are over rows × units values, still millions).</summary>
    internal const int MinimumRows = 16;

    public static Command Create(CliContext context)
    {
        var layers = new Option<string>("--layers", "-l") { Description = "all widths, input first, e.g. 256,256,256,10 (not with --model)" };
        var trainedModel = new Option<string?>("--model", "-m") { Description = "diagnose this trained model (from train --save) on --data, through its stored preprocessing" };
        var activation = new Option<string>("--activation", "-a") { Description = "hidden activation", DefaultValueFactory = _ => "relu" };
        var init = new Option<string>("--init") { Description = "kernel initializer", DefaultValueFactory = _ => "glorot_uniform" };
        var data = new Option<string?>("--data", "-d") { Description = "a data set (as for train); default: standard normal inputs" };
        var rows = new Option<int>("--rows") { Description = "batch rows (lowered for very wide layers: rows × widest ≤ 16,777,216)", DefaultValueFactory = _ => 256 }.Check(n => Flags.AtLeastProblem(n, 2));
        var seed = new Option<ulong>("--seed", "-s") { Description = "seed of the weights and of the Gaussian batch", DefaultValueFactory = _ => 1UL };
        var json = new Option<string?>("--json") { Description = "write the diagnosis as JSON ('-': to standard output, tables to standard error)" };
        var command = new Command("diagnose",
            "Check a network's initialization on one batch: per-layer signal and gradient scale, measured and predicted " +
            "(mean-field), warnings in plain words, and the recommended initializer.\n\nExamples:\n" +
            "  initlab diagnose --layers 256,256,256,256,10 --activation relu --init glorot_uniform\n" +
            "  initlab diagnose --layers 64,128,128,10 --activation tanh --init he_normal --data digits --json d.json")
        {
            layers, activation, init, data, rows, seed, json,
        };
        command.Options.Add(trainedModel);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            if (JsonOutput.IsStdout(parse.GetValue(json)))
            {
                context.ReserveStdoutForJson();
            }
            if (parse.GetValue(trainedModel) is string modelPath)
            {
                return DiagnoseTrained.Run(context, modelPath, parse.GetValue(data), parse.GetValue(rows), parse.GetValue(json));
            }
            IReadOnlyList<int> widths = Flags.ParseWidths("--layers", parse.GetValue(layers)
                ?? throw new CliUsageException("--layers: required (all widths, input first, e.g. 256,256,10), or --model FILE --data DATA to diagnose a trained model."));
            if (widths.Count < 2)
            {
                throw new CliUsageException($"--layers: needs an input and at least one layer width, got '{parse.GetValue(layers)}'.");
            }
            int requested = parse.GetValue(rows);
            int batch = ProbeRows(requested, widths);
            ulong seedValue = parse.GetValue(seed);
            string? dataArgument = parse.GetValue(data);
            OutputPaths.Check([new("--data", File.Exists(dataArgument) || Directory.Exists(dataArgument) ? dataArgument : null)], [new("--json", parse.GetValue(json))]);
            OutputPaths.RequireFileLocation(new("--json", parse.GetValue(json)), folderIsCreated: true);
            SizeChecks.Widths("--layers", widths, batch);
            (Sequential model, Tensor x, Tensor y) = parse.GetValue(data) is string dataName
                ? FromData(dataName, widths, parse.GetValue(activation)!, parse.GetValue(init)!, seedValue, batch)
                : FromGaussian(widths, parse.GetValue(activation)!, parse.GetValue(init)!, seedValue, batch);
            if (model.LsuvPending)
            {
                // lsuv is only its orthogonal start until calibrated on data: calibrate on the probe batch, as Fit would.
                LsuvCalibrator.Calibrate(model, x);
            }
            Diagnosis diagnosis = Diagnosis.Run(model, x, y);
            DiagnosisReport.Render(context, model, diagnosis, requested, batch, MaxBatchValues);
            if (parse.GetValue(json) is string path)
            {
                JsonOutput.Write(context, path, DiagnosisReport.ToJson(model, diagnosis), "diagnosis");
            }
            return 0;
        }));
        return command;
    }

    private static (Sequential, Tensor, Tensor) FromData(string data, IReadOnlyList<int> widths, string activation, string init, ulong seed, int rows)
    {
        var recipe = new TrainingRecipe { Data = data, Layers = widths, Activation = activation, KernelInitializer = init, Seed = seed, Threads = Environment.ProcessorCount };
        var (model, train, _, targets, _) = recipe.Prepare();
        int n = Math.Min(rows, train.Rows);
        int width = targets.Shape[1];
        return (model, new Tensor(train.Features.Data[..(n * train.FeatureCount)], n, train.FeatureCount), new Tensor(targets.Data[..(n * width)], n, width));
    }

    private static (Sequential, Tensor, Tensor) FromGaussian(IReadOnlyList<int> widths, string activation, string init, ulong seed, int rows)
    {
        int outputs = widths[^1];
        var layers = new List<Dense>();
        for (int i = 1; i < widths.Count; i++)
        {
            bool last = i == widths.Count - 1;
            layers.Add(new Dense(widths[i], last ? (outputs == 1 ? "sigmoid" : "softmax") : activation, init));
        }
        var model = new Sequential(widths[0], layers, seed);
        model.Compile(outputs == 1 ? new BinaryCrossEntropy() : new CategoricalCrossEntropy(sparse: true), new Sgd());
        var rng = new Rng(seed).Fork(0xDA7A);
        var x = new float[rows * widths[0]];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)rng.NextNormal();
        }
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            y[i] = rng.NextInt(outputs == 1 ? 2 : outputs);
        }
        return (model, new Tensor(x, rows, widths[0]), new Tensor(y, rows, 1));
    }

    /// <summary>The batch rows to probe with: the requested rows, lowered so that no layer's batch exceeds <see cref="MaxBatchValues"/>.</summary>
    internal static int ProbeRows(int requested, IReadOnlyList<int> widths) =>
        Math.Min(requested, Math.Max(MinimumRows, MaxBatchValues / Math.Max(1, widths.Max())));
}
