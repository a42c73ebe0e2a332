using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using InitLab.Cli.Help;
using Spectre.Console;

namespace InitLab.Cli.Tests.Help;

public partial class HelpShapeTests
{
    public static TheoryData<string, int> CommandsAndWidths()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in AllCommands().Select(c => c.Path))
        {
            foreach (int width in new[] { 60, 80, 120 })
            {
                data.Add(name, width);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CommandsAndWidths))]
    public void Help_EveryCommand_OneOptionPerLineExamplesExitCodesWithinWidth(string path, int width)
    {
        var (command, inherited) = Find(path);
        string help = HelpRenderer.Render(command, path, inherited, width);
        AssertShape(help, command, inherited, width);
    }

    [Fact]
    public void Help_ThroughTheCli_EveryCommandAt80ColumnsRedirected()
    {
        foreach (var (path, command, inherited) in AllCommands())
        {
            string[] args = [.. path.Split(' ').Skip(1), "--help"];
            var (code, output, error) = CliRunner.RunWith(200, default, args);
            Assert.True(code == 0, error);
            Assert.Equal(string.Empty, error);
            AssertShape(output, command, inherited, CliApp.RedirectedHelpWidth);
        }
    }

    [Theory]
    [InlineData("Mean-field propagation (Poole et al. 2016, Schoenholz et al. 2017) for one activation: q*. The rest.",
        "Mean-field propagation (Poole et al. 2016, Schoenholz et al. 2017) for one activation: q*.")]
    [InlineData("Uses e.g. He init. Next sentence.", "Uses e.g. He init.")]
    [InlineData("Train a network. Report it.", "Train a network.")]
    [InlineData("Version 1.2. 3 more.", "Version 1.2. 3 more.")]
    [InlineData("One line\nwrapped. Second.\n\nParagraph.", "One line wrapped.")]
    public void FirstSentence_StopsAtASentenceNotAnAbbreviation(string description, string expected) =>
        Assert.Equal(expected, HelpRenderer.FirstSentence(description));

    /// <summary>The root help lists every command by its first sentence: none may be cut inside parentheses (the
    /// meanfield line once read "Mean-field signal propagation (Poole et al.").</summary>
    [Fact]
    public void Help_CommandList_EverySummaryIsAWholeSentence()
    {
        foreach (var (_, command, _) in AllCommands().Skip(1))
        {
            string summary = HelpRenderer.FirstSentence(command.Description);
            Assert.True(summary.Count(c => c == '(') == summary.Count(c => c == ')'), $"{command.Name}: '{summary}'");
            Assert.True(summary.EndsWith('.') || summary.EndsWith(')'), $"{command.Name}: '{summary}'");
        }
    }

    [Fact]
    public void Help_ShortAliases_MeanOneFlagAcrossCommands()
    {
        var meaning = new Dictionary<string, (string Flag, string Command)>(StringComparer.Ordinal);
        foreach (var (path, command, _) in AllCommands())
        {
            foreach (Option option in command.Options)
            {
                foreach (string alias in option.Aliases.Where(a => a.Length == 2 && a[0] == '-' && a[1] != '?'))
                {
                    if (meaning.TryGetValue(alias, out var first))
                    {
                        Assert.True(first.Flag == option.Name, $"{alias} is {first.Flag} in '{first.Command}' but {option.Name} in '{path}'");
                    }
                    else
                    {
                        meaning[alias] = (option.Name, path);
                    }
                }
            }
        }
        Assert.Equal("--out", meaning["-o"].Flag);
    }

    private static void AssertShape(string help, Command command, IReadOnlyList<Option> inherited, int width)
    {
        string[] lines = help.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        foreach (string line in lines)
        {
            Assert.True(line.Length <= width, $"{line.Length} > {width} columns: '{line}'");
        }
        // One option per line: every option starts exactly one line of the Options section, and no line holds two.
        int options = Array.IndexOf(lines, "Options:");
        int examples = Array.IndexOf(lines, "Examples:");
        Assert.True(options > 0 && examples > options, help);
        var optionLines = lines[(options + 1)..examples].Where(l => OptionLine().IsMatch(l)).ToList();
        var visible = command.Options.Concat(inherited).Where(o => !o.Hidden).Distinct().ToList();
        Assert.Equal(visible.Count, optionLines.Count);
        foreach (Option option in visible)
        {
            string longName = option is HelpOption ? "--help" : option.Name;
            Assert.Single(optionLines, l => Regex.IsMatch(l, $@"^  (-\S+, )*{Regex.Escape(longName)}(\s|,|$)"));
        }
        Assert.All(lines, l => Assert.True(Regex.Count(l, @"(^|\s)--[a-z][a-z0-9-]* <") <= 1 || !OptionLine().IsMatch(l), l));
        // The examples block: every example is a command line starting with "initlab" (continuations indented further).
        var exampleLines = lines[(examples + 1)..].TakeWhile(l => l.Length > 0).ToList();
        Assert.NotEmpty(exampleLines);
        Assert.All(exampleLines, l => Assert.True(l.StartsWith("  initlab ", StringComparison.Ordinal) || l.StartsWith("    ", StringComparison.Ordinal), l));
        Assert.Contains(lines, l => l.StartsWith("Exit codes: 0 success; 1 runtime failure", StringComparison.Ordinal));
        Assert.DoesNotContain("System.", help, StringComparison.Ordinal);
    }

    private static List<(string Path, Command Command, IReadOnlyList<Option> Inherited)> AllCommands()
    {
        RootCommand root = BuildRoot(out var inherited);
        var all = new List<(string, Command, IReadOnlyList<Option>)> { ("initlab", root, inherited) };
        all.AddRange(root.Subcommands.Select(c => ($"initlab {c.Name}", c, inherited)));
        return all;
    }

    private static (Command, IReadOnlyList<Option>) Find(string path)
    {
        var match = AllCommands().Single(c => c.Path == path);
        return (match.Command, match.Inherited);
    }

    private static RootCommand BuildRoot(out IReadOnlyList<Option> inherited)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        (RootCommand root, inherited) = CliApp.Build(new CliContext(console, TextWriter.Null));
        return root;
    }

    [GeneratedRegex(@"^  -")]
    private static partial Regex OptionLine();
}
