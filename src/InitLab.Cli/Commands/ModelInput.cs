using System.Globalization;
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

    /// <summary>Refuses an output path that is one of the inputs, before any work.</summary>
    public static void RefuseOverwritingInput(string flag, string? output, params string[] inputs)
    {
        if (output is null || output == "-")
        {
            return;
        }
        string full = Path.GetFullPath(output);
        foreach (string input in inputs)
        {
            if (File.Exists(input) && string.Equals(Path.GetFullPath(input), full, StringComparison.Ordinal))
            {
                throw new CliUsageException($"{flag}: '{output}' is an input of this command; choose another file.");
            }
        }
    }

    /// <summary>Writes text through a temporary file renamed over the target, so a failure leaves any old file intact.</summary>
    public static void WriteText(string path, string text)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $"{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, text, new System.Text.UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
