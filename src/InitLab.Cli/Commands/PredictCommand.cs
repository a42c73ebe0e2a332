using System.CommandLine;
using System.Globalization;
using System.Text;
using InitLab.Cli.Errors;
using InitLab.Data;
using InitLab.Experiments;
using InitLab.Models;
using InitLab.Persistence;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab predict</c>: a saved model's predictions for raw rows, with the original class labels.</summary>
internal static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "a model file written by 'initlab train --save'", Required = true };
        var data = new Option<string>("--data", "-d") { Description = "a CSV file with a header (features found by name, any order, extra columns ignored) or a built-in data set (iris, digits, moons, …)", Required = true };
        var output = new Option<string?>("--out", "-o") { Description = "write the predictions as CSV to this file (default: standard output)" };
        var proba = new Option<bool>("--proba") { Description = "add one probability column per class (classification)" };
        var command = new Command("predict",
            "Predict raw rows with a saved model: its stored feature scaling is applied and classes come back as their original labels.\n\n" +
            "Examples:\n" +
            "  initlab predict --model iris.model --data iris.csv --out predictions.csv --proba\n" +
            "  initlab predict --model price.model --data houses.csv")
        {
            model, data, output, proba,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            string modelPath = parse.GetValue(model)!;
            string dataSpec = parse.GetValue(data)!;
            string? outPath = parse.GetValue(output);
            OutputPaths.Check([new("--model", modelPath), new("--data", dataSpec)], [new("--out", outPath)]);
            OutputPaths.RequireFileLocation(new("--out", outPath));
            bool builtIn = ModelInput.IsBuiltIn(dataSpec);
            TrainedModel trained = ModelInput.Load(context, modelPath);
            bool withProbabilities = parse.GetValue(proba);
            if (withProbabilities && trained.Task == ModelTask.Regression)
            {
                throw new CliUsageException($"--proba: the model predicts numbers for '{trained.LabelName}' (regression); it has no class probabilities.");
            }
            ModelPredictions predictions = builtIn
                ? trained.Predict(DataSource.LoadAll(dataSpec, ModelInput.Options(trained)))
                : trained.Predict(RawTable.Load(dataSpec));
            string csv = ToCsv(trained, predictions, withProbabilities);
            if (outPath is null or "-")
            {
                context.Console.Profile.Out.Writer.Write(csv);
                return 0;
            }
            AtomicFile.WriteAllText(outPath, csv);
            int rows = predictions.Labels?.Count ?? predictions.Values!.Count / Math.Max(1, trained.Network.OutputDim);
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows} predictions written to {outPath}"));
            return 0;
        }));
        return command;
    }

    /// <summary>One row per input row: the label (or value) column named after the model's label, then p_&lt;class&gt; columns.</summary>
    internal static string ToCsv(TrainedModel model, ModelPredictions predictions, bool withProbabilities)
    {
        var text = new StringBuilder();
        if (predictions.Labels is IReadOnlyList<string> labels)
        {
            var header = new List<string> { model.LabelName };
            if (withProbabilities)
            {
                header.AddRange(model.ClassLabels.Select(c => "p_" + c));
            }
            text.AppendLine(string.Join(",", header.Select(Quote)));
            Tensors.Tensor p = predictions.Probabilities!;
            int classes = p.Shape[1];
            for (int r = 0; r < labels.Count; r++)
            {
                text.Append(Quote(labels[r]));
                if (withProbabilities)
                {
                    for (int c = 0; c < classes; c++)
                    {
                        text.Append(',').Append(p.Data[r * classes + c].ToString("R", CultureInfo.InvariantCulture));
                    }
                }
                text.AppendLine();
            }
            return text.ToString();
        }
        int outputs = model.Network.OutputDim;
        text.AppendLine(outputs == 1
            ? Quote(model.LabelName)
            : string.Join(",", Enumerable.Range(0, outputs).Select(i => Quote(string.Create(CultureInfo.InvariantCulture, $"{model.LabelName}_{i}")))));
        IReadOnlyList<double> values = predictions.Values!;
        for (int r = 0; r < values.Count / outputs; r++)
        {
            text.AppendLine(string.Join(",", Enumerable.Range(0, outputs).Select(c => values[r * outputs + c].ToString("R", CultureInfo.InvariantCulture))));
        }
        return text.ToString();
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
