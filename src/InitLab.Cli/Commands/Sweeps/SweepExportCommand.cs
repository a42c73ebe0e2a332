using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using InitLab.Cli.Errors;
using InitLab.Persistence;
using InitLab.Sweeps;
using InitLab.Sweeps.Store;
using Spectre.Console;

namespace InitLab.Cli.Commands.Sweeps;

/// <summary><c>initlab sweep export</c>: every trial of a sweep as CSV (one row per trial, one column per setting) or JSON
/// (everything, with the per-epoch history and the per-layer statistics at initialisation).</summary>
internal static class SweepExportCommand
{
    private static readonly string[] LeadColumns = ["id", "status", "seed", "config_hash"];

    private static readonly string[] ResultColumns =
        ["seconds", "epochs_run", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "verdict", "verdict_reason"];

    public static Command Create(CliContext context)
    {
        Option<string> store = SweepStoreFlags.Store();
        Option<string> name = SweepStoreFlags.Name();
        var csv = new Option<string?>("--csv") { Description = "write one row per trial to this CSV file" };
        var json = new Option<string?>("--json") { Description = "write every trial with its history and initial layer statistics to this JSON file" };
        var command = new Command("export",
            "Export a sweep's trials as CSV or JSON (written atomically: a reader never sees half a file).\n\nExample:\n" +
            "  initlab sweep export --store sweep.db --name depth --csv depth.csv --json depth.json")
        {
            store, name, csv, json,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            string? csvPath = parse.GetValue(csv), jsonPath = parse.GetValue(json);
            if (csvPath is null && jsonPath is null)
            {
                throw new CliUsageException("--csv or --json: give at least one output file.");
            }
            OutputPaths.NotStdout(new("--csv", csvPath), "a file");
            OutputPaths.NotStdout(new("--json", jsonPath), "a file");
            OutputPaths.Check([new("--store", parse.GetValue(store))], [new("--csv", csvPath), new("--json", jsonPath)]);
            OutputPaths.RequireFileLocation(new("--csv", csvPath));
            OutputPaths.RequireFileLocation(new("--json", jsonPath));
            using ISweepStore opened = SweepStoreFlags.Open(parse.GetValue(store)!);
            SweepInfo sweep = SweepStoreFlags.Find(opened, parse.GetValue(name)!);
            IReadOnlyList<TrialRecord> trials = opened.Trials(sweep.Id);
            if (csvPath is not null)
            {
                AtomicFile.WriteAllText(csvPath, Csv(trials));
                context.Console.WriteLine($"{trials.Count} trials written to {csvPath}");
            }
            if (jsonPath is not null)
            {
                AtomicFile.Write(jsonPath, stream => Json(stream, sweep, trials));
                context.Console.WriteLine($"{trials.Count} trials written to {jsonPath}");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>One row per trial: id, status, seed, config hash, every setting (sorted), attempts, worker, the result
    /// (epochs_run: the epochs actually run, fewer than the epochs setting after early stopping or divergence), the error.</summary>
    internal static string Csv(IReadOnlyList<TrialRecord> trials)
    {
        string[] settings = [.. trials.SelectMany(t => t.Spec.Settings.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var text = new StringBuilder();
        Row(text, [.. LeadColumns, .. settings, "attempts", "worker", .. ResultColumns, "error"]);
        foreach (TrialRecord t in trials)
        {
            TrialResult? r = t.Result;
            IEnumerable<string> result = r is null ? ResultColumns.Select(_ => string.Empty)
                : [Number(r.Seconds), r.Epochs.ToString(CultureInfo.InvariantCulture), Number(r.TrainLoss), Number(r.TrainAccuracy),
                    Number(r.TestLoss), Number(r.TestAccuracy), r.Verdict, r.VerdictReason];
            Row(text, [t.Id.ToString(CultureInfo.InvariantCulture), Status(t.Status), t.Spec.Seed.ToString(CultureInfo.InvariantCulture), t.Spec.ConfigHash,
                .. settings.Select(s => t.Spec[s] ?? string.Empty), t.Attempts.ToString(CultureInfo.InvariantCulture), t.Worker ?? string.Empty,
                .. result, t.Error ?? string.Empty]);
        }
        return text.ToString();
    }

    /// <summary>One RFC 4180 row: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
    private static void Row(StringBuilder text, IReadOnlyList<string> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            string field = fields[i];
            if (i > 0)
            {
                text.Append(',');
            }
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                text.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                text.Append(field);
            }
        }
        text.Append('\n');
    }

    internal static void Json(Stream stream, SweepInfo sweep, IReadOnlyList<TrialRecord> trials)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("sweep", sweep.Name);
        writer.WritePropertyName("definition");
        WriteRaw(writer, sweep.DefinitionJson);
        writer.WriteStartArray("trials");
        foreach (TrialRecord t in trials)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", t.Id);
            writer.WriteString("status", Status(t.Status));
            writer.WriteNumber("seed", t.Spec.Seed);
            writer.WriteString("config_hash", t.Spec.ConfigHash);
            writer.WriteStartObject("settings");
            foreach ((string key, string value) in t.Spec.Settings)
            {
                writer.WriteString(key, value);
            }
            writer.WriteEndObject();
            writer.WriteNumber("attempts", t.Attempts);
            Text(writer, "worker", t.Worker);
            Text(writer, "started_utc", t.StartedUtc?.ToString("O", CultureInfo.InvariantCulture));
            Text(writer, "finished_utc", t.FinishedUtc?.ToString("O", CultureInfo.InvariantCulture));
            Text(writer, "error", t.Error);
            if (t.Result is TrialResult r)
            {
                writer.WriteStartObject("result");
                Double(writer, "seconds", r.Seconds);
                writer.WriteNumber("epochs", r.Epochs);
                Double(writer, "train_loss", r.TrainLoss);
                Double(writer, "train_accuracy", r.TrainAccuracy);
                Double(writer, "test_loss", r.TestLoss);
                Double(writer, "test_accuracy", r.TestAccuracy);
                writer.WriteString("verdict", r.Verdict);
                writer.WriteString("verdict_reason", r.VerdictReason);
                writer.WritePropertyName("history");
                WriteRaw(writer, r.HistoryJson);
                writer.WritePropertyName("init_layers");
                WriteRaw(writer, r.InitLayersJson);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("result");
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteRaw(Utf8JsonWriter writer, string json)
    {
        // Stored JSON is re-parsed, so a damaged value fails here with its position instead of producing invalid output.
        using JsonDocument document = JsonDocument.Parse(json);
        document.RootElement.WriteTo(writer);
    }

    private static void Text(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void Double(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Status(TrialStatus status) => status.ToString().ToLowerInvariant();
}
