using System.Text.Json;
using InitLab.Sweeps;
using InitLab.Sweeps.Store;

namespace InitLab.Cli.Tests.Commands.Sweeps;

public sealed class SweepCommandTests
{
    private static readonly string[] Grid =
        ["--init", "he_normal,glorot_uniform", "--depth", "1,2", "--width", "8", "--data", "moons", "--rows", "120", "--epochs", "2", "--seeds", "2"];

    private static (int ExitCode, string Output, string Error) Run(params string[] args) => CliRunner.Run(["sweep", .. args]);

    [Fact]
    public void Run_SmallGrid_EveryTrialDoneAndARerunSkipsThem()
    {
        using var temp = new TempDirectory();
        string store = temp.File("s.db");

        var first = Run(["run", .. Grid, "--store", store, "--name", "g"]);
        var again = Run(["run", .. Grid, "--store", store, "--name", "g"]);

        Assert.True(first.ExitCode == 0, first.Error + first.Output);
        Assert.Contains("8 trials in this definition (8 new)", first.Output, StringComparison.Ordinal);
        Assert.Contains("8 done, 0 failed, 0 running, 0 pending", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("(0 new)", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("] done #", again.Output, StringComparison.Ordinal);
        using var opened = new SqliteSweepStore(store);
        Assert.All(opened.Trials(opened.FindSweep("g")!.Id), t => Assert.Equal((TrialStatus.Done, 1), (t.Status, t.Attempts)));
    }

    [Fact]
    public void Run_GridExtended_OnlyTheNewTrialsRun()
    {
        using var temp = new TempDirectory();
        string store = temp.File("s.db");
        Run(["run", "--depth", "1", "--width", "4", "--data", "moons", "--rows", "100", "--epochs", "1", "--store", store, "--name", "g"]);

        var extended = Run(["run", "--depth", "1,2", "--width", "4", "--data", "moons", "--rows", "100", "--epochs", "1", "--store", store, "--name", "g"]);

        Assert.Contains("2 trials in this definition (1 new)", extended.Output, StringComparison.Ordinal);
        Assert.Single(extended.Output.Split('\n'), l => l.Contains("] done #", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_AxesInTypedOrder_LastTypedVariesFastest()
    {
        using var temp = new TempDirectory();
        string store = temp.File("s.db");

        Run(["run", "--depth", "1,2", "--init", "zeros,ones", "--width", "2", "--data", "moons", "--rows", "60", "--epochs", "1", "--store", store, "--name", "o"]);

        using var opened = new SqliteSweepStore(store);
        Assert.Equal(["1/zeros", "1/ones", "2/zeros", "2/ones"], opened.Trials(opened.FindSweep("o")!.Id).Select(t => $"{t.Spec["depth"]}/{t.Spec["init"]}"));
    }

    [Fact]
    public void Run_UnknownInitializer_ExitTwoWithNearestAndNoStore()
    {
        using var temp = new TempDirectory();

        var result = Run(["run", "--init", "he_normel", "--store", temp.File("s.db"), "--name", "x"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--init: Unknown initializer 'he_normel'. Did you mean 'he_normal'?", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("s.db")));
    }

    [Fact]
    public void Run_NoStore_ExitTwoNamingTheFlag()
    {
        var result = Run(["run", "--depth", "2", "--name", "x"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--store: required", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_DryRun_CountsAndEstimatesWithoutAStore()
    {
        using var temp = new TempDirectory();

        var result = Run(["run", .. Grid, "--dry-run", "--workers", "2"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("8 trials = 2 init × 2 depth × 2 seed(s)", result.Output, StringComparison.Ordinal);
        Assert.Contains("one trial (", result.Output, StringComparison.Ordinal);
        Assert.Contains("with 2 worker(s)", result.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Run_SpecWithFlagOverride_FlagReplacesTheSetting()
    {
        using var temp = new TempDirectory();
        string spec = temp.File("sweep.yaml");
        File.WriteAllText(spec, "seeds: [5]\naxes:\n  depth: [1, 2]\nfixed:\n  data: moons\n  rows: 80\n  width: 4\n  epochs: 3\n");

        var result = Run(["run", "--spec", spec, "--epochs", "1", "--store", temp.File("s.db"), "--name", "y"]);

        Assert.True(result.ExitCode == 0, result.Error);
        using var opened = new SqliteSweepStore(temp.File("s.db"));
        IReadOnlyList<TrialRecord> trials = opened.Trials(opened.FindSweep("y")!.Id);
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.Equal(("1", 5UL), (t.Spec["epochs"], t.Spec.Seed)));
    }

    [Fact]
    public void Run_PresetUnknown_SuggestsNearest()
    {
        var result = Run(["run", "--preset", "phase-diagramm", "--dry-run"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Did you mean 'phase-diagram'?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_UnknownSweep_SuggestsNearest()
    {
        using var temp = new TempDirectory();
        string store = temp.File("s.db");
        Run(["run", "--depth", "1", "--width", "2", "--data", "moons", "--rows", "60", "--epochs", "1", "--store", store, "--name", "depth"]);

        var status = Run(["status", "--store", store, "--name", "dept"]);
        var all = Run(["status", "--store", store]);

        Assert.Equal(2, status.ExitCode);
        Assert.Contains("Did you mean 'depth'?", status.Error, StringComparison.Ordinal);
        Assert.Contains("sweep 'depth': 1 trials: 1 done", all.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_FutureSchemaVersion_ExitTwoNamingTheVersions()
    {
        using var temp = new TempDirectory();
        string store = temp.File("s.db");
        new SqliteSweepStore(store).Dispose();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE schema_version SET version = 9;";
            command.ExecuteNonQuery();
        }

        var result = Run(["status", "--store", store]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: --store: The sweep store", result.Error, StringComparison.Ordinal);
        Assert.Contains("schema version 9, newer than this InitLab understands (up to 1)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_CsvAndJson_OneRowPerTrialWithTheStoredValues()
    {
        using var temp = new TempDirectory();
        string store = temp.File("s.db");
        Run(["run", .. Grid, "--store", store, "--name", "g"]);

        var result = Run(["export", "--store", store, "--name", "g", "--csv", temp.File("g.csv"), "--json", temp.File("g.json")]);

        Assert.True(result.ExitCode == 0, result.Error);
        using var opened = new SqliteSweepStore(store);
        IReadOnlyList<TrialRecord> trials = opened.Trials(opened.FindSweep("g")!.Id);
        string[] lines = File.ReadAllLines(temp.File("g.csv"));
        Assert.Equal(9, lines.Length);
        string[] header = lines[0].Split(',');
        Assert.Equal(["id", "status", "seed", "config_hash", "data", "depth", "epochs", "init", "rows", "width", "attempts", "worker"], header[..12]);
        int testAccuracy = Array.IndexOf(header, "test_accuracy");
        string[] row = lines[1].Split(',');
        Assert.Equal(trials[0].Result!.TestAccuracy, double.Parse(row[testAccuracy], System.Globalization.CultureInfo.InvariantCulture));
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(temp.File("g.json")));
        JsonElement first = json.RootElement.GetProperty("trials")[0];
        Assert.Equal(8, json.RootElement.GetProperty("trials").GetArrayLength());
        Assert.Equal(trials[0].Result!.TestLoss, first.GetProperty("result").GetProperty("test_loss").GetDouble());
        Assert.Equal(2, first.GetProperty("result").GetProperty("history").GetArrayLength());
        Assert.Equal("he_normal", first.GetProperty("settings").GetProperty("init").GetString());
    }

    [Fact]
    public void Export_OverTheStore_RefusedAndStoreKept()
    {
        using var temp = new TempDirectory();
        string store = temp.File("s.db");
        Run(["run", "--depth", "1", "--width", "2", "--data", "moons", "--rows", "60", "--epochs", "1", "--store", store, "--name", "g"]);
        long size = new FileInfo(store).Length;

        var result = Run(["export", "--store", store, "--name", "g", "--csv", store]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("the input of --store", result.Error, StringComparison.Ordinal);
        Assert.Equal(size, new FileInfo(store).Length);
    }
}
