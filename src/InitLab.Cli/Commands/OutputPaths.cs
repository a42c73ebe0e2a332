using InitLab.Cli.Errors;

namespace InitLab.Cli.Commands;

/// <summary>
/// Checks a command's output paths before any work starts: an output that is one of the inputs (<c>--json data.csv</c>)
/// or another output of the same command (<c>--save a --json a</c>) would destroy a file, and one that names a folder
/// where a file is expected would fail only after the work, so both are refused up front. Paths are compared in full
/// (relative parts and symbolic links resolved), ignoring case where the operating system does.
/// </summary>
internal static class OutputPaths
{
    // Windows and macOS file systems are case-insensitive by default; Linux ones are not.
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Refuses outputs equal to an input or to each other. "-" (standard output) and null are skipped.</summary>
    /// <param name="inputs">Files (or folders) the command reads.</param>
    /// <param name="outputs">Files (or folders) the command writes.</param>
    public static void Check(IEnumerable<FlagPath> inputs, IEnumerable<FlagPath> outputs)
    {
        var seen = new List<(FlagPath Source, string Key, bool IsInput)>();
        foreach (FlagPath input in inputs.Where(Named))
        {
            seen.Add((input, Key(input.Path!), true));
            if (Directory.Exists(input.Path))
            {
                // A data folder (MNIST) is read file by file: none of its files may be an output either.
                seen.AddRange(Directory.EnumerateFiles(input.Path).Select(f => (input with { Path = f }, Key(f), true)));
            }
        }
        foreach (FlagPath output in outputs.Where(Named))
        {
            string key = Key(output.Path!);
            foreach (var (source, other, isInput) in seen)
            {
                if (string.Equals(key, other, PathComparison))
                {
                    string what = isInput ? $"the input of {source.Flag}" : $"also the output of {source.Flag}";
                    throw new CliUsageException(
                        $"{output.Flag}: '{output.Path}' is {what}{(source.Path == output.Path ? string.Empty : $" ('{source.Path}')")}; writing it would destroy that file. Choose another name (nothing was written).");
                }
            }
            seen.Add((output, key, false));
        }
    }

    /// <summary>Refuses a file output that is an existing folder, or whose folder does not exist (unless the writer
    /// creates it).</summary>
    /// <param name="output">The output file.</param>
    /// <param name="folderIsCreated">The writer creates a missing folder (JSON reports do).</param>
    public static void RequireFileLocation(FlagPath output, bool folderIsCreated = false)
    {
        if (!Named(output))
        {
            return;
        }
        string path = output.Path!;
        if (Directory.Exists(path))
        {
            throw new CliUsageException($"{output.Flag}: '{path}' is a folder; give a file name (nothing was written).");
        }
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!folderIsCreated && folder is not null && !Directory.Exists(folder))
        {
            throw new CliUsageException($"{output.Flag}: the folder '{folder}' does not exist; create it first or choose another path (nothing was written).");
        }
    }

    /// <summary>Refuses "-" for an output that cannot go to standard output (a binary file or a folder), so that no
    /// file named "-" is created.</summary>
    /// <param name="output">The output.</param>
    /// <param name="what">What the flag writes, for the message ("a .npy file", "a folder of .npy files").</param>
    public static void NotStdout(FlagPath output, string what)
    {
        if (output.Path == "-")
        {
            throw new CliUsageException($"{output.Flag}: '-' (standard output) cannot take {what}; give a file name (nothing was written).");
        }
    }

    private static bool Named(FlagPath p) => !string.IsNullOrEmpty(p.Path) && p.Path != "-";

    // The full path with any symbolic link at the end resolved, so "./a.csv", "a.csv" and a link to it compare equal.
    private static string Key(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        try
        {
            FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
            return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;
        }
    }
}
