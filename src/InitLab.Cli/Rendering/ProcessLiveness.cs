using System.Diagnostics;
using System.Globalization;

namespace InitLab.Cli.Rendering;

/// <summary>Whether the process that wrote a lock file still runs.</summary>
internal static class ProcessLiveness
{
    /// <summary>True when a process with this id runs. A zombie (exited, not yet reaped by its parent — e.g. a run killed
    /// under a shell that never waits) has exited: .NET still finds it and reports it as running, so Linux's
    /// <c>/proc/PID/stat</c> state is read first.</summary>
    /// <param name="pid">The process id.</param>
    /// <returns>Whether it runs.</returns>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }
        if (LinuxState(pid) is char state)
        {
            // Z: zombie, X: dead. Every other state (running, sleeping, stopped, traced, disk wait) is a live process.
            return state is not ('Z' or 'X');
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The state letter of /proc/PID/stat, or null off Linux or when the process does not exist.</summary>
    private static char? LinuxState(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        try
        {
            // "pid (comm) S …": comm may itself contain ") ", so the state is after the last ')'.
            string stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            int close = stat.LastIndexOf(')');
            return close >= 0 && close + 2 < stat.Length ? stat[close + 2] : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
