using System.CommandLine;
using InitLab.Architectures;
using InitLab.Cli.Errors;
using InitLab.Cli.Rendering;
using InitLab.Diagnostics;
using InitLab.Experiments;
using InitLab.Layers;
using InitLab.Initializers;
using InitLab.Losses;
using InitLab.ModelSpecs;
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
        var trainedModel = new Option<string?>("--model", "-m") { Description = "a trained model (from train --save; diagnosed on --data through its stored preprocessing), or a model spec (JSON/YAML layers, as for train)" };
        var architecture = new ArchitectureFlags();
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
            "  initlab diagnose --layers 64,128,128,10 --activation tanh --init he_normal --data digits --json d.json\n" +
            "  initlab diagnose --layers 64,10 --arch resmlp --blocks 16 --residual-init fixup --init he_normal")
        {
            layers, activation, init, data, rows, seed, json,
        };
        command.Options.Add(trainedModel);
        architecture.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            if (JsonOutput.IsStdout(parse.GetValue(json)))
            {
                context.ReserveStdoutForJson();
            }
            string? specPath = null;
            if (parse.GetValue(trainedModel) is string modelPath)
            {
                if (!IsModelSpec(modelPath))
                {
                    return DiagnoseTrained.Run(context, modelPath, parse.GetValue(data), parse.GetValue(rows), parse.GetValue(json));
                }
                specPath = modelPath;
            }
            ArchitectureRecipe? arch = architecture.Read(parse);
            if (arch is not null && specPath is not null)
            {
                throw new CliUsageException("--arch: the model spec given with --model lists every layer; use --arch or a model spec, not both.");
            }
            bool built = arch is not null || specPath is not null;
            string? dataArgument = parse.GetValue(data);
            IReadOnlyList<int>? widths = parse.GetValue(layers) is string text ? Flags.ParseWidths("--layers", text)
                : built && dataArgument is not null ? null
                : throw new CliUsageException(built
                    ? "--layers: required without --data: the input and output widths (e.g. --layers 64,10); --arch or the spec builds the layers between."
                    : "--layers: required (all widths, input first, e.g. 256,256,10), --arch mlp|resmlp with --layers IN,OUT, or --model FILE --data DATA to diagnose a trained model.");
            if (widths is { Count: < 2 })
            {
                throw new CliUsageException($"--layers: needs an input and at least one layer width, got '{parse.GetValue(layers)}'.");
            }
            if (built && widths is { Count: > 2 })
            {
                throw new CliUsageException($"--layers: {string.Join(",", widths)} lists hidden widths, but {(arch is null ? "the model spec" : "--arch")} builds the hidden layers; give only the input and output widths ({widths[0]},{widths[^1]}).");
            }
            ModelSpec? spec = specPath is null ? null : ModelSpecFile.Read(specPath);
            (string sizeFlag, IReadOnlyList<int> estimate) = arch is not null ? ("--width", arch.Widths(widths?[0] ?? 1, widths?[^1] ?? 1))
                : spec is not null ? ("--model", spec.Widths(widths?[0] ?? 1))
                : ("--layers", widths!);
            int requested = parse.GetValue(rows);
            int batch = ProbeRows(requested, estimate);
            ulong seedValue = parse.GetValue(seed);
            OutputPaths.Check([new("--data", File.Exists(dataArgument) || Directory.Exists(dataArgument) ? dataArgument : null), new("--model", specPath)], [new("--json", parse.GetValue(json))]);
            OutputPaths.RequireFileLocation(new("--json", parse.GetValue(json)), folderIsCreated: true);
            SizeChecks.Widths(sizeFlag, estimate, batch);
            var network = new Network(widths, arch, spec, specPath, parse.GetValue(activation)!, parse.GetValue(init)!);
            (Sequential model, Tensor x, Tensor y) = dataArgument is string dataName
                ? FromData(dataName, network, seedValue, batch)
                : FromGaussian(network, seedValue, batch);
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

    /// <summary>The network to diagnose: the widths of --layers (all of them, or only input and output beside --arch or a
    /// spec), the architecture or the spec, the hidden activation and the kernel initializer.</summary>
    private sealed record Network(IReadOnlyList<int>? Widths, ArchitectureRecipe? Architecture, ModelSpec? Spec, string? SpecPath, string Activation, string Init);

    private static (Sequential, Tensor, Tensor) FromData(string data, Network network, ulong seed, int rows)
    {
        var recipe = new TrainingRecipe
        {
            Data = data, Layers = network.Widths, Architecture = network.Architecture, ModelFile = network.SpecPath,
            Activation = network.Activation, KernelInitializer = network.Init, Seed = seed, Threads = Environment.ProcessorCount,
        };
        var (model, train, _, targets, _) = recipe.Prepare();
        int n = Math.Min(rows, train.Rows);
        int width = targets.Shape[1];
        return (model, new Tensor(train.Features.Data[..(n * train.FeatureCount)], n, train.FeatureCount), new Tensor(targets.Data[..(n * width)], n, width));
    }

    private static (Sequential, Tensor, Tensor) FromGaussian(Network network, ulong seed, int rows)
    {
        IReadOnlyList<int> widths = network.Widths!;
        int outputs = widths[^1];
        string outputActivation = outputs == 1 ? "sigmoid" : "softmax";
        IReadOnlyList<Layer> layers;
        if (network.Architecture is { } arch)
        {
            layers = ArchitectureBuilder.Layers(arch.ToOptions(widths[0], outputs, network.Activation, network.Init, "zeros", outputActivation));
        }
        else if (network.Spec is { } spec)
        {
            int specOutputs = spec.OutputWidth(widths[0]);
            if (specOutputs != outputs)
            {
                throw new CliUsageException($"--model: {spec.FileName}: {spec.OutputPath}: the network gives {specOutputs} outputs but --layers ends with {outputs}; make them agree.");
            }
            layers = spec.Layers(widths[0], new ModelSpecDefaults(() => InitializerRegistry.Resolve(network.Init), () => new Constant(0, "zeros"), outputActivation));
        }
        else
        {
            var dense = new List<Layer>();
            for (int i = 1; i < widths.Count; i++)
            {
                bool last = i == widths.Count - 1;
                dense.Add(new Dense(widths[i], last ? outputActivation : network.Activation, network.Init));
            }
            layers = dense;
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

    /// <summary>Whether <c>--model</c> names a model spec (JSON/YAML text) rather than a trained model, which is a zip
    /// (starts with the local-file signature PK\x03\x04).</summary>
    internal static bool IsModelSpec(string path)
    {
        if (!File.Exists(path))
        {
            return false; // the trained-model reader reports the missing file
        }
        Span<byte> head = stackalloc byte[4];
        using FileStream stream = File.OpenRead(path);
        int read = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        return !(read == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4);
    }

    /// <summary>The batch rows to probe with: the requested rows, lowered so that no layer's batch exceeds <see cref="MaxBatchValues"/>.</summary>
    internal static int ProbeRows(int requested, IReadOnlyList<int> widths) =>
        Math.Min(requested, Math.Max(MinimumRows, MaxBatchValues / Math.Max(1, widths.Max())));
}
