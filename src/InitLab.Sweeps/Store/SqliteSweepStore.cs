using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace InitLab.Sweeps.Store;

/// <summary>The embedded results store: one SQLite file in WAL mode, shared by the worker processes of one machine.</summary>
/// <remarks>
/// Each instance holds one connection (not pooled, so disposing closes the file) and serialises its own callers, so a
/// worker's heartbeat timer and its main loop can share it. Every write is one transaction; claims take the write lock
/// first (<c>BEGIN IMMEDIATE</c>) so that two processes never read the same pending trial; a busy database is waited for
/// (busy timeout), not failed. Doubles are stored as their IEEE-754 bits (SQLite turns NaN into NULL), next to a REAL
/// copy for people who query the file. The schema is versioned (<see cref="SchemaVersion"/>) and migrated on open.
/// </remarks>
public sealed partial class SqliteSweepStore : ISweepStore
{
    private static readonly JsonSerializerOptions SettingsJson = new() { WriteIndented = false };

    private readonly SqliteConnection connection;
    private readonly Lock gate = new();
    private readonly TimeProvider clock;
    private bool disposed;

    /// <summary>Opens (creating it if needed) the store in a file, migrating an older schema.</summary>
    /// <param name="path">The SQLite file.</param>
    /// <exception cref="SweepStoreException">The file is not a sweep store, has a newer schema, or cannot be opened.</exception>
    public SqliteSweepStore(string path)
        : this(path, TimeProvider.System)
    {
    }

    /// <summary>Opens the store with a clock (tests move time instead of sleeping).</summary>
    internal SqliteSweepStore(string path, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(clock);
        this.clock = clock;
        Location = Path.GetFullPath(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Location,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        };
        connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)BusyTimeout.TotalMilliseconds};"));
            string? mode = Convert.ToString(Scalar("PRAGMA journal_mode = WAL;"), CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new SweepStoreException($"The sweep store '{Location}' could not switch to WAL mode (got '{mode}'); put it on a local disk (WAL needs shared memory, which network file systems lack).");
            }
            // NORMAL in WAL mode never corrupts the file on a crash; a power cut may roll back the last commits, which the leases redo.
            Execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
            Migrate();
        }
        catch (SqliteException error)
        {
            connection.Dispose();
            throw new SweepStoreException($"Cannot open '{Location}' as a sweep store: {error.Message.TrimEnd('.')} (SQLite error {error.SqliteErrorCode}). " +
                "Open a new file or an existing sweep store instead.", error);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>How long a write waits for another process's write lock before failing.</summary>
    public static TimeSpan BusyTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public string Location { get; }

    /// <inheritdoc/>
    public SweepInfo EnsureSweep(string name, string definitionJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(definitionJson);
        lock (gate)
        {
            using SqliteTransaction transaction = BeginWrite();
            using (SqliteCommand upsert = Command(
                "INSERT INTO sweeps (name, definition_json, created_ms) VALUES ($name, $definition, $now) " +
                "ON CONFLICT (name) DO UPDATE SET definition_json = excluded.definition_json;", transaction))
            {
                upsert.Parameters.AddWithValue("$name", name);
                upsert.Parameters.AddWithValue("$definition", definitionJson);
                upsert.Parameters.AddWithValue("$now", NowMs());
                upsert.ExecuteNonQuery();
            }
            SweepInfo sweep = FindSweepCore(name, transaction)!;
            transaction.Commit();
            return sweep;
        }
    }

    /// <inheritdoc/>
    public SweepInfo? FindSweep(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (gate)
        {
            return FindSweepCore(name, null);
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<SweepInfo> Sweeps()
    {
        lock (gate)
        {
            using SqliteCommand select = Command("SELECT id, name, definition_json, created_ms FROM sweeps ORDER BY created_ms, id;", null);
            using SqliteDataReader reader = select.ExecuteReader();
            var sweeps = new List<SweepInfo>();
            while (reader.Read())
            {
                sweeps.Add(ReadSweep(reader));
            }
            return sweeps;
        }
    }

    /// <inheritdoc/>
    public int AddTrials(long sweepId, IEnumerable<TrialSpec> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        lock (gate)
        {
            using SqliteTransaction transaction = BeginWrite();
            RequireSweep(sweepId, transaction);
            using SqliteCommand insert = Command(
                "INSERT OR IGNORE INTO trials (sweep_id, config_hash, seed, settings_json, status, attempts) " +
                "VALUES ($sweep, $hash, $seed, $settings, 'pending', 0);", transaction);
            SqliteParameter sweep = insert.Parameters.AddWithValue("$sweep", sweepId);
            SqliteParameter hash = insert.Parameters.Add("$hash", SqliteType.Text);
            SqliteParameter seed = insert.Parameters.Add("$seed", SqliteType.Integer);
            SqliteParameter settings = insert.Parameters.Add("$settings", SqliteType.Text);
            int added = 0;
            foreach (TrialSpec trial in trials)
            {
                ArgumentNullException.ThrowIfNull(trial, nameof(trials));
                hash.Value = trial.ConfigHash;
                seed.Value = unchecked((long)trial.Seed);
                settings.Value = JsonSerializer.Serialize(trial.Settings, SettingsJson);
                added += insert.ExecuteNonQuery();
            }
            _ = sweep;
            transaction.Commit();
            return added;
        }
    }

    /// <inheritdoc/>
    public TrialRecord? Claim(long sweepId, string worker, TimeSpan lease, int maxAttempts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentOutOfRangeException.ThrowIfLessThan(lease, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        lock (gate)
        {
            using SqliteTransaction transaction = BeginWrite();
            long now = NowMs();
            long cutoff = now - (long)lease.TotalMilliseconds;
            using (SqliteCommand giveUp = Command(
                "UPDATE trials SET status = 'failed', finished_ms = $now, error = printf(" +
                "'no result after %d claims: each time its worker (the last: %s) stopped renewing its %s lease, so it crashed or was killed " +
                "(out of memory?); train its settings alone, outside the sweep, to see why', attempts, coalesce(worker, '?'), $lease) " +
                "WHERE sweep_id = $sweep AND status = 'running' AND heartbeat_ms < $cutoff AND attempts >= $max;", transaction))
            {
                giveUp.Parameters.AddWithValue("$now", now);
                giveUp.Parameters.AddWithValue("$lease", LeaseText(lease));
                giveUp.Parameters.AddWithValue("$sweep", sweepId);
                giveUp.Parameters.AddWithValue("$cutoff", cutoff);
                giveUp.Parameters.AddWithValue("$max", maxAttempts);
                giveUp.ExecuteNonQuery();
            }
            long? id;
            using (SqliteCommand next = Command(
                "SELECT id FROM trials WHERE sweep_id = $sweep AND (status = 'pending' OR (status = 'running' AND heartbeat_ms < $cutoff)) " +
                "ORDER BY id LIMIT 1;", transaction))
            {
                next.Parameters.AddWithValue("$sweep", sweepId);
                next.Parameters.AddWithValue("$cutoff", cutoff);
                id = next.ExecuteScalar() is long found ? found : null;
            }
            if (id is null)
            {
                transaction.Commit();
                return null;
            }
            using (SqliteCommand take = Command(
                "UPDATE trials SET status = 'running', attempts = attempts + 1, worker = $worker, started_ms = $now, heartbeat_ms = $now, " +
                "finished_ms = NULL, error = NULL WHERE id = $id;", transaction))
            {
                take.Parameters.AddWithValue("$worker", worker);
                take.Parameters.AddWithValue("$now", now);
                take.Parameters.AddWithValue("$id", id.Value);
                take.ExecuteNonQuery();
            }
            TrialRecord claimed = ReadTrials("WHERE id = $id", transaction, ("$id", id.Value))[0];
            transaction.Commit();
            return claimed;
        }
    }

    /// <inheritdoc/>
    public bool Heartbeat(long trialId, string worker, int attempt)
    {
        ArgumentNullException.ThrowIfNull(worker);
        lock (gate)
        {
            using SqliteCommand beat = Command("UPDATE trials SET heartbeat_ms = $now " + Fence, null);
            beat.Parameters.AddWithValue("$now", NowMs());
            AddFence(beat, trialId, worker, attempt);
            return beat.ExecuteNonQuery() == 1;
        }
    }

    /// <inheritdoc/>
    public bool Complete(long trialId, string worker, int attempt, TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(result);
        lock (gate)
        {
            using SqliteCommand complete = Command(
                "UPDATE trials SET status = 'done', finished_ms = $now, heartbeat_ms = $now, error = NULL, " +
                "seconds_bits = $seconds_bits, seconds = $seconds, epochs = $epochs, " +
                "train_loss_bits = $train_loss_bits, train_loss = $train_loss, train_accuracy_bits = $train_accuracy_bits, train_accuracy = $train_accuracy, " +
                "test_loss_bits = $test_loss_bits, test_loss = $test_loss, test_accuracy_bits = $test_accuracy_bits, test_accuracy = $test_accuracy, " +
                "verdict = $verdict, verdict_reason = $verdict_reason, history_json = $history_json, init_layers_json = $init_layers_json " + Fence, null);
            complete.Parameters.AddWithValue("$now", NowMs());
            AddDouble(complete, "seconds", result.Seconds);
            complete.Parameters.AddWithValue("$epochs", result.Epochs);
            AddDouble(complete, "train_loss", result.TrainLoss);
            AddDouble(complete, "train_accuracy", result.TrainAccuracy);
            AddDouble(complete, "test_loss", result.TestLoss);
            AddDouble(complete, "test_accuracy", result.TestAccuracy);
            complete.Parameters.AddWithValue("$verdict", result.Verdict);
            complete.Parameters.AddWithValue("$verdict_reason", result.VerdictReason);
            complete.Parameters.AddWithValue("$history_json", result.HistoryJson);
            complete.Parameters.AddWithValue("$init_layers_json", result.InitLayersJson);
            AddFence(complete, trialId, worker, attempt);
            return complete.ExecuteNonQuery() == 1;
        }
    }

    /// <inheritdoc/>
    public bool Fail(long trialId, string worker, int attempt, string reason)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(reason);
        lock (gate)
        {
            using SqliteCommand fail = Command("UPDATE trials SET status = 'failed', finished_ms = $now, heartbeat_ms = $now, error = $reason " + Fence, null);
            fail.Parameters.AddWithValue("$now", NowMs());
            fail.Parameters.AddWithValue("$reason", reason);
            AddFence(fail, trialId, worker, attempt);
            return fail.ExecuteNonQuery() == 1;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<TrialRecord> Trials(long sweepId)
    {
        lock (gate)
        {
            return ReadTrials("WHERE sweep_id = $sweep", null, ("$sweep", sweepId));
        }
    }

    /// <summary>Runs SQLite's <c>PRAGMA integrity_check</c>.</summary>
    /// <returns>"ok", or the problems SQLite found, one per line.</returns>
    public string IntegrityCheck()
    {
        lock (gate)
        {
            using SqliteCommand check = Command("PRAGMA integrity_check;", null);
            using SqliteDataReader reader = check.ExecuteReader();
            var lines = new List<string>();
            while (reader.Read())
            {
                lines.Add(reader.GetString(0));
            }
            return string.Join('\n', lines);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (gate)
        {
            if (!disposed)
            {
                disposed = true;
                connection.Dispose();
            }
        }
    }

    private const string Fence = "WHERE id = $id AND status = 'running' AND worker = $worker AND attempts = $attempt;";

    private static void AddFence(SqliteCommand command, long trialId, string worker, int attempt)
    {
        command.Parameters.AddWithValue("$id", trialId);
        command.Parameters.AddWithValue("$worker", worker);
        command.Parameters.AddWithValue("$attempt", attempt);
    }

    private static void AddDouble(SqliteCommand command, string column, double value)
    {
        command.Parameters.AddWithValue("$" + column + "_bits", BitConverter.DoubleToInt64Bits(value));
        command.Parameters.AddWithValue("$" + column, double.IsFinite(value) ? value : DBNull.Value);
    }

    private static string LeaseText(TimeSpan lease) => string.Create(CultureInfo.InvariantCulture, $"{lease.TotalSeconds:0.###} s");

    private long NowMs() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTime FromMs(long ms) => DateTime.UnixEpoch.AddMilliseconds(ms);

    private SqliteTransaction BeginWrite()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        // deferred: false is BEGIN IMMEDIATE: the write lock first, so no two writers read the same state.
        return connection.BeginTransaction(deferred: false);
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private void Execute(string sql)
    {
        using SqliteCommand command = Command(sql, null);
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using SqliteCommand command = Command(sql, null);
        return command.ExecuteScalar();
    }

    private void RequireSweep(long sweepId, SqliteTransaction transaction)
    {
        using SqliteCommand exists = Command("SELECT count(*) FROM sweeps WHERE id = $id;", transaction);
        exists.Parameters.AddWithValue("$id", sweepId);
        if ((long)exists.ExecuteScalar()! == 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"sweepId: no sweep with id {sweepId} in '{Location}'."), nameof(sweepId));
        }
    }

    private SweepInfo? FindSweepCore(string name, SqliteTransaction? transaction)
    {
        using SqliteCommand select = Command("SELECT id, name, definition_json, created_ms FROM sweeps WHERE name = $name;", transaction);
        select.Parameters.AddWithValue("$name", name);
        using SqliteDataReader reader = select.ExecuteReader();
        return reader.Read() ? ReadSweep(reader) : null;
    }

    private static SweepInfo ReadSweep(SqliteDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), FromMs(reader.GetInt64(3)));

    private const string TrialColumns =
        "id, sweep_id, settings_json, seed, status, attempts, worker, started_ms, heartbeat_ms, finished_ms, error, " +
        "seconds_bits, epochs, train_loss_bits, train_accuracy_bits, test_loss_bits, test_accuracy_bits, verdict, verdict_reason, history_json, init_layers_json";

    private List<TrialRecord> ReadTrials(string where, SqliteTransaction? transaction, (string Name, long Value) parameter)
    {
        using SqliteCommand select = Command($"SELECT {TrialColumns} FROM trials {where} ORDER BY id;", transaction);
        select.Parameters.AddWithValue(parameter.Name, parameter.Value);
        using SqliteDataReader reader = select.ExecuteReader();
        var trials = new List<TrialRecord>();
        while (reader.Read())
        {
            var settings = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2), SettingsJson)
                ?? throw new SweepStoreException($"The sweep store '{Location}' holds a trial without settings (id {reader.GetInt64(0)}).");
            var spec = new TrialSpec(settings, unchecked((ulong)reader.GetInt64(3)));
            TrialStatus status = ParseStatus(reader.GetString(4));
            TrialResult? result = status == TrialStatus.Done
                ? new TrialResult(Bits(reader, 11), reader.GetInt32(12), Bits(reader, 13), Bits(reader, 14), Bits(reader, 15), Bits(reader, 16),
                    reader.GetString(17), reader.GetString(18), reader.GetString(19), reader.GetString(20))
                : null;
            trials.Add(new TrialRecord(reader.GetInt64(0), reader.GetInt64(1), spec, status, reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), Time(reader, 7), Time(reader, 8), Time(reader, 9),
                reader.IsDBNull(10) ? null : reader.GetString(10), result));
        }
        return trials;
    }

    private static double Bits(SqliteDataReader reader, int ordinal) => BitConverter.Int64BitsToDouble(reader.GetInt64(ordinal));

    private static DateTime? Time(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : FromMs(reader.GetInt64(ordinal));

    private TrialStatus ParseStatus(string text) => text switch
    {
        "pending" => TrialStatus.Pending,
        "running" => TrialStatus.Running,
        "done" => TrialStatus.Done,
        "failed" => TrialStatus.Failed,
        _ => throw new SweepStoreException($"The sweep store '{Location}' holds a trial with the unknown status '{text}'; valid: pending, running, done, failed."),
    };
}
