using System.Security.Cryptography;
using System.Text;

namespace InitLab.Persistence;

/// <summary>
/// Replaces a file all at once or not at all: the content goes to <c>name.&lt;random&gt;.tmp</c> in the target's folder,
/// is flushed to disk, and only then renamed over the target (<see cref="File.Move(string, string, bool)"/>, an atomic
/// rename on one file system). On any failure — a full disk, an exception from the writer, an interrupted process
/// unwinding — the temporary file is deleted and the previous file is left exactly as it was. The random part means a
/// stale temporary file from an earlier crash never blocks a later save.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, which gets the temporary file's stream.</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="write">Writes the whole content; any exception it throws aborts the replace.</param>
    /// <exception cref="IOException">The path is a folder, or writing, flushing or renaming failed (the old file is intact).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the target is not writable (the old file is intact).</exception>
    public static void Write(string path, Action<Stream> write) => Write(path, write, wrap: null);

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="text">The content.</param>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8NoBom, bufferSize: 1 << 16, leaveOpen: true);
            writer.Write(text);
        });
    }

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="bytes">The content.</param>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The same, with the temporary file's stream passed through <paramref name="wrap"/> (tests inject faults here).</summary>
    internal static void Write(string path, Action<Stream> write, Func<Stream, Stream>? wrap)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var pending = Begin(path, wrap);
        try
        {
            write(pending.Stream);
        }
        catch (IOException ex)
        {
            throw pending.Explain(ex);
        }
        pending.Commit();
    }

    /// <summary>
    /// Opens the temporary file for a caller that cannot pass a callback (a span cannot be captured): write to
    /// <see cref="Pending.Stream"/>, then <see cref="Pending.Commit"/>; disposing without a commit deletes the temporary file.
    /// </summary>
    internal static Pending Begin(string path, Func<Stream, Stream>? wrap = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"Cannot write '{path}': it is a folder; give a file name.");
        }
        string folder = Path.GetDirectoryName(full) ?? throw new IOException($"Cannot write '{path}': it has no folder.");
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot write '{path}': the folder '{folder}' does not exist.");
        }
        return new Pending(full, IsDevice(full) ? null : TemporaryName(full), wrap);
    }

    /// <summary>
    /// Whether <paramref name="fullPath"/> names a device or kernel file (<c>/dev/null</c>, <c>/dev/full</c>,
    /// <c>/dev/stdout</c>, <c>/proc/…</c>). Those are written in place: a rename over one would replace the device node
    /// itself (as root), and there is no previous content to protect.
    /// </summary>
    internal static bool IsDevice(string fullPath) =>
        !OperatingSystem.IsWindows()
        && (fullPath.StartsWith("/dev/", StringComparison.Ordinal) || fullPath.StartsWith("/proc/", StringComparison.Ordinal)
            || fullPath.StartsWith("/sys/", StringComparison.Ordinal));

    /// <summary>A fresh name beside the target: <c>name.&lt;16 hex&gt;.tmp</c>. The name only has to be unique, not
    /// reproducible, so it comes from the system's generator rather than a seeded <c>Rng</c>.</summary>
    internal static string TemporaryName(string fullPath) =>
        $"{fullPath}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp";

    /// <summary>An open temporary file that becomes the target on <see cref="Commit"/> and disappears otherwise.</summary>
    internal sealed class Pending : IDisposable
    {
        private readonly string _target;
        private readonly string? _temporary;
        private readonly FileStream _file;
        private bool _done;

        /// <param name="target">The file to create or replace.</param>
        /// <param name="temporary">The temporary file beside it, or null to write a device in place.</param>
        /// <param name="wrap">Optional stream wrapper (fault injection in tests).</param>
        internal Pending(string target, string? temporary, Func<Stream, Stream>? wrap)
        {
            _target = target;
            _temporary = temporary;
            _file = temporary is null
                ? new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1 << 16)
                : new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
            Stream = wrap?.Invoke(_file) ?? _file;
        }

        /// <summary>Where the content goes.</summary>
        public Stream Stream { get; }

        /// <summary>Flushes to the device and renames over the target.</summary>
        public void Commit()
        {
            ObjectDisposedException.ThrowIf(_done, this);
            try
            {
                Stream.Flush();
                if (_temporary is null)
                {
                    _file.Dispose();
                    _done = true;
                    return;
                }
                // Flush(true) forces the bytes to the device before the rename, so a power cut cannot leave a renamed
                // but empty file (the ext4 "zero-length after rename" case).
                _file.Flush(flushToDisk: true);
                _file.Dispose();
                File.Move(_temporary, _target, overwrite: true);
                _done = true;
            }
            catch (IOException ex)
            {
                Dispose();
                throw Explain(ex);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>
        /// The error to show for a failed write: names the target rather than the temporary file (which is gone) and
        /// says that the previous file is untouched. Deletes the temporary file first.
        /// </summary>
        /// <param name="cause">The write, flush or rename error (a full disk, a lost device).</param>
        /// <returns>An <see cref="IOException"/> with <paramref name="cause"/> inside.</returns>
        public IOException Explain(IOException cause)
        {
            ArgumentNullException.ThrowIfNull(cause);
            Dispose();
            string reason = _temporary is null ? cause.Message.TrimEnd('.')
                : cause.Message.Replace($" : '{_temporary}'", string.Empty, StringComparison.Ordinal)
                    .Replace(_temporary, Path.GetFileName(_temporary), StringComparison.Ordinal).TrimEnd('.');
            string previous = File.Exists(_target) ? "the previous file is unchanged" : "no file was created";
            return new IOException($"Could not write '{_target}': {reason}; {previous} and no partial file was left.", cause);
        }

        /// <summary>Without a commit: closes and deletes the temporary file, leaving the target untouched.</summary>
        public void Dispose()
        {
            if (_done)
            {
                return;
            }
            _done = true;
            try
            {
                _file.Dispose();
            }
            catch (IOException)
            {
                // Closing flushes the buffer, which fails again on a full disk; the file is deleted below regardless.
            }
            if (_temporary is not null)
            {
                TryDelete(_temporary);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original error matters more; a temp file we cannot delete is named .tmp and harms nothing.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
