using System.Diagnostics;
using InitLab.Cli.Commands;
using InitLab.Cli.Errors;
using InitLab.Cli.Rendering;

namespace InitLab.Cli.Tests.Rendering;

/// <summary>Issue 9 §2: practicals --out is checked at start, locked against a concurrent run, and swapped in whole.</summary>
public class ReportFolderTests
{
    private static (int Code, string Output, string Error) Quick(string folder, params string[] extra) =>
        CliRunner.Run(["practicals", "--quick", "--case", "zero-relu", "--out", folder, .. extra]);

    private static string LockOf(string folder) => Path.Combine(Path.GetDirectoryName(folder)!, $".{Path.GetFileName(folder)}.initlab-lock");

    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public void Practicals_OutIsAFile_RefusedAtStartAndFileKept()
    {
        using var dir = new TempDirectory();
        string file = dir.File("report");
        File.WriteAllText(file, "not a folder");
        var clock = Stopwatch.StartNew();
        var (code, output, error) = Quick(file);
        Assert.Equal(2, code);
        Assert.StartsWith($"error: --out: '{file}' is a file; give a folder", error, StringComparison.Ordinal);
        Assert.DoesNotContain("running", output, StringComparison.Ordinal);
        Assert.Equal("not a folder", File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Practicals_LockHeldByALiveRun_Refused()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        // This test process is alive: its pid in the lock stands for a concurrent run.
        File.WriteAllText(LockOf(folder), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (code, output, error) = Quick(folder);
        Assert.Equal(2, code);
        Assert.Contains($"another initlab run (pid {Environment.ProcessId}) is writing", error, StringComparison.Ordinal);
        Assert.DoesNotContain("running", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
        Assert.True(File.Exists(LockOf(folder)), "the other run's lock must stay");
    }

    [Fact]
    public void Practicals_StaleLockAndLeftovers_TakenOverAndCleaned()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        File.WriteAllText(LockOf(folder), DeadPid().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir.File(".report.0123456789ab.tmp"));
        var (code, _, error) = Quick(folder);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(folder, "report.html")));
        // Only the report remains: the lock is released and the dead run's working folder is gone.
        Assert.Equal([folder], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Practicals_Force_ReplacesTheWholeEarlierReport()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "results.json"), "old");
        File.WriteAllText(Path.Combine(folder, "loss-a-case-no-longer-run.png"), "stale");
        var (code, _, error) = Quick(folder, "--force");
        Assert.True(code == 0, error);
        Assert.NotEqual("old", File.ReadAllText(Path.Combine(folder, "results.json")));
        Assert.False(File.Exists(Path.Combine(folder, "loss-a-case-no-longer-run.png")));
        Assert.Equal([folder], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Practicals_ForceOnAFolderWithOtherFiles_RefusedAndNothingDeleted()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("home");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "report.html"), "old");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        var (code, _, error) = Quick(folder, "--force");
        Assert.Equal(2, code);
        Assert.Contains("holds 'notes.txt', which is not part of a report", error, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "notes.txt")));
        Assert.Equal("old", File.ReadAllText(Path.Combine(folder, "report.html")));
    }

    [Fact]
    public void ReportFolder_FailureBeforeCommit_PreviousReportIntactAndNoLeftovers()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "report.html"), "previous");
        void Interrupted()
        {
            using var report = ReportFolder.Open("--out", folder, force: true);
            File.WriteAllText(Path.Combine(report.WorkingPath, "report.html"), "half");
            throw new InvalidOperationException("interrupted while writing");
        }
        Assert.Throws<InvalidOperationException>(Interrupted);
        Assert.Equal("previous", File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.Equal([folder], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void ReportFolder_DiedBetweenTheTwoRenames_NextRunRestoresThePreviousReport()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("report");
        // What a kill between "old → aside" and "new → in place" leaves: no report folder, the old one aside.
        string aside = dir.File(".report.0123456789ab.old");
        Directory.CreateDirectory(aside);
        File.WriteAllText(Path.Combine(aside, "report.html"), "previous");
        var ex = Assert.Throws<CliUsageException>(() => ReportFolder.Open("--out", folder, force: false));
        Assert.Contains("exists and holds report files that initlab did not mark", ex.Message, StringComparison.Ordinal);
        Assert.Equal("previous", File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.Equal([folder], Directory.GetFileSystemEntries(dir.Path));
    }
}
