using System.CommandLine;
using InitLab.Cli.Errors;
using InitLab.Initializers;
using InitLab.Models;
using InitLab.Onnx;
using InitLab.Persistence;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab export</c>: a saved model's weights as NumPy arrays (.npz, Keras or PyTorch layout), and/or the
/// whole model with its feature scaling as ONNX.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "a model file written by 'initlab train --save'", Required = true };
        var npz = new Option<string?>("--npz") { Description = "write the weights to this .npz file (numpy.load reads it)" };
        var onnx = new Option<string?>("--onnx") { Description = "write the model as ONNX (IR 8, opset 17) to this file; it takes raw features: the stored scaling runs inside" };
        var layout = new Option<string>("--layout")
        {
            Description = "kernel layout and array names: keras (NAME.kernel, shape (in, out)) or pytorch (NAME.weight, shape (out, in), as nn.Linear)",
            DefaultValueFactory = _ => "keras",
        };
        var command = new Command("export",
            "Export a saved model: its weights for NumPy, Keras or PyTorch (--npz: one array per kernel, bias, γ, β, α and running statistic, named after the layer, " +
            "dense_0.kernel, residual_1.dense_0.bias, batch_normalization_2.moving_mean, …; " +
            "the feature scaling is not in the arrays, apply it before the first layer), or the whole model for ONNX Runtime (--onnx: raw features in, " +
            "probabilities or predictions out).\n\n" +
            "Examples:\n" +
            "  initlab export --model iris.model --npz iris.npz --layout pytorch\n" +
            "  initlab export --model digits.model --onnx digits.onnx\n" +
            "  initlab export --model iris.model --npz iris-keras.npz")
        {
            model, npz, onnx, layout,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            string modelPath = parse.GetValue(model)!;
            string? npzPath = parse.GetValue(npz);
            string? onnxPath = parse.GetValue(onnx);
            WeightLayout chosen = WeightArrays.ParseLayout(parse.GetValue(layout)!); // shown as --layout's error (LibraryFlags)
            if (npzPath is null && onnxPath is null)
            {
                throw new CliUsageException("export: give --npz FILE (weights for NumPy/PyTorch/Keras), --onnx FILE (the model for ONNX Runtime), or both.");
            }
            OutputPaths.NotStdout(new("--npz", npzPath), "a binary .npz file");
            OutputPaths.NotStdout(new("--onnx", onnxPath), "a binary ONNX file");
            OutputPaths.Check([new("--model", modelPath)], [new("--npz", npzPath), new("--onnx", onnxPath)]);
            OutputPaths.RequireFileLocation(new("--npz", npzPath));
            OutputPaths.RequireFileLocation(new("--onnx", onnxPath));
            TrainedModel trained = ModelInput.Load(context, modelPath);
            if (npzPath is not null)
            {
                WeightArrays.Export(trained.Network, npzPath, chosen);
                int arrays = WeightArrays.ToArrays(trained.Network, chosen).Count;
                context.Console.MarkupLineInterpolated($"{arrays} arrays ({chosen} layout) written to [bold]{npzPath}[/]");
            }
            if (onnxPath is not null)
            {
                OnnxExport.Save(trained, onnxPath);
                context.Console.MarkupLineInterpolated($"ONNX model (IR {OnnxExport.IrVersion}, opset {OnnxExport.Opset}; input '{OnnxExport.InputName}' takes raw features) written to [bold]{onnxPath}[/]");
            }
            return 0;
        }));
        return command;
    }
}
