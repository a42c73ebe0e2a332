using System.Diagnostics;
using InitLab.Tests.TestUtilities;

namespace InitLab.Cli.Tests.Packaging;

/// <summary>The repository's two end-to-end scripts, run as tests so that scripts/test.sh counts them (issue 14):
/// scripts/package-test.sh (pack the three library packages and the tool, install the tool, run it, build a console app
/// against the InitLab package) and scripts/examples-test.sh (every file-based app in examples/).</summary>
public sealed class ScriptCheckTests
{
    [OptInFact("INITLAB_PACKAGE_TEST")]
    public void PackageScript_PackInstallRun_ToolAndLibraryPackageWork()
    {
        (int exitCode, string output) = RunScript("package-test.sh");

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"initlab --version: 0\.1\.0-pkgtest\.\d+", output);
        Assert.Contains("practicals: \"runs\": 22, \"matches\": 22", output, StringComparison.Ordinal);
        Assert.Matches(@"moons, he_normal, 2-32-32-1: test loss [\d.]+, test accuracy", output);
        Assert.EndsWith("package test passed", output.TrimEnd(), StringComparison.Ordinal);
    }

    [OptInFact("INITLAB_EXAMPLES_TEST")]
    public void ExamplesScript_EveryExample_RunsAndItsVerdictHolds()
    {
        int examples = Directory.GetFiles(RepositoryRoot.Combine("examples"), "??-*.cs").Length;

        (int exitCode, string output) = RunScript("examples-test.sh");

        Assert.True(exitCode == 0, output);
        Assert.True(examples >= 9, $"expected at least 9 examples, found {examples}");
        Assert.Contains($"examples passed: {examples} of {examples}", output, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) RunScript(string name)
    {
        var (exitCode, stdout, stderr) = ChildProcess.Run(new ProcessStartInfo("bash", [RepositoryRoot.Combine("scripts", name)]));
        return (exitCode, stdout + stderr);
    }
}
