using System.Globalization;
using InitLab.Cli.Errors;
using InitLab.Data;
using InitLab.Experiments;
using InitLab.Models;
using InitLab.Persistence;

namespace InitLab.Cli.Commands;

/// <summary>What <c>predict</c> and <c>evaluate</c> share: loading the model, printing its caveats, and reading raw rows
/// from a CSV (by column name) or a built-in data set (with the options the model was trained with).</summary>
internal static class ModelInput
{
    public static TrainedModel Load(CliContext context, string path)
    {
        if (Directory.Exists(path))
        {
            throw new CliUsageException($"--model: '{path}' is a folder, expected a model file (written by 'initlab train --save').");
        }
        if (!File.Exists(path))
        {
            throw new CliUsageException($"--model: '{path}' does not exist.");
        }
        TrainedModel model = ModelFile.LoadTrainedModel(path);
        foreach (string warning in model.Warnings)
        {
            context.Error.WriteLine($"warning: {warning}");
        }
        return model;
    }

    /// <summary>The data options recorded in the model (defaults when it recorded none).</summary>
    public static DataOptions Options(TrainedModel model) =>
        TrainingRecipe.DataFromSettings(model.Provenance.Training)?.Options ?? new DataOptions();

    /// <summary>True for a built-in name, false for a CSV file; anything else is an error naming the flag.</summary>
    public static bool IsBuiltIn(string data)
    {
        if (DataSource.Names.Contains(data.Trim().ToLowerInvariant()))
        {
            return true;
        }
        if (File.Exists(data))
        {
            return false;
        }
        string? nearest = Common.NameLookup.Nearest(data, DataSource.Names);
        throw new CliUsageException(string.Create(CultureInfo.InvariantCulture,
            $"--data: '{data}' is neither a CSV file nor a built-in data set.{(nearest is null ? string.Empty : $" Did you mean '{nearest}'?")} Valid names: {string.Join(", ", DataSource.Names)}."));
    }
}
