using System.CommandLine;
using InitLab.Cli.Help;
using InitLab.Random;
using Spectre.Console;

namespace InitLab.Cli.Tests.Help;

public class ParseErrorPropertyTests
{
    private static readonly string[] Pool =
    [
        "train", "init", "inits", "practicals", "diagnose", "bench", "trian", "--epochs", "--epoch", "-e", "--lr", "--seed", "-s",
        "--layers", "-l", "--shape", "--name", "--case", "--seeds", "--json", "-", "--out", "-o", "--help", "-h", "--verbose",
        "--wide", "--quick", "x", "0", "-1", "1e999", "2,1000000000,1", "0,5", "65536,65536,65536,65536", "he", "99999999999",
        "", " ", "--", "=", "--epochs=3", "-e3", "'", "\"", "@", "ü", "--log-every", "--rows", "--threads", "--test-fraction", "1.5",
    ];

    [Fact]
    public void Describe_RandomCommandLines_AlwaysOneLineWithoutTypeNames()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        var (root, inherited) = CliApp.Build(new CliContext(console, TextWriter.Null));
        var rng = new Rng(20261129);
        int withErrors = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            string[] args = [.. Enumerable.Range(0, 1 + rng.NextInt(6)).Select(_ => Pool[rng.NextInt(Pool.Length)])];
            ParseResult result = root.Parse(args);
            if (result.Errors.Count == 0 || result.Action is HelpCommandAction)
            {
                continue;
            }
            withErrors++;
            string message = ParseErrorMessage.Describe(result, inherited);
            string line = $"[{string.Join(' ', args.Select(a => $"'{a}'"))}] → {message}";
            Assert.False(string.IsNullOrWhiteSpace(message), line);
            Assert.DoesNotContain('\n', message);
            Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
            Assert.StartsWith("initlab", ParseErrorMessage.CommandPath(result), StringComparison.Ordinal);
        }
        Assert.True(withErrors > 1000, $"only {withErrors} of 3000 random command lines had parse errors");
    }
}
