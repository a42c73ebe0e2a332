using System.CommandLine;
using InitLab.Cli.Errors;
using InitLab.Cli.Rendering;
using InitLab.Data;
using InitLab.Experiments;
using InitLab.Models;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab evaluate</c>: a saved model's scores on labelled raw rows — the same metrics <c>train</c> reports.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "a model file written by 'initlab train --save'", Required = true };
        var data = new Option<string>("--data", "-d") { Description = "a CSV file with the features and the label column (found by name) or a built-in data set (iris, digits, moons, …)", Required = true };
        var split = new Option<string>("--split") { Description = "all rows, or the train/test split the model was trained with (rebuilt from the seed and test fraction it recorded)", DefaultValueFactory = _ => "all" };
        var json = new Option<string?>("--json") { Description = "write {model, data, split, metrics} as JSON to this file ('-': to standard output, tables to standard error)" };
        var command = new Command("evaluate",
            "Score a saved model on labelled raw rows: loss and accuracy for classification; loss, RMSE, MAE and R² for regression.\n\n" +
            "Examples:\n" +
            "  initlab evaluate --model iris.model --data iris --split test\n" +
            "  initlab evaluate --model price.model --data houses.csv --json scores.json")
        {
            model, data, split, json,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            string modelPath = parse.GetValue(model)!;
            string dataSpec = parse.GetValue(data)!;
            string splitName = parse.GetValue(split)!.Trim().ToLowerInvariant();
            if (splitName is not ("all" or "train" or "test"))
            {
                throw new CliUsageException($"--split: got '{parse.GetValue(split)}'; valid: all, train, test.");
            }
            string? jsonPath = parse.GetValue(json);
            if (JsonOutput.IsStdout(jsonPath))
            {
                context.ReserveStdoutForJson();
            }
            OutputPaths.Check([new("--model", modelPath), new("--data", dataSpec)], [new("--json", jsonPath)]);
            OutputPaths.RequireFileLocation(new("--json", jsonPath), folderIsCreated: true);
            bool builtIn = ModelInput.IsBuiltIn(dataSpec);
            TrainedModel trained = ModelInput.Load(context, modelPath);
            ModelEvaluation scores = splitName == "all"
                ? builtIn ? trained.Evaluate(DataSource.LoadAll(dataSpec, ModelInput.Options(trained))) : trained.Evaluate(RawTable.Load(dataSpec))
                : trained.Evaluate(Split(trained, dataSpec, splitName));
            context.Console.WriteLine(trained.Network.ToString());
            ScoreTable.Build([(splitName, scores)]).Write(context.Console);
            context.Console.MarkupLineInterpolated($"{scores.Rows} rows of {dataSpec}");
            ModelEvaluation? reported = splitName switch
            {
                "train" => trained.Provenance.TrainMetrics,
                "test" => trained.Provenance.TestMetrics,
                _ => null,
            };
            if (reported is not null)
            {
                context.Console.WriteLine(SameScores(reported, scores)
                    ? $"the same scores 'train' reported for its {splitName} split"
                    : $"'train' reported different scores for its {splitName} split (loss {ScoreTable.Format(reported.Loss)} on {reported.Rows} rows): is --data the data the model was trained on?");
            }
            if (jsonPath is not null)
            {
                var metrics = new Dictionary<string, object?> { ["rows"] = scores.Rows };
                ScoreTable.AddJson(metrics, string.Empty, scores);
                JsonOutput.Write(context, jsonPath, new Dictionary<string, object?>
                {
                    ["model"] = modelPath,
                    ["data"] = dataSpec,
                    ["split"] = splitName,
                    ["task"] = trained.Task == ModelTask.Regression ? "regression" : "classification",
                    ["metrics"] = metrics,
                });
            }
            return 0;
        }));
        return command;
    }

    private static bool SameScores(ModelEvaluation a, ModelEvaluation b)
    {
        static bool Close(double x, double y) => double.IsNaN(x) ? double.IsNaN(y) : Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x));
        return a.Rows == b.Rows && Close(a.Loss, b.Loss) && Close(a.Accuracy, b.Accuracy) && Close(a.Rmse, b.Rmse) && Close(a.Mae, b.Mae) && Close(a.R2, b.R2);
    }

    private static Dataset Split(TrainedModel trained, string dataSpec, string splitName)
    {
        if (TrainingRecipe.DataFromSettings(trained.Provenance.Training) is not (string, DataOptions) recorded)
        {
            throw new CliUsageException($"--split {splitName}: the model file records no training settings (it was not saved by 'initlab train'), so its split cannot be rebuilt; use --split all.");
        }
        (Dataset train, Dataset test) = DataSource.LoadRaw(dataSpec, recorded.Options);
        return splitName == "train" ? train : test;
    }
}
