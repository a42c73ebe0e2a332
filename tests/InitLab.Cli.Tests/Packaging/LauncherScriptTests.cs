using System.Diagnostics;
using System.Runtime.Versioning;
using InitLab.Tests.TestUtilities;

namespace InitLab.Cli.Tests.Packaging;

/// <summary>
/// The repository's <c>./initlab</c> launcher, run against a stand-in checkout and a stand-in <c>dotnet</c> that records
/// its calls and "builds" a program that echoes its arguments: what the launcher says, when it builds, what it runs.
/// (The real build through it runs in DocumentedCommandTests.)
/// The launcher is a bash script, so these tests are for Unix.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class LauncherScriptTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public LauncherScriptTests()
    {
        string repo = Repo;
        Directory.CreateDirectory(Path.Combine(repo, "src", "InitLab.Cli"));
        Directory.CreateDirectory(Path.Combine(repo, "data"));
        Directory.CreateDirectory(Path.Combine(repo, "fonts"));
        File.Copy(RepositoryRoot.Combine("initlab"), Path.Combine(repo, "initlab"));
        File.WriteAllText(Path.Combine(repo, "src", "InitLab.Cli", "InitLab.Cli.csproj"), "<Project />");
        File.WriteAllText(Path.Combine(repo, "src", "InitLab.Cli", "Program.cs"), "// the tool");
        File.WriteAllText(Path.Combine(repo, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(repo, "Directory.Packages.props"), "<Project />");
        // The stand-in dotnet: logs each call; `build … --artifacts-path DIR` writes DIR/bin/InitLab.Cli/release/InitLab.Cli.
        Directory.CreateDirectory(FakeBin);
        File.WriteAllText(Path.Combine(FakeBin, "dotnet"), $$"""
            #!/usr/bin/env bash
            echo "$*" >> '{{CallLog}}'
            [ -n "${FAIL_BUILD:-}" ] && { echo "Program.cs(1,1): error CS1002: ; expected"; exit 1; }
            while [ $# -gt 0 ]; do [ "$1" = --artifacts-path ] && out="$2"; shift; done
            sleep "${BUILD_SECONDS:-0}"
            mkdir -p "$out/bin/InitLab.Cli/release"
            printf '#!/usr/bin/env bash\necho "ran: $*"\n' > "$out/bin/InitLab.Cli/release/InitLab.Cli"
            chmod +x "$out/bin/InitLab.Cli/release/InitLab.Cli"
            """);
        Chmod(Path.Combine(FakeBin, "dotnet"));
        Chmod(Path.Combine(repo, "initlab"));
    }

    private string Repo => Path.Combine(_dir.Path, "repo");

    private string FakeBin => Path.Combine(_dir.Path, "fake-bin");

    private string CallLog => Path.Combine(_dir.Path, "dotnet-calls.log");

    private int Builds => File.Exists(CallLog) ? File.ReadAllLines(CallLog).Count(l => l.StartsWith("build ", StringComparison.Ordinal)) : 0;

    [Fact]
    public void FirstCall_SaysItIsBuilding_BuildsRelease_ThenRunsTheTool()
    {
        var (code, stdout, stderr) = Launch(["practicals", "--quick"]);
        Assert.Equal(0, code);
        Assert.Equal("ran: practicals --quick", stdout.Trim());
        Assert.Contains("first run: building the tool in Release", stderr, StringComparison.Ordinal);
        Assert.Matches(@"initlab: built in \d+ s\.", stderr);
        Assert.Equal(1, Builds);
        Assert.Contains("-c Release", File.ReadAllText(CallLog), StringComparison.Ordinal);
    }

    [Fact]
    public void SecondCall_RunsAtOnce_WithoutBuildingOrSayingAnything()
    {
        Launch(["--version"]);
        var (code, stdout, stderr) = Launch(["inits"]);
        Assert.Equal(0, code);
        Assert.Equal("ran: inits", stdout.Trim());
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(1, Builds);
    }

    [Fact]
    public void SourceNewerThanTheBuild_Rebuilds_AndSaysWhy()
    {
        Launch(["--version"]);
        string source = Path.Combine(Repo, "src", "InitLab.Cli", "Program.cs");
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddMinutes(1));
        var (code, _, stderr) = Launch(["--version"]);
        Assert.Equal(0, code);
        Assert.Contains("sources changed since the last build; rebuilding", stderr, StringComparison.Ordinal);
        Assert.Equal(2, Builds);
    }

    [Fact]
    public void SolutionReleaseBuildNewerThanSources_UsedAsItIs_UntilASourceChanges()
    {
        // What scripts/test.sh leaves: the solution's own Release build of the tool.
        string solutionExe = Path.Combine(Repo, "src", "InitLab.Cli", "bin", "Release", "net10.0", "InitLab.Cli");
        Directory.CreateDirectory(Path.GetDirectoryName(solutionExe)!);
        File.WriteAllText(solutionExe, "#!/usr/bin/env bash\necho \"solution build: $*\"\n");
        Chmod(solutionExe);
        var (code, stdout, stderr) = Launch(["inits"]);
        Assert.Equal((0, "solution build: inits", string.Empty), (code, stdout.Trim(), stderr));
        Assert.Equal(0, Builds);

        File.SetLastWriteTimeUtc(Path.Combine(Repo, "src", "InitLab.Cli", "Program.cs"), DateTime.UtcNow.AddMinutes(1));
        (code, stdout, _) = Launch(["inits"]);
        Assert.Equal((0, "ran: inits"), (code, stdout.Trim()));
        Assert.Equal(1, Builds);
    }

    [Fact]
    public void BuildFails_ExitsOne_ShowsTheErrorAndWhereTheLogIs_RunsNothing()
    {
        var (code, stdout, stderr) = Launch(["practicals"], ("FAIL_BUILD", "1"));
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("error CS1002", stderr, StringComparison.Ordinal);
        Assert.Contains("the build failed; the full log is", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void NoDotnetOnPath_Exits127_SayingTheSdkIsNeeded()
    {
        // A PATH with the shell tools the launcher uses but no dotnet (the machine's own is in /usr/bin).
        string tools = Path.Combine(_dir.Path, "tools-without-dotnet");
        Directory.CreateDirectory(tools);
        foreach (string tool in new[] { "bash", "env", "find", "grep", "mkdir", "flock", "dirname", "readlink", "sort", "head", "touch" })
        {
            string? found = new[] { "/usr/bin", "/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
            if (found is not null)
            {
                File.CreateSymbolicLink(Path.Combine(tools, tool), found);
            }
        }
        var (code, _, stderr) = Launch(["practicals"], ("PATH", tools));
        Assert.Equal(127, code);
        Assert.Contains("the .NET 10 SDK is needed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoFirstCallsAtOnce_BuildOnce()
    {
        Task<(int ExitCode, string, string)> first = Task.Run(() => Launch(["a"], ("BUILD_SECONDS", "1")));
        Task<(int ExitCode, string, string)> second = Task.Run(() => Launch(["b"], ("BUILD_SECONDS", "1")));
        Assert.Equal(0, (await first).ExitCode);
        Assert.Equal(0, (await second).ExitCode);
        Assert.Equal(1, Builds);
    }

    [Fact]
    public void CalledThroughASymlink_StillFindsItsCheckout()
    {
        string link = Path.Combine(_dir.Path, "elsewhere", "initlab");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, Path.Combine(Repo, "initlab"));
        var (code, stdout, _) = Launch(["inits"], launcher: link);
        Assert.Equal(0, code);
        Assert.Equal("ran: inits", stdout.Trim());
        Assert.True(Directory.Exists(Path.Combine(Repo, ".initlab-build")));
    }

    public void Dispose() => _dir.Dispose();

    private (int ExitCode, string Stdout, string Stderr) Launch(string[] args, (string Name, string Value)? variable = null, string? launcher = null)
    {
        var start = new ProcessStartInfo(launcher ?? Path.Combine(Repo, "initlab"), args) { WorkingDirectory = _dir.Path };
        start.Environment["PATH"] = FakeBin + Path.PathSeparator + "/usr/bin:/bin";
        if (variable is var (name, value))
        {
            start.Environment[name] = value;
        }
        return ChildProcess.Run(start);
    }

    private static void Chmod(string path) =>
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
}
