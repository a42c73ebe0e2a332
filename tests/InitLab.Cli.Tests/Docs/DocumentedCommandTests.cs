using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using InitLab.Cli.Tests.Packaging;
using InitLab.Tests.TestUtilities;

namespace InitLab.Cli.Tests.Docs;

/// <summary>
/// Every command line of the README and of docs/*.md runs, as written, so that none can rot: each page's ```bash lines
/// run in order in one bash session in a scratch folder that holds only the launcher (<c>./initlab</c>, also on PATH
/// as <c>initlab</c>) and the shipped <c>data/</c> folder, so a command may use the files an earlier one wrote. The only
/// changes are the size cuts and the skipped lines of <see cref="DocumentedCommandRules"/>, each with its reason.
/// The launcher builds the tool once (in .initlab-build/) if a source is newer than its build. Opt-in
/// (INITLAB_DOCS_TEST=1, set by .ci/run) like the other end-to-end tests: the pages hold about 60 commands, a few
/// minutes on 2 cores, most of it three sweep reports that compute mean-field curves.
/// </summary>
public sealed partial class DocumentedCommandTests
{
    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>();
        foreach (string page in PagePaths())
        {
            pages.Add(page);
        }
        return pages;
    }

    [OptInTheory("INITLAB_DOCS_TEST")]
    [MemberData(nameof(Pages))]
    public void Page_EveryCommandLine_RunsAsWrittenAndExitsAsPromised(string page)
    {
        var commands = DocumentedCommand.Read(RepositoryRoot.Path, page);
        var runnable = commands.Where(c => DocumentedCommandRules.SkipReason(c.Text) is null).ToList();
        if (runnable.Count == 0)
        {
            return;
        }
        var results = RunInScratchFolder(runnable);
        var failures = new List<string>();
        foreach (DocumentedCommand command in runnable)
        {
            if (!results.TryGetValue(command, out var result))
            {
                failures.Add($"{command.Where}: `{command.Text}` did not finish (the session stopped before it).");
            }
            else if (result.ExitCode != command.ExpectedExitCode)
            {
                failures.Add($"{command.Where}: `{DocumentedCommandRules.Shrink(command.Text)}` exited {result.ExitCode}, the page promises {command.ExpectedExitCode}:\n{Tail(result.Output)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [OptInFact("INITLAB_DOCS_TEST")]
    public void Readme_FirstCommand_IsTheLauncher_AndRunsTwiceInARow()
    {
        DocumentedCommand first = DocumentedCommand.Read(RepositoryRoot.Path, "README.md")[0];
        Assert.StartsWith("./initlab practicals", first.Text, StringComparison.Ordinal);
        var again = first with { LineNumber = first.LineNumber + 100_000 };
        var results = RunInScratchFolder([first, again]);
        Assert.True(results[first].ExitCode == 0, Tail(results[first].Output));
        Assert.True(results[again].ExitCode == 0, "the second run of the README's first command failed:\n" + Tail(results[again].Output));
    }

    [Fact]
    public void Read_ContinuationsJoined_CommentsDropped_ExitCommentsRead()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("page.md"), """
            Text.
            ```bash
            # a comment
            ./initlab sweep run --init he_normal \
                --depth 2,5    # two depths

            ./initlab train --data nope   # a usage error: exit 2
            ```
            ```text
            ./initlab not-a-command
            ```
            """);
        var commands = DocumentedCommand.Read(dir.Path, "page.md");
        Assert.Equal(2, commands.Count);
        Assert.Equal((4, "./initlab sweep run --init he_normal --depth 2,5    # two depths", 0), (commands[0].LineNumber, commands[0].Text, commands[0].ExpectedExitCode));
        Assert.Equal((7, 2), (commands[1].LineNumber, commands[1].ExpectedExitCode));
    }

    [Theory]
    [InlineData("./initlab practicals", "./initlab practicals --quick")]
    [InlineData("./initlab practicals --papers --out r", "./initlab practicals --quick --papers --out r")]
    [InlineData("./initlab practicals -q", "./initlab practicals -q")]
    [InlineData("ls initlab-report/practicals.png", "ls initlab-report/practicals.png")]
    [InlineData("initlab sweep run --preset phase-diagram --epochs 100 --seeds 5 --store p.db", "initlab sweep run --preset phase-diagram --epochs 1 --seeds 1 --store p.db")]
    [InlineData("./initlab sweep run --preset depth-vs-init --store s.db", "./initlab sweep run --seeds 1 --epochs 1 --preset depth-vs-init --store s.db")]
    [InlineData("./initlab bench --threads 2 --json b.json", "./initlab bench --repeats 1 --gemm 256 --workload W1 --threads 2 --json b.json")]
    [InlineData("./initlab bench --cpu", "./initlab bench --cpu")]
    public void Shrink_CutsOnlyTheSizes(string written, string run) =>
        Assert.Equal(run, DocumentedCommandRules.Shrink(written));

    [Theory]
    [InlineData("bash scripts/test.sh", true)]
    [InlineData("initlab sweep status --store postgresql://a@h:5432/s --name x", true)]
    [InlineData("dotnet tool install -g InitLab.Cli", true)]
    [InlineData("./initlab sweep status --store sweep.db --name depth", false)]
    [InlineData("head -n 6 data/iris.csv > flowers.csv", false)]
    public void SkipReason_OnlyForLinesThatNeedWhatTestsLack(string command, bool skipped) =>
        Assert.Equal(skipped, DocumentedCommandRules.SkipReason(command) is not null);

    private static IEnumerable<string> PagePaths()
    {
        yield return "README.md";
        foreach (string file in Directory.GetFiles(RepositoryRoot.Combine("docs"), "*.md").Order(StringComparer.Ordinal))
        {
            yield return Path.GetRelativePath(RepositoryRoot.Path, file).Replace('\\', '/');
        }
    }

    /// <summary>Runs the commands in order in one bash session in a new scratch folder; per command its exit code and
    /// everything it printed.</summary>
    private static Dictionary<DocumentedCommand, (int ExitCode, string Output)> RunInScratchFolder(List<DocumentedCommand> commands)
    {
        using var dir = new TempDirectory();
        File.CreateSymbolicLink(dir.File("initlab"), RepositoryRoot.Combine("initlab"));
        Directory.CreateSymbolicLink(dir.File("data"), RepositoryRoot.Combine("data"));
        var script = new StringBuilder("set -o pipefail\n");
        for (int i = 0; i < commands.Count; i++)
        {
            // One stream keeps a command's output in order; the markers and the closing brace go on their own lines,
            // since a command's trailing comment would swallow anything after it on its line.
            script.Append(CultureInfo.InvariantCulture, $"echo '@@begin {i}' >&2\n{{\n");
            script.Append(DocumentedCommandRules.Shrink(commands[i].Text)).Append('\n');
            script.Append(CultureInfo.InvariantCulture, $"}} >&2\necho \"@@rc {i} $?\" >&2\n");
        }
        File.WriteAllText(dir.File(".commands.sh"), script.ToString());
        var start = new ProcessStartInfo("bash", [dir.File(".commands.sh")]) { WorkingDirectory = dir.Path };
        start.Environment["PATH"] = dir.Path + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        start.Environment["COLUMNS"] = "100";
        var (_, stdout, stderr) = ChildProcess.Run(start, TimeSpan.FromMinutes(15));
        return Split(stderr + stdout, commands);
    }

    private static Dictionary<DocumentedCommand, (int ExitCode, string Output)> Split(string log, List<DocumentedCommand> commands)
    {
        var results = new Dictionary<DocumentedCommand, (int, string)>();
        foreach (Match begin in BeginMarker().Matches(log))
        {
            int index = int.Parse(begin.Groups[1].Value, CultureInfo.InvariantCulture);
            Match rc = new Regex($@"^@@rc {index} (\d+)$", RegexOptions.Multiline).Match(log, begin.Index);
            int end = rc.Success ? rc.Index : log.Length;
            string output = log[(begin.Index + begin.Length)..end].Trim();
            results[commands[index]] = (rc.Success ? int.Parse(rc.Groups[1].Value, CultureInfo.InvariantCulture) : -1, output);
        }
        return results.Where(r => r.Value.Item1 >= 0).ToDictionary();
    }

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(25));

    [GeneratedRegex(@"^@@begin (\d+)$", RegexOptions.Multiline)]
    private static partial Regex BeginMarker();
}
