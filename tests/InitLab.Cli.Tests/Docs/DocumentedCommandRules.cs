using System.Text.RegularExpressions;

namespace InitLab.Cli.Tests.Docs;

/// <summary>
/// What <see cref="DocumentedCommandTests"/> does with a documented command besides running it as written: the lines
/// it does not run here (each with the reason and where it is run instead), and the size cuts that keep a long run
/// short (each keeps the command's meaning: the same flags, smaller numbers).
/// </summary>
internal static partial class DocumentedCommandRules
{
    /// <summary>Lines not run by the test, and why. Anything not matched here runs.</summary>
    public static IReadOnlyList<(Regex Pattern, string Reason)> Skipped { get; } =
    [
        (new(@"^bash scripts/test\.sh"), "the test command itself (CI runs it)"),
        (new(@"^dotnet run\b.*(examples/|--project bench/)"), "examples run in scripts/examples-test.sh (INITLAB_EXAMPLES_TEST); BenchmarkDotNet is never part of the tests"),
        (new(@"^dotnet (tool install|pack)\b"), "scripts/package-test.sh packs, installs and runs the packages from a local feed (INITLAB_PACKAGE_TEST)"),
        (new(@"(^|\s)(bash )?bench/peers/"), "peer benchmarks take minutes and install PyTorch and TorchSharp; run by hand on a quiet machine"),
        (new(@"postgres(ql)?://|\$STORE\b"), "needs a PostgreSQL server: scripts/postgres-sweep-test.sh runs the same commands against a throw-away one"),
        (new(@"--submit\b|^sbatch |sweep merge --out runs/"), "needs Slurm and a finished job array: scripts/slurm-sweep-demo.sh runs them on a single-node Slurm"),
        (new(@"^kubectl "), "needs a Kubernetes cluster; tests/InitLab.Cli.Tests/Commands/Sweeps/KubernetesJobTemplateTests.cs checks the template"),
        (new(@"^bash scripts/(postgres-sweep-test|slurm-sweep-demo|package-test|examples-test)\.sh"), "the end-to-end scripts run as their own tests (ScriptCheckTests) or in .ci/run"),
    ];

    /// <summary>The reason a command is not run here, or null when it runs.</summary>
    public static string? SkipReason(string command) =>
        Skipped.FirstOrDefault(rule => rule.Pattern.IsMatch(command)).Reason;

    /// <summary>
    /// The command with its sizes cut for a test: the full practicals become <c>--quick</c> (the same cases, 1 seed and
    /// 30 epochs), sweeps run 1 epoch of 1 seed, and <c>bench</c> times W1 and a 256³ GEMM once. Everything else runs
    /// exactly as written.
    /// </summary>
    public static string Shrink(string command)
    {
        if (Initlab("practicals").IsMatch(command) && !QuickFlag().IsMatch(command))
        {
            command = Initlab("practicals").Replace(command, "$0 --quick", 1);
        }
        if (Initlab(@"sweep (run|create)").IsMatch(command))
        {
            command = SetFlag(command, Initlab(@"sweep (run|create)"), "--epochs", "1");
            command = SetFlag(command, Initlab(@"sweep (run|create)"), "--seeds", "1");
        }
        if (Initlab("bench").IsMatch(command) && !command.Contains("--cpu", StringComparison.Ordinal))
        {
            command = SetFlag(command, Initlab("bench"), "--workload", "W1");
            command = SetFlag(command, Initlab("bench"), "--gemm", "256");
            command = SetFlag(command, Initlab("bench"), "--repeats", "1");
        }
        return command;
    }

    private static string SetFlag(string command, Regex after, string flag, string value)
    {
        var existing = new Regex(Regex.Escape(flag) + @"[ =]\S+");
        return existing.IsMatch(command)
            ? existing.Replace(command, $"{flag} {value}", 1)
            : after.Replace(command, $"$0 {flag} {value}", 1);
    }

    // `initlab <command>` or `./initlab <command>` as a whole word, so a file named initlab-report is never matched.
    private static Regex Initlab(string command) => new(@"(?<![\w/-])(\./)?initlab " + command + @"(?![\w-])");

    [GeneratedRegex(@"\s(--quick|-q)\b")]
    private static partial Regex QuickFlag();
}
