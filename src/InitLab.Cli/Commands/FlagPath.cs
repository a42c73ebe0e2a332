namespace InitLab.Cli.Commands;

/// <summary>A path given on the command line and the flag it came from, so messages can name both.</summary>
internal readonly record struct FlagPath(string Flag, string? Path);
