using InitLab.Common;
using InitLab.Data;
using InitLab.Persistence;
using InitLab.Training;

namespace InitLab.Cli.Errors;

/// <summary>
/// Maps any exception that reaches the top of <c>initlab</c> to an exit code and one line: what went wrong, which
/// file/flag/value, what is valid. Bad flag values (the library's argument checks, unknown names, missing input files)
/// are usage errors (2); bad file contents, I/O, divergence and memory are runtime failures (1); Ctrl-C is 130.
/// A library message names its parameter; <see cref="LibraryFlags"/> turns that into the command's flag.
/// </summary>
internal static class ErrorReport
{
    /// <summary>The exit code and the one line for an exception.</summary>
    /// <param name="exception">What reached the top.</param>
    /// <param name="command">The command that ran (<c>initlab train</c>), so a library parameter can be named by its flag;
    /// null when parsing did not get that far.</param>
    /// <returns>The code and the line (without <c>error: </c>).</returns>
    public static (int ExitCode, string Message) Describe(Exception exception, string? command = null)
    {
        Exception ex = Unwrap(exception);
        string message = LibraryFlags.Describe(ex, command);
        return ex switch
        {
            OperationCanceledException => (ExitCodes.Interrupted, "interrupted (Ctrl-C); no output file was written"),
            CliUsageException or UnknownNameException or ArgumentException => (ExitCodes.UsageError, message),
            FileNotFoundException or DirectoryNotFoundException => (ExitCodes.UsageError, $"{message} Check the path given on the command line."),
            DataFormatException or ModelFormatException or TrainingDivergedException => (ExitCodes.RuntimeFailure, message),
            InitLab.Sweeps.Store.SweepStoreException => (ExitCodes.RuntimeFailure, message),
            // Npgsql's errors are DbExceptions too; the disk hint fits only SQLite, whose errors are mostly I/O.
            Npgsql.NpgsqlException => (ExitCodes.RuntimeFailure, $"results store error (PostgreSQL): {message} (is the server reachable, and may this user write to the database?)"),
            System.Data.Common.DbException => (ExitCodes.RuntimeFailure, $"results store error: {message} (is the store on a local disk with free space?)"),
            UnauthorizedAccessException or IOException when QuotedFolder(message) is string folder =>
                (ExitCodes.RuntimeFailure, $"'{folder}' is a folder, but a file was expected there; give a file name (e.g. {Path.Combine(folder, "out.json")})."),
            UnauthorizedAccessException => (ExitCodes.RuntimeFailure, $"permission denied: {message} Choose a path you can read or write, or fix its permissions."),
            InvalidDataException => (ExitCodes.RuntimeFailure, $"corrupt or truncated data: {message} Download or copy the file again."),
            IOException when IsDiskFull(ex) => (ExitCodes.RuntimeFailure, $"disk full: {message} Free some space or write elsewhere."),
            IOException => (ExitCodes.RuntimeFailure, $"I/O failure: {message} (is the disk full, or is a folder where a file was expected?)"),
            OverflowException => (ExitCodes.RuntimeFailure, $"a size is too large to compute ({message}); use smaller shapes or widths."),
            OutOfMemoryException or InsufficientMemoryException => (ExitCodes.RuntimeFailure,
                $"out of memory ({MemoryBudget.Format(MemoryBudget.AvailableBytes)} available to this process); use smaller --layers, --rows or --batch-size."),
            InvalidOperationException => (ExitCodes.RuntimeFailure, message),
            // The library says plainly what it cannot do (e.g. export a reset-before GRU in PyTorch's layout): no bug to report.
            NotSupportedException => (ExitCodes.RuntimeFailure, message),
            _ => (ExitCodes.RuntimeFailure, $"unexpected {ex.GetType().Name}: {message} (rerun with --verbose for the stack trace, and please report it)"),
        };
    }

    /// <summary>Writes the line (and, with <paramref name="verbose"/>, the stack trace) and returns the exit code.</summary>
    public static int Report(Exception exception, TextWriter error, bool verbose, string? command = null)
    {
        var (code, message) = Describe(exception, command);
        error.WriteLine($"error: {message}");
        if (verbose)
        {
            error.WriteLine(exception.ToString());
        }
        return code;
    }

    /// <summary>The path quoted in a .NET I/O message ("Access to the path '/tmp' is denied."), when it is a folder.</summary>
    private static string? QuotedFolder(string message)
    {
        int start = message.IndexOf('\'', StringComparison.Ordinal);
        int end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        string? path = end > start + 1 ? message[(start + 1)..end] : null;
        return path is not null && Directory.Exists(path) ? path : null;
    }

    /// <summary>ENOSPC (28) on Unix, ERROR_DISK_FULL (0x70) / ERROR_HANDLE_DISK_FULL (0x27) on Windows.</summary>
    private static bool IsDiskFull(Exception ex) =>
        (ex.HResult & 0xFFFF) is 28 or 0x70 or 0x27 || ex.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);

    private static Exception Unwrap(Exception ex)
    {
        while (ex is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException { InnerException: not null } or TypeInitializationException { InnerException: not null })
        {
            ex = ex.InnerException!;
        }
        return ex;
    }
}
