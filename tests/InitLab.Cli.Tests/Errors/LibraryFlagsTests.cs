using System.CommandLine;
using InitLab.Cli.Errors;
using InitLab.Sweeps.Cluster;

namespace InitLab.Cli.Tests.Errors;

/// <summary>The library names its parameters; the user of <c>initlab</c> still sees the flag the value came from.</summary>
public class LibraryFlagsTests
{
    [Theory]
    [InlineData("shard: expected INDEX/COUNT such as 3/8 (0-based index), got '3-8'.", "shard", "--shard",
        "--shard: expected INDEX/COUNT such as 3/8 (0-based index), got '3-8'.")]
    [InlineData("task: 'moons' is a classification set", "Task", "--task", "--task: 'moons' is a classification set")]
    [InlineData("c.csv: no column named 'y'.", "labelColumn", "--label", "--label: c.csv: no column named 'y'.")]
    [InlineData("environment: the variable JOB_COMPLETION_INDEX must be …", "environment", "--shard auto",
        "--shard auto: the variable JOB_COMPLETION_INDEX must be …")]
    public void Name_ParameterHeadOrNone_FlagInItsPlace(string message, string parameter, string flag, string expected) =>
        Assert.Equal(expected, LibraryFlags.Name(flag, parameter, message));

    [Fact]
    public void Entries_EveryFlag_IsAnOptionOfItsCommand()
    {
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(TextWriter.Null) });
        RootCommand root = CliApp.Create(new CliContext(console, TextWriter.Null));
        var entries = LibraryFlags.Entries.ToList();
        Assert.NotEmpty(entries);
        foreach ((string path, string parameter, string flag) in entries)
        {
            Command command = path.Split(' ').Skip(1).Aggregate((Command)root, (c, name) => c.Subcommands.Single(s => s.Name == name));
            string option = flag.Split(' ')[0];
            Assert.True(command.Options.Any(o => o.Name == option || o.Aliases.Contains(option)), $"{path}: '{parameter}' maps to {flag}, which is not one of its options");
        }
    }

    [Fact]
    public void Describe_SameParameterFromASavedModel_NoFlagClaimed()
    {
        // evaluate rebuilds a model's split with the task the model recorded: no --task was typed there.
        var error = new ArgumentException("task: 'moons' is a classification set and cannot be used for regression.", "task");

        Assert.Equal((2, "--task: 'moons' is a classification set and cannot be used for regression."), ErrorReport.Describe(error, "initlab train"));
        Assert.Equal((2, "task: 'moons' is a classification set and cannot be used for regression."), ErrorReport.Describe(error, "initlab evaluate"));
    }

    [Fact]
    public void Train_TaskTheDataCannotServe_NamesTaskFlag()
    {
        var (code, _, error) = CliRunner.Run("train", "--data", "moons", "--task", "regression", "--epochs", "1");

        Assert.Equal(2, code);
        Assert.StartsWith("error: --task: 'moons' is a classification set and cannot be used for regression;", error, StringComparison.Ordinal);
    }

    [Fact]
    public void SweepWorker_MalformedShard_NamesShardFlag()
    {
        using var temp = new TempDirectory();

        var (code, _, error) = CliRunner.Run("sweep", "worker", "--store", temp.File("s.db"), "--name", "g", "--shard", "3-8");

        Assert.Equal(2, code);
        Assert.Equal("error: --shard: expected INDEX/COUNT such as 3/8 (0-based index), got '3-8'.", error.TrimEnd());
    }

    [Fact]
    public void SweepWorker_KubernetesIndexWithoutCount_NamesShardCountFlag()
    {
        // The library's own error for `--shard auto` in a Job without INITLAB_SHARD_COUNT (the variables given by a
        // lookup, not set on this process, which other tests share).
        var environment = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "7" };
        var error = Assert.Throws<ArgumentException>(() => SweepShard.FromEnvironment(name => environment.GetValueOrDefault(name)));

        var (code, message) = ErrorReport.Describe(error, "initlab sweep worker");

        Assert.Equal(2, code);
        Assert.StartsWith("--shard-count: JOB_COMPLETION_INDEX is set but not the shard count", message, StringComparison.Ordinal);
    }

    /// <summary>CSV files that only another --label or --task would read: the file's own problem (exit 1, as before),
    /// with the flag that would fix it in front.</summary>
    public static TheoryData<string, string, string?, string, string> CsvCases() => new()
    {
        {
            "users.csv", "x,id\n" + Rows(50, i => $"{i},user{i}"), null,
            "--label: users.csv: the label column 'id' has 50 distinct values in 50 rows", "choose another label column"
        },
        {
            "price.csv", "x,price\n" + Rows(200, i => $"{i},\"{1_000_000 + (i * 1_237):N0}\""), null,
            "--task: price.csv: the label column 'price' has 200 distinct values", "set the task to regression"
        },
        { "c.csv", "a,b\n1,0\n2,1\n3,0\n", "target", "--label: c.csv: no column named 'target'. Columns: a, b.", "Columns: a, b." },
    };

    [Theory]
    [MemberData(nameof(CsvCases))]
    public void Train_CsvOnlyAnotherLabelOrTaskReads_NamesThatFlag(string file, string csv, string? label, string expectedStart, string remedy)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(file), csv);
        string[] args = ["train", "--data", dir.File(file), "--epochs", "1", .. label is null ? [] : new[] { "--label", label }];

        var (code, _, error) = CliRunner.Run(args);

        Assert.Equal(1, code);
        Assert.StartsWith("error: " + expectedStart, error, StringComparison.Ordinal);
        Assert.Contains(remedy, error, StringComparison.Ordinal);
    }

    private static string Rows(int count, Func<int, FormattableString> row) =>
        string.Concat(Enumerable.Range(0, count).Select(i => FormattableString.Invariant(row(i)) + "\n"));

    [Fact]
    public void Export_ModelWeightsInAnUnknownLayout_NamesLayoutFlag()
    {
        using var dir = new TempDirectory();

        var (code, _, error) = CliRunner.Run("export", "--model", dir.File("m.model"), "--npz", dir.File("w.npz"), "--layout", "tensorflow");

        Assert.Equal(2, code);
        // The library's message whole, after the flag: no " (Parameter 'layout')" tail.
        Assert.Equal("error: --layout: Unknown weight layout 'tensorflow'. Valid: keras ((in, out) kernels), pytorch ((out, in) weights).", error.TrimEnd());
    }
}
