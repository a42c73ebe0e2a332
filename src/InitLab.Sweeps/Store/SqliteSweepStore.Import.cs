using Microsoft.Data.Sqlite;

namespace InitLab.Sweeps.Store;

/// <summary>Importing trials recorded by another store (<c>initlab sweep merge</c>).</summary>
public sealed partial class SqliteSweepStore : ITrialImport
{
    /// <inheritdoc/>
    public int ImportTrials(long sweepId, IEnumerable<TrialRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (gate)
        {
            using SqliteTransaction transaction = BeginWrite();
            RequireSweep(sweepId, transaction);
            int added = 0;
            foreach (TrialRecord record in records)
            {
                ArgumentNullException.ThrowIfNull(record, nameof(records));
                TrialResult? result = record.Result;
                if (record.Status == TrialStatus.Done && result is null)
                {
                    throw new ArgumentException($"records: trial {record.Spec} is done but has no result.", nameof(records));
                }
                using SqliteCommand insert = Command(
                    "INSERT OR IGNORE INTO trials (sweep_id, config_hash, seed, settings_json, status, attempts, worker, started_ms, " +
                    "heartbeat_ms, finished_ms, error, seconds_bits, seconds, epochs, train_loss_bits, train_loss, train_accuracy_bits, " +
                    "train_accuracy, test_loss_bits, test_loss, test_accuracy_bits, test_accuracy, verdict, verdict_reason, history_json, " +
                    "init_layers_json) VALUES ($sweep, $hash, $seed, $settings, $status, $attempts, $worker, $started, $heartbeat, " +
                    "$finished, $error, $seconds_bits, $seconds, $epochs, $train_loss_bits, $train_loss, $train_accuracy_bits, " +
                    "$train_accuracy, $test_loss_bits, $test_loss, $test_accuracy_bits, $test_accuracy, $verdict, $verdict_reason, " +
                    "$history_json, $init_layers_json);", transaction);
                insert.Parameters.AddWithValue("$sweep", sweepId);
                insert.Parameters.AddWithValue("$hash", record.Spec.ConfigHash);
                insert.Parameters.AddWithValue("$seed", unchecked((long)record.Spec.Seed));
                insert.Parameters.AddWithValue("$settings", System.Text.Json.JsonSerializer.Serialize(record.Spec.Settings, SettingsJson));
                insert.Parameters.AddWithValue("$status", record.Status.ToString().ToLowerInvariant());
                insert.Parameters.AddWithValue("$attempts", record.Attempts);
                insert.Parameters.AddWithValue("$worker", (object?)record.Worker ?? DBNull.Value);
                insert.Parameters.AddWithValue("$started", Ms(record.StartedUtc));
                insert.Parameters.AddWithValue("$heartbeat", Ms(record.HeartbeatUtc));
                insert.Parameters.AddWithValue("$finished", Ms(record.FinishedUtc));
                insert.Parameters.AddWithValue("$error", (object?)record.Error ?? DBNull.Value);
                AddImportedDouble(insert, "seconds", result?.Seconds);
                insert.Parameters.AddWithValue("$epochs", (object?)result?.Epochs ?? DBNull.Value);
                AddImportedDouble(insert, "train_loss", result?.TrainLoss);
                AddImportedDouble(insert, "train_accuracy", result?.TrainAccuracy);
                AddImportedDouble(insert, "test_loss", result?.TestLoss);
                AddImportedDouble(insert, "test_accuracy", result?.TestAccuracy);
                insert.Parameters.AddWithValue("$verdict", (object?)result?.Verdict ?? DBNull.Value);
                insert.Parameters.AddWithValue("$verdict_reason", (object?)result?.VerdictReason ?? DBNull.Value);
                insert.Parameters.AddWithValue("$history_json", (object?)result?.HistoryJson ?? DBNull.Value);
                insert.Parameters.AddWithValue("$init_layers_json", (object?)result?.InitLayersJson ?? DBNull.Value);
                added += insert.ExecuteNonQuery();
            }
            transaction.Commit();
            return added;
        }
    }

    private static object Ms(DateTime? time) =>
        time is DateTime value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)).ToUnixTimeMilliseconds() : DBNull.Value;

    private static void AddImportedDouble(SqliteCommand command, string column, double? value)
    {
        if (value is double number)
        {
            AddDouble(command, column, number);
        }
        else
        {
            command.Parameters.AddWithValue("$" + column + "_bits", DBNull.Value);
            command.Parameters.AddWithValue("$" + column, DBNull.Value);
        }
    }
}
