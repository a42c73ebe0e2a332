using System.Diagnostics;

namespace InitLab.Tests.TestUtilities;

/// <summary>
/// A real 1 MiB tmpfs, mounted for one test and unmounted after, so "disk full" is the kernel's ENOSPC and not a
/// simulation. Needs Linux and root (CAP_SYS_ADMIN); <see cref="SmallDiskFactAttribute"/> skips the test otherwise.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    /// <summary>Null when a tmpfs can be mounted here, else why not (the skip reason).</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    public static SmallDisk Mount(string size = "1m")
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "initlab-smalldisk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        string? error = Run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", path);
        if (error is not null)
        {
            Directory.Delete(path);
            throw new InvalidOperationException("mount failed: " + error);
        }
        return new SmallDisk(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        Run("umount", Path);
        Directory.Delete(Path);
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux (tmpfs)";
        }
        if (!Environment.IsPrivilegedProcess)
        {
            return "needs root to mount a 1 MiB tmpfs";
        }
        try
        {
            using var disk = Mount();
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "cannot mount a tmpfs here (" + ex.Message + ")";
        }
    }

    private static string? Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : error.Trim();
    }
}

/// <summary>A fact that runs only where <see cref="SmallDisk"/> can mount, and says why it was skipped elsewhere.</summary>
internal sealed class SmallDiskFactAttribute : FactAttribute
{
    public SmallDiskFactAttribute()
    {
        if (SmallDisk.WhyUnavailable is string reason)
        {
            Skip = reason;
        }
    }
}
