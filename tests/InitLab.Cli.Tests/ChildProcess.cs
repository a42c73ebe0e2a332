using System.Diagnostics;

namespace InitLab.Cli.Tests;

/// <summary>Runs a program to its end and returns what it printed, for tests of scripts and launchers.</summary>
internal static class ChildProcess
{
    /// <summary>Starts <paramref name="start"/> with both outputs redirected and waits for it (killing the whole process
    /// tree after <paramref name="timeout"/>, if given).</summary>
    /// <returns>The exit code (-1 if it was killed) and each output whole.</returns>
    public static (int ExitCode, string Stdout, string Stderr) Run(ProcessStartInfo start, TimeSpan? timeout = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        // Both pipes drained at once: reading one to the end first can deadlock when the other fills.
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        bool finished = process.WaitForExit(timeout ?? Timeout.InfiniteTimeSpan);
        if (!finished)
        {
            process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
        return (finished ? process.ExitCode : -1, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
