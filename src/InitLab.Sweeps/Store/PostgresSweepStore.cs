using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace InitLab.Sweeps.Store;

/// <summary>A sweep store in PostgreSQL, shared by worker processes on many machines (Slurm job arrays, Kubernetes Indexed Jobs).</summary>
/// <remarks>
/// Keeps the <see cref="ISweepStore"/> contract with PostgreSQL's own tools: the unique key (sweep_id, config_hash, seed) makes a
/// duplicate trial impossible; <see cref="Claim"/> picks its row with <c>SELECT … FOR UPDATE SKIP LOCKED</c> inside one
/// transaction, so concurrent workers skip each other's rows instead of queueing on them; every time (claim, heartbeat, lease
/// expiry, finish) is the server's <c>now()</c>, so workers on machines with skewed clocks agree on who holds a lease.
/// Heartbeat, complete and fail are single <c>UPDATE</c>s fenced by (worker, attempts). Connections come from Npgsql's pool;
/// the store is safe to use from several threads.
/// </remarks>
public sealed class PostgresSweepStore : ISweepStore
{
    private const string TrialColumns =
        "id, sweep_id, config_hash, seed, settings::text, status, attempts, worker, started_utc, heartbeat_utc, finished_utc, error, " +
        "seconds, epochs, train_loss, train_accuracy, test_loss, test_accuracy, verdict, verdict_reason, history_json, init_layers_json";

    private const string ClaimUpdate =
        "UPDATE initlab_trials t SET status = 'running', attempts = t.attempts + 1, worker = @worker, started_utc = now(), " +
        "heartbeat_utc = now(), error = NULL FROM next WHERE t.id = next.id RETURNING t.id";

    private const string ClaimPending =
        "WITH next AS (SELECT id FROM initlab_trials WHERE sweep_id = @sweep AND status = 'pending' ORDER BY id LIMIT 1 " +
        "FOR UPDATE SKIP LOCKED) " + ClaimUpdate;

    private const string ClaimExpired =
        "WITH next AS (SELECT id FROM initlab_trials WHERE sweep_id = @sweep AND status = 'running' AND heartbeat_utc < now() - @lease " +
        "AND attempts < @max ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) " + ClaimUpdate;

    private const string FailExhausted =
        "UPDATE initlab_trials t SET status = 'failed', finished_utc = now(), error = format('its worker stopped sending heartbeats " +
        "on each of its %s claims (the last by %s, lease %s): the process was probably killed (out of memory? time limit?); " +
        "it is not retried again', t.attempts, t.worker, @lease::text) " +
        "WHERE t.id IN (SELECT id FROM initlab_trials WHERE sweep_id = @sweep AND status = 'running' AND heartbeat_utc < now() - @lease " +
        "AND attempts >= @max FOR UPDATE SKIP LOCKED)";

    private const string Fence = "WHERE id = @id AND status = 'running' AND worker = @worker AND attempts = @attempt";

    private readonly NpgsqlDataSource dataSource;

    /// <summary>Connects, and creates or migrates the tables (once, even when many workers start together).</summary>
    /// <param name="connectionString">A <c>postgresql://user@host:port/database</c> URI (libpq form; <c>?host=/socket/dir</c>
    /// for a Unix socket) or an Npgsql <c>Host=…;Username=…;Database=…</c> string. Leave the password out and let Npgsql take
    /// it from PGPASSWORD or ~/.pgpass, so it never shows in a process list.</param>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    /// <exception cref="SweepStoreException">The server cannot be reached, or its schema is newer than this code.</exception>
    public PostgresSweepStore(string connectionString)
    {
        NpgsqlConnectionStringBuilder settings = PostgresConnectionString.Parse(connectionString);
        Location = PostgresConnectionString.Describe(settings);
        if (string.IsNullOrEmpty(settings.ApplicationName))
        {
            settings.ApplicationName = "initlab-sweep";
        }
        dataSource = NpgsqlDataSource.Create(settings);
        try
        {
            using NpgsqlConnection connection = Open();
            PostgresSchema.Migrate(connection, Location);
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public string Location { get; }

    /// <inheritdoc/>
    public SweepInfo EnsureSweep(string name, string definitionJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(definitionJson);
        using NpgsqlConnection connection = Open();
        using var command = new NpgsqlCommand(
            "INSERT INTO initlab_sweeps (name, definition_json) VALUES (@name, @definition) " +
            "ON CONFLICT (name) DO UPDATE SET definition_json = EXCLUDED.definition_json " +
            "RETURNING id, name, definition_json, created_utc", connection);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("definition", definitionJson);
        using NpgsqlDataReader reader = command.ExecuteReader();
        reader.Read();
        return ReadSweep(reader);
    }

    /// <inheritdoc/>
    public SweepInfo? FindSweep(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        using NpgsqlConnection connection = Open();
        using var command = new NpgsqlCommand("SELECT id, name, definition_json, created_utc FROM initlab_sweeps WHERE name = @name", connection);
        command.Parameters.AddWithValue("name", name);
        using NpgsqlDataReader reader = command.ExecuteReader();
        return reader.Read() ? ReadSweep(reader) : null;
    }

    /// <inheritdoc/>
    public IReadOnlyList<SweepInfo> Sweeps()
    {
        using NpgsqlConnection connection = Open();
        using var command = new NpgsqlCommand("SELECT id, name, definition_json, created_utc FROM initlab_sweeps ORDER BY id", connection);
        using NpgsqlDataReader reader = command.ExecuteReader();
        var sweeps = new List<SweepInfo>();
        while (reader.Read())
        {
            sweeps.Add(ReadSweep(reader));
        }
        return sweeps;
    }

    /// <inheritdoc/>
    public int AddTrials(long sweepId, IEnumerable<TrialSpec> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        using NpgsqlConnection connection = Open();
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        using var command = new NpgsqlCommand(
            "INSERT INTO initlab_trials (sweep_id, config_hash, seed, settings) VALUES (@sweep, @hash, @seed, @settings) " +
            "ON CONFLICT (sweep_id, config_hash, seed) DO NOTHING", connection, transaction);
        command.Parameters.AddWithValue("sweep", sweepId);
        NpgsqlParameter hash = command.Parameters.Add("hash", NpgsqlDbType.Text);
        NpgsqlParameter seed = command.Parameters.Add("seed", NpgsqlDbType.Bigint);
        NpgsqlParameter settings = command.Parameters.Add("settings", NpgsqlDbType.Jsonb);
        command.Prepare();
        int added = 0;
        foreach (TrialSpec trial in trials)
        {
            ArgumentNullException.ThrowIfNull(trial, nameof(trials));
            hash.Value = trial.ConfigHash;
            seed.Value = unchecked((long)trial.Seed);
            settings.Value = JsonSerializer.Serialize(trial.Settings);
            try
            {
                added += command.ExecuteNonQuery();
            }
            catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"sweepId: no sweep with id {sweepId} in {Location}."),
                    nameof(sweepId), error);
            }
        }
        transaction.Commit();
        return added;
    }

    /// <inheritdoc/>
    public TrialRecord? Claim(long sweepId, string worker, TimeSpan lease, int maxAttempts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentOutOfRangeException.ThrowIfLessThan(lease, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        using NpgsqlConnection connection = Open();
        using NpgsqlTransaction transaction = connection.BeginTransaction();

        using (var fail = new NpgsqlCommand(FailExhausted, connection, transaction))
        {
            AddClaimParameters(fail, sweepId, worker, lease, maxAttempts);
            fail.ExecuteNonQuery();
        }

        // Pending trials first, in id order; only when none is left, trials whose worker died (lease expired).
        long? claimed = null;
        foreach (string sql in (ReadOnlySpan<string>)[ClaimPending, ClaimExpired])
        {
            using var claim = new NpgsqlCommand(sql, connection, transaction);
            AddClaimParameters(claim, sweepId, worker, lease, maxAttempts);
            if (claim.ExecuteScalar() is long id)
            {
                claimed = id;
                break;
            }
        }
        TrialRecord? record = claimed is long trialId ? ReadTrial(connection, transaction, trialId) : null;
        transaction.Commit();
        return record;
    }

    /// <inheritdoc/>
    public bool Heartbeat(long trialId, string worker, int attempt)
    {
        using NpgsqlConnection connection = Open();
        using var command = new NpgsqlCommand("UPDATE initlab_trials SET heartbeat_utc = now() " + Fence, connection);
        AddFence(command, trialId, worker, attempt);
        return command.ExecuteNonQuery() == 1;
    }

    /// <inheritdoc/>
    public bool Complete(long trialId, string worker, int attempt, TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using NpgsqlConnection connection = Open();
        using var command = new NpgsqlCommand(
            "UPDATE initlab_trials SET status = 'done', finished_utc = now(), heartbeat_utc = now(), error = NULL, " +
            "seconds = @seconds, epochs = @epochs, train_loss = @train_loss, train_accuracy = @train_accuracy, test_loss = @test_loss, " +
            "test_accuracy = @test_accuracy, verdict = @verdict, verdict_reason = @verdict_reason, history_json = @history, " +
            "init_layers_json = @layers " + Fence, connection);
        AddFence(command, trialId, worker, attempt);
        command.Parameters.AddWithValue("seconds", result.Seconds);
        command.Parameters.AddWithValue("epochs", result.Epochs);
        command.Parameters.AddWithValue("train_loss", result.TrainLoss);
        command.Parameters.AddWithValue("train_accuracy", result.TrainAccuracy);
        command.Parameters.AddWithValue("test_loss", result.TestLoss);
        command.Parameters.AddWithValue("test_accuracy", result.TestAccuracy);
        command.Parameters.AddWithValue("verdict", result.Verdict);
        command.Parameters.AddWithValue("verdict_reason", result.VerdictReason);
        command.Parameters.AddWithValue("history", result.HistoryJson);
        command.Parameters.AddWithValue("layers", result.InitLayersJson);
        return command.ExecuteNonQuery() == 1;
    }

    /// <inheritdoc/>
    public bool Fail(long trialId, string worker, int attempt, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        using NpgsqlConnection connection = Open();
        using var command = new NpgsqlCommand(
            "UPDATE initlab_trials SET status = 'failed', finished_utc = now(), heartbeat_utc = now(), error = @reason " + Fence, connection);
        AddFence(command, trialId, worker, attempt);
        command.Parameters.AddWithValue("reason", reason);
        return command.ExecuteNonQuery() == 1;
    }

    /// <inheritdoc/>
    public IReadOnlyList<TrialRecord> Trials(long sweepId)
    {
        using NpgsqlConnection connection = Open();
        using var command = new NpgsqlCommand($"SELECT {TrialColumns} FROM initlab_trials WHERE sweep_id = @sweep ORDER BY id", connection);
        command.Parameters.AddWithValue("sweep", sweepId);
        using NpgsqlDataReader reader = command.ExecuteReader();
        var trials = new List<TrialRecord>();
        while (reader.Read())
        {
            trials.Add(ReadTrial(reader));
        }
        return trials;
    }

    /// <inheritdoc/>
    public void Dispose() => dataSource.Dispose();

    private NpgsqlConnection Open()
    {
        try
        {
            return dataSource.OpenConnection();
        }
        catch (Exception error) when (error is NpgsqlException or System.Net.Sockets.SocketException)
        {
            // Npgsql's messages name the host and the cause (refused, auth failed, no such database), never the password.
            throw new SweepStoreException($"Cannot connect to the sweep store {Location}: {error.Message.TrimEnd('.')}. Check that the server " +
                "runs and that host, port, user and database are right (the password comes from the URI, PGPASSWORD or ~/.pgpass).", error);
        }
    }

    private static void AddClaimParameters(NpgsqlCommand command, long sweepId, string worker, TimeSpan lease, int maxAttempts)
    {
        command.Parameters.AddWithValue("sweep", sweepId);
        command.Parameters.AddWithValue("worker", worker);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("max", maxAttempts);
    }

    private static void AddFence(NpgsqlCommand command, long trialId, string worker, int attempt)
    {
        ArgumentNullException.ThrowIfNull(worker);
        command.Parameters.AddWithValue("id", trialId);
        command.Parameters.AddWithValue("worker", worker);
        command.Parameters.AddWithValue("attempt", attempt);
    }

    private static SweepInfo ReadSweep(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetDateTime(3));

    private static TrialRecord ReadTrial(NpgsqlConnection connection, NpgsqlTransaction transaction, long trialId)
    {
        using var command = new NpgsqlCommand($"SELECT {TrialColumns} FROM initlab_trials WHERE id = @id", connection, transaction);
        command.Parameters.AddWithValue("id", trialId);
        using NpgsqlDataReader reader = command.ExecuteReader();
        reader.Read();
        return ReadTrial(reader);
    }

    private static TrialRecord ReadTrial(NpgsqlDataReader reader)
    {
        long id = reader.GetInt64(0);
        string storedHash = reader.GetString(2);
        var settings = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4))
            ?? throw new SweepStoreException(string.Create(CultureInfo.InvariantCulture, $"The sweep store holds a trial without settings (id {id})."));
        var spec = new TrialSpec(settings, unchecked((ulong)reader.GetInt64(3)));
        if (spec.ConfigHash != storedHash)
        {
            // The hash is the trial's identity; a mismatch means the row was edited by hand or written by a different hash.
            throw new SweepStoreException(string.Create(CultureInfo.InvariantCulture,
                $"The sweep store holds trial {id} whose stored config hash {storedHash} does not match its settings ({spec.ConfigHash}): the row was edited by hand."));
        }
        TrialStatus status = ParseStatus(reader.GetString(5), id);
        TrialResult? result = status == TrialStatus.Done
            ? new TrialResult(reader.GetDouble(12), reader.GetInt32(13), reader.GetDouble(14), reader.GetDouble(15), reader.GetDouble(16),
                reader.GetDouble(17), reader.GetString(18), reader.GetString(19), reader.GetString(20), reader.GetString(21))
            : null;
        return new TrialRecord(id, reader.GetInt64(1), spec, status, reader.GetInt32(6), NullableString(reader, 7),
            NullableTime(reader, 8), NullableTime(reader, 9), NullableTime(reader, 10), NullableString(reader, 11), result);
    }

    private static TrialStatus ParseStatus(string text, long id) => text switch
    {
        "pending" => TrialStatus.Pending,
        "running" => TrialStatus.Running,
        "done" => TrialStatus.Done,
        "failed" => TrialStatus.Failed,
        _ => throw new SweepStoreException(string.Create(CultureInfo.InvariantCulture,
            $"The sweep store holds trial {id} with the unknown status '{text}'; valid: pending, running, done, failed.")),
    };

    private static string? NullableString(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static DateTime? NullableTime(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetDateTime(column);
}
