using System.Globalization;
using System.Text.RegularExpressions;
using InitLab.Optimizers;

namespace InitLab.Cli.Tests.Help;

public partial class LearningRateHelpTests
{
    public static TheoryData<string> Optimizers() => [.. OptimizerRegistry.Names];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void TrainHelp_LearningRate_ShowsTheDefaultTheOptimizerUses(string optimizer)
    {
        string help = TrainHelp();
        Assert.True(DefaultsShownForLr(help).TryGetValue(optimizer, out double inHelp), $"--lr's help names no default for {optimizer}: {LrHelp(help)}");
        Assert.Equal(OptimizerRegistry.Resolve(optimizer).LearningRate, inHelp);
    }

    /// <summary>The registry's link from each name to its class's constant is pinned in InitLab.Tests
    /// (OptimizerDefaultsTests); here the two constants the help quotes, read from the classes.</summary>
    [Fact]
    public void TrainHelp_LearningRate_QuotesTheClassConstants()
    {
        Dictionary<string, double> shown = DefaultsShownForLr(TrainHelp());
        Assert.Equal(Sgd.DefaultLearningRate, shown["sgd"]);
        Assert.Equal(Adam.DefaultLearningRate, shown["adam"]);
    }

    private static string TrainHelp()
    {
        var (code, output, error) = CliRunner.Run("train", "--help");
        Assert.True(code == 0, error);
        return output;
    }

    /// <summary>"0.01 for sgd, momentum, nesterov; 0.001 for …" in --lr's description, as name → rate.</summary>
    private static Dictionary<string, double> DefaultsShownForLr(string help)
    {
        var shown = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match group in GroupPattern().Matches(LrHelp(help)))
        {
            double rate = double.Parse(group.Groups["rate"].Value, CultureInfo.InvariantCulture);
            foreach (string name in group.Groups["names"].Value.Split(", "))
            {
                shown[name] = rate;
            }
        }
        return shown;
    }

    /// <summary>The --lr entry of the help, its wrapped lines joined by single spaces.</summary>
    private static string LrHelp(string help)
    {
        string[] lines = help.ReplaceLineEndings("\n").Split('\n');
        int start = Array.FindIndex(lines, l => l.TrimStart().StartsWith("--lr ", StringComparison.Ordinal));
        Assert.True(start >= 0, "no --lr in the help");
        int end = Array.FindIndex(lines, start + 1, l => l.TrimStart().StartsWith('-') || l.Trim().Length == 0);
        return Regex.Replace(string.Join(" ", lines[start..end]), @"\s+", " ");
    }

    [GeneratedRegex(@"(?<rate>[0-9][0-9.eE+-]*) for (?<names>[a-z]+(?:, [a-z]+)*)")]
    private static partial Regex GroupPattern();
}
