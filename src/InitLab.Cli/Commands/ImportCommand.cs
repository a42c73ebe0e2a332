using System.CommandLine;
using InitLab.Cli.Errors;
using InitLab.Initializers;
using InitLab.Models;
using InitLab.Persistence;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab import</c>: NumPy arrays (.npz, Keras or PyTorch layout) loaded into a saved model's architecture.</summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "a model file giving the architecture and preprocessing (it is not changed)", Required = true };
        var npz = new Option<string>("--npz") { Description = "the .npz file with the weights (numpy.savez; named arrays, or arr_0, arr_1, … in layer order)", Required = true };
        var layout = new Option<string>("--layout")
        {
            Description = "kernel layout and array names in the file: keras (NAME.kernel, (in, out)) or pytorch (NAME.weight, (out, in))",
            DefaultValueFactory = _ => "keras",
        };
        var output = new Option<string>("--out", "-o") { Description = "write the model with the imported weights to this file", Required = true };
        var command = new Command("import",
            "Load weights from NumPy, Keras or PyTorch into a saved model's architecture and save the result as a new model file " +
            "(the feature scaling and labels of --model are kept). Every array's name and shape is checked before anything is written.\n\n" +
            "Examples:\n" +
            "  initlab import --model iris.model --npz torch-weights.npz --layout pytorch --out iris-torch.model\n" +
            "  initlab import --model iris.model --npz keras.npz --out iris-keras.model")
        {
            model, npz, layout, output,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            string modelPath = parse.GetValue(model)!;
            string npzPath = parse.GetValue(npz)!;
            string outPath = parse.GetValue(output)!;
            WeightLayout chosen = WeightArrays.ParseLayout(parse.GetValue(layout)!); // shown as --layout's error (LibraryFlags)
            OutputPaths.NotStdout(new("--out", outPath), "a model file (a zip)");
            OutputPaths.Check([new("--model", modelPath), new("--npz", npzPath)], [new("--out", outPath)]);
            OutputPaths.RequireFileLocation(new("--out", outPath));
            if (!File.Exists(npzPath))
            {
                throw new CliUsageException($"--npz: '{npzPath}' does not exist.");
            }
            TrainedModel trained = ModelInput.Load(context, modelPath);
            WeightArrays.Import(trained.Network, npzPath, chosen);
            ModelFile.Save(trained, outPath);
            context.Console.MarkupLineInterpolated($"weights from [bold]{npzPath}[/] ({chosen} layout) saved in [bold]{outPath}[/]");
            return 0;
        }));
        return command;
    }
}
