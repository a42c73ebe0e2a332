using System.Diagnostics;
using InitLab.Sweeps.Cluster;

namespace InitLab.Sweeps.Tests.Cluster;

public sealed class SlurmBatchScriptTests
{
    private static SlurmBatchScript Script(params string[] words) => new("initlab-depth vs init", SlurmArray.Parse("0-31%8"), words,
        "initlab-%A_%a.out", ["Submit: sbatch this-file"], TimeSpan.FromHours(26.5), "debug");

    [Fact]
    public void Render_SbatchDirectivesBeforeAnyCommand()
    {
        string[] lines = Script("initlab", "sweep", "worker").Render().Split('\n');

        Assert.Equal("#!/bin/bash", lines[0]);
        int lastDirective = Array.FindLastIndex(lines, l => l.StartsWith("#SBATCH", StringComparison.Ordinal));
        int firstCommand = Array.FindIndex(lines, l => l.Length > 0 && !l.StartsWith('#'));
        Assert.True(lastDirective < firstCommand, "sbatch ignores #SBATCH lines after the first command");
        Assert.Contains("#SBATCH --array=0-31%8", lines);
        Assert.Contains("#SBATCH --job-name=initlab-depth_vs_init", lines);
        Assert.Contains("#SBATCH --time=1-02:30:00", lines);
        Assert.Contains("#SBATCH --partition=debug", lines);
        Assert.Contains("# Submit: sbatch this-file", lines);
        Assert.Equal("exec initlab sweep worker", lines[^2]);
    }

    [Theory]
    [InlineData("plain-word_1.db")]
    [InlineData("it's $HOME `date` \"x\" \\ * ; & |")]
    [InlineData("")]
    [InlineData("postgresql://u@%2Ftmp%2Fpg:5432/sweeps")]
    public void Quote_AnyText_BashReadsItBackExactly(string word)
    {
        if (!File.Exists("/bin/bash"))
        {
            return;
        }
        // bash itself is the independent judge: printf prints the one argument it received.
        var start = new ProcessStartInfo("/bin/bash", ["-c", $"printf '%s' {SlurmBatchScript.Quote(word)}"]) { RedirectStandardOutput = true };
        using Process bash = Process.Start(start)!;
        string back = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();

        Assert.Equal(word, back);
    }

    [Fact]
    public void Render_ScriptIsValidBash()
    {
        if (!File.Exists("/bin/bash"))
        {
            return;
        }
        string path = Path.Combine(Path.GetTempPath(), $"initlab-slurm-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, Script("initlab", SlurmBatchScript.Quote("a b'c"), "\"${SLURM_ARRAY_TASK_ID}\"").Render());
        try
        {
            using Process bash = Process.Start("/bin/bash", ["-n", path])!;
            bash.WaitForExit();
            Assert.Equal(0, bash.ExitCode);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
