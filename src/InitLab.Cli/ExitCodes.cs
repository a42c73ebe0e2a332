namespace InitLab.Cli;

/// <summary>The process exit codes of <c>initlab</c>, as documented in every help page and in the README.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The run failed: bad file contents, an I/O or permission failure, divergence, not enough memory.</summary>
    public const int RuntimeFailure = 1;

    /// <summary>The command line is wrong: unknown command or flag, a value of the wrong kind or out of range, a
    /// missing input file; nothing was run.</summary>
    public const int UsageError = 2;

    /// <summary>Interrupted by Ctrl-C (128 + SIGINT, as shells report it); nothing was written half-way.</summary>
    public const int Interrupted = 130;

    public const string Summary =
        "Exit codes: 0 success; 1 runtime failure (bad file contents, I/O, divergence, memory); 2 usage error (unknown " +
        "command or flag, bad value; nothing was run); 130 interrupted (Ctrl-C). Errors are one line on stderr " +
        "(--verbose adds the stack trace).";
}
