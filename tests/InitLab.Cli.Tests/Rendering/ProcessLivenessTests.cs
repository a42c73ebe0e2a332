using System.Diagnostics;
using InitLab.Cli.Rendering;

namespace InitLab.Cli.Tests.Rendering;

public sealed class ProcessLivenessTests
{
    [Fact]
    public void IsAlive_ThisProcess_True_NoSuchProcess_False()
    {
        Assert.True(ProcessLiveness.IsAlive(Environment.ProcessId));
        Assert.False(ProcessLiveness.IsAlive(0));
        Assert.False(ProcessLiveness.IsAlive(int.MaxValue));
    }

    [Fact]
    public void IsAlive_Zombie_False()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        // The shell starts a short child, prints its pid, then becomes `sleep`, which never reaps it: a zombie.
        using var parent = Process.Start(new ProcessStartInfo("sh", ["-c", "sleep 0.05 & echo $!; exec sleep 20"]) { RedirectStandardOutput = true })!;
        try
        {
            int child = int.Parse(parent.StandardOutput.ReadLine()!, System.Globalization.CultureInfo.InvariantCulture);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!File.ReadAllText($"/proc/{child}/stat").Contains(") Z", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
            Assert.Contains(") Z", File.ReadAllText($"/proc/{child}/stat"), StringComparison.Ordinal);

            Assert.False(ProcessLiveness.IsAlive(child));
            Assert.True(ProcessLiveness.IsAlive(parent.Id));
        }
        finally
        {
            parent.Kill();
        }
    }
}
