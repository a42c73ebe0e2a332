using System.CommandLine;
using InitLab.Initializers;
using InitLab.Models;
using InitLab.Persistence;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab export</c>: a saved model's weights as NumPy arrays (.npz, Keras or PyTorch layout).</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "a model file written by 'initlab train --save'", Required = true };
        var npz = new Option<string?>("--npz") { Description = "write the weights to this .npz file (numpy.load reads it)" };
        var layout = new Option<string>("--layout")
        {
            Description = "kernel layout and array names: keras (NAME.kernel, shape (in, out)) or pytorch (NAME.weight, shape (out, in), as nn.Linear)",
            DefaultValueFactory = _ => "keras",
        };
        var command = new Command("export",
            "Export a saved model's weights for NumPy, Keras or PyTorch: one array per kernel and bias, named after the layer (dense_0, dense_1, …). " +
            "The stored feature scaling is not part of the weights: apply it before the first layer.\n\n" +
            "Examples:\n" +
            "  initlab export --model iris.model --npz iris.npz --layout pytorch\n" +
            "  initlab export --model iris.model --npz iris-keras.npz")
        {
            model, npz, layout,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            string modelPath = parse.GetValue(model)!;
            string? npzPath = parse.GetValue(npz);
            WeightLayout chosen = Layout(parse.GetValue(layout)!);
            if (npzPath is null)
            {
                throw new CliUsageException("export: give --npz FILE (where to write the weights).");
            }
            OutputPaths.NotStdout(new("--npz", npzPath), "a binary .npz file");
            OutputPaths.Check([new("--model", modelPath)], [new("--npz", npzPath)]);
            OutputPaths.RequireFileLocation(new("--npz", npzPath));
            TrainedModel trained = ModelInput.Load(context, modelPath);
            WeightArrays.Export(trained.Network, npzPath, chosen);
            int arrays = WeightArrays.ToArrays(trained.Network, chosen).Count;
            context.Console.MarkupLineInterpolated($"{arrays} arrays ({chosen} layout) written to [bold]{npzPath}[/]");
            return 0;
        }));
        return command;
    }

    /// <summary>Parses --layout, naming the flag on an error.</summary>
    internal static WeightLayout Layout(string text)
    {
        try
        {
            return WeightArrays.ParseLayout(text);
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException($"--layout: {ex.Message}");
        }
    }
}
