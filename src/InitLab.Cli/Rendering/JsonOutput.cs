namespace InitLab.Cli.Rendering;

/// <summary>Writes a <c>--json</c> result: to standard output when the path is "-", else to the file.</summary>
internal static class JsonOutput
{
    public const string StdoutPath = "-";

    public static bool IsStdout(string? path) => path == StdoutPath;

    /// <summary>Writes the JSON, and says where on standard error (nothing is said when it went to standard output).</summary>
    public static void Write(CliContext context, string path, object? value, string what = "results")
    {
        if (IsStdout(path))
        {
            context.Stdout.Write(JsonReport.Serialize(value));
            return;
        }
        JsonReport.Write(path, value);
        context.Error.WriteLine($"{what} written to {path}");
    }
}
