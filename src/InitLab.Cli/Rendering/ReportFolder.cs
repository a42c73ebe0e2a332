using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using InitLab.Cli.Errors;

namespace InitLab.Cli.Rendering;

/// <summary>
/// The output folder of a report, written so that an interrupted or failed run leaves either the previous report or a
/// complete new one. <see cref="Open"/> checks the folder before any work (a file, or a non-empty folder without
/// --force, or a folder holding files no report writes, is refused) and takes a lock beside it
/// (<c>.NAME.initlab-lock</c>, holding the owner's pid) so a second concurrent run into the same folder is refused; a
/// lock whose pid is no longer alive is stale and taken over. The report is written into <see cref="WorkingPath"/>, a
/// hidden sibling folder, and <see cref="Commit"/> swaps it in with two renames (old → aside, new → in place), then
/// deletes the old report, so no stale file of an earlier report survives. Between the two renames (microseconds) the
/// folder is briefly absent; the old report is still whole under its aside name and is cleaned by the next run.
/// Every report carries a marker file (<see cref="MarkerFile"/>): a folder holding it and nothing but report files is
/// one initlab wrote, and the next run replaces it without --force, so the same command can be run twice.
/// </summary>
internal sealed class ReportFolder : IDisposable
{
    private readonly string _lockPath;
    private bool _committed;
    private bool _disposed;

    private ReportFolder(string target, string lockPath, string working)
    {
        TargetPath = target;
        _lockPath = lockPath;
        WorkingPath = working;
    }

    /// <summary>The folder the report ends up in.</summary>
    public string TargetPath { get; }

    /// <summary>Where to write the report until <see cref="Commit"/>.</summary>
    public string WorkingPath { get; }

    /// <summary>The file every report folder holds, saying initlab wrote it (and may replace it).</summary>
    public const string MarkerFile = ".initlab-report";

    private const string MarkerText =
        "This folder was written by initlab. The next initlab run into it replaces it, as long as it holds only the\n" +
        "report's own files (results.json, report.html, *.png, monitor.csv, monitor.json, dashboard.html). Delete this\n" +
        "file to keep the folder from being replaced without --force.\n";

    /// <summary>Whether a file name is one a report writes (so --force may delete it).</summary>
    public static bool IsReportFile(string name) =>
        name is MarkerFile or "results.json" or "report.html" or MonitorReport.CsvFile or MonitorReport.JsonFile or MonitorReport.HtmlFile || name.EndsWith(".png", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks the folder, takes the lock, clears leftovers of dead runs and creates the working folder.</summary>
    /// <param name="flag">The flag that named the folder, for messages.</param>
    /// <param name="folder">The report folder.</param>
    /// <param name="force">Replace an existing report.</param>
    /// <returns>The open folder; dispose it (after <see cref="Commit"/> or not).</returns>
    public static ReportFolder Open(string flag, string folder, bool force)
    {
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (File.Exists(target))
        {
            throw new CliUsageException($"{flag}: '{folder}' is a file; give a folder for the report (nothing was written).");
        }
        string parent = Path.GetDirectoryName(target) ?? throw new CliUsageException($"{flag}: '{folder}' has no parent folder; choose another folder.");
        Directory.CreateDirectory(parent);
        string name = Path.GetFileName(target);
        string lockPath = Path.Combine(parent, $".{name}.initlab-lock");
        TakeLock(flag, folder, lockPath);
        try
        {
            // Holding the lock, any hidden sibling of ours is a leftover of a run that died (killed, power cut). An
            // aside copy with no report in place died between the two renames of Commit: it is the previous report.
            foreach (string leftover in Directory.EnumerateDirectories(parent, $".{name}.*"))
            {
                if (leftover.EndsWith(".old", StringComparison.Ordinal) && !Directory.Exists(target))
                {
                    Directory.Move(leftover, target);
                }
                else if (leftover.EndsWith(".old", StringComparison.Ordinal) || leftover.EndsWith(".tmp", StringComparison.Ordinal))
                {
                    Directory.Delete(leftover, recursive: true);
                }
            }
            CheckExisting(flag, folder, target, force);
            string working = Path.Combine(parent, $".{name}.{Suffix()}.tmp");
            Directory.CreateDirectory(working);
            File.WriteAllText(Path.Combine(working, MarkerFile), MarkerText);
            return new ReportFolder(target, lockPath, working);
        }
        catch
        {
            File.Delete(lockPath);
            throw;
        }
    }

    /// <summary>Swaps the finished report in and removes the previous one.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        string aside = Path.Combine(Path.GetDirectoryName(TargetPath)!, $".{Path.GetFileName(TargetPath)}.{Suffix()}.old");
        bool hadOld = Directory.Exists(TargetPath);
        if (hadOld)
        {
            Directory.Move(TargetPath, aside);
        }
        try
        {
            Directory.Move(WorkingPath, TargetPath);
        }
        catch
        {
            if (hadOld)
            {
                Directory.Move(aside, TargetPath);
            }
            throw;
        }
        _committed = true;
        if (hadOld)
        {
            Directory.Delete(aside, recursive: true);
        }
    }

    /// <summary>Deletes the working folder if the report was not committed, and releases the lock.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            if (!_committed && Directory.Exists(WorkingPath))
            {
                Directory.Delete(WorkingPath, recursive: true);
            }
        }
        finally
        {
            File.Delete(_lockPath);
        }
    }

    private static void CheckExisting(string flag, string folder, string target, bool force)
    {
        if (!Directory.Exists(target) || !Directory.EnumerateFileSystemEntries(target).Any())
        {
            return;
        }
        // A report is replaced, never whatever else the folder holds: a folder with other files (or subfolders) is
        // refused even with --force, so that a mistyped --out (a home or source folder) cannot be wiped.
        string? foreign = Directory.EnumerateDirectories(target).Select(Path.GetFileName).FirstOrDefault()
            ?? Directory.EnumerateFiles(target).Select(Path.GetFileName).FirstOrDefault(f => !IsReportFile(f!));
        if (foreign is not null)
        {
            throw new CliUsageException(
                $"{flag}: '{folder}' holds '{foreign}', which is not part of a report (results.json, report.html, *.png, monitor.csv, monitor.json, dashboard.html); only a folder holding nothing else is replaced, --force included. Move that file or choose another folder (nothing was written).");
        }
        // Report files only: with initlab's marker it is an earlier run's report, replaced as --force would. Without it
        // (a report copied by hand, or written before the marker existed) the user says so with --force.
        if (!force && !File.Exists(Path.Combine(target, MarkerFile)))
        {
            throw new CliUsageException(
                $"{flag}: '{folder}' exists and holds report files that initlab did not mark as its own ({MarkerFile}); choose another folder or add --force to replace them (nothing was written).");
        }
    }

    private static void TakeLock(string flag, string folder, string lockPath)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using var file = new FileStream(lockPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                using var writer = new StreamWriter(file);
                writer.Write(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                return;
            }
            catch (IOException) when (File.Exists(lockPath))
            {
                int? owner = ReadOwner(lockPath);
                if (owner is null && File.GetLastWriteTimeUtc(lockPath) > DateTime.UtcNow.AddSeconds(-5))
                {
                    // Created this instant by a run that has not written its pid yet.
                    throw new CliUsageException($"{flag}: another initlab run is starting to write '{folder}'; wait for it or choose another folder.");
                }
                if (owner is int pid && ProcessLiveness.IsAlive(pid))
                {
                    throw new CliUsageException(
                        $"{flag}: another initlab run (pid {pid}) is writing '{folder}'; wait for it to finish or choose another folder. If no such run exists, delete '{lockPath}'.");
                }
                // The owner died without cleaning up: the lock is stale. Delete it and try once more; if another run takes
                // it in between, the second CreateNew fails and that run wins.
                File.Delete(lockPath);
            }
        }
        throw new CliUsageException($"{flag}: another run took the lock '{lockPath}' at the same moment; try again.");
    }

    private static int? ReadOwner(string lockPath)
    {
        try
        {
            return int.TryParse(File.ReadAllText(lockPath).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    // Unique, not reproducible: the system generator rather than a seeded Rng.
    private static string Suffix() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
