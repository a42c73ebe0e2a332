namespace InitLab.Cli.Tests.Help;

public class ParseErrorTests
{
    [Theory]
    [InlineData(new[] { "train", "--epochs", "ten" }, "error: --epochs: expected a whole number, got 'ten'.", "initlab train")]
    [InlineData(new[] { "train", "--lr", "fast" }, "error: --lr: expected a number, got 'fast'.", "initlab train")]
    [InlineData(new[] { "train", "--seed", "-1" }, "error: --seed: expected a whole number from 0 to 18446744073709551615, got '-1'.", "initlab train")]
    [InlineData(new[] { "train", "--epochs", "99999999999" }, "error: --epochs: expected a whole number from -2147483648 to 2147483647, got '99999999999'.", "initlab train")]
    [InlineData(new[] { "train", "--epoch", "10" }, "error: '--epoch' is not an option of train; did you mean '--epochs'?", "initlab train")]
    [InlineData(new[] { "diagnose", "--layers", "4,4", "--activatoin", "tanh" }, "error: '--activatoin' is not an option of diagnose; did you mean '--activation'?", "initlab diagnose")]
    [InlineData(new[] { "trian" }, "error: 'trian' is not an initlab command; did you mean 'train'?", "initlab")]
    [InlineData(new[] { "init", "--shape", "3,3", "--out", "w.npy" }, "error: init needs --name <name>: initializer name", "initlab init")]
    [InlineData(new[] { "train", "--epochs" }, "error: --epochs needs a value: a whole number.", "initlab train")]
    [InlineData(new[] { "init", "--shape", "2", "--name" }, "error: --name needs a value: initializer name (see 'initlab inits').", "initlab init")]
    [InlineData(new[] { "diagnose", "--layers" }, "error: --layers needs a value: all widths, input first", "initlab diagnose")]
    [InlineData(new[] { "train", "--epochs", "3", "--epochs", "4" }, "error: --epochs is given 2 values ('3', '4'); give it once.", "initlab train")]
    [InlineData(new[] { "init", "--name", "he_normal", "--shape", "0,5", "--out", "w.npy" }, "error: --shape: '0' in '0,5' is not a whole number >= 1", "initlab init")]
    [InlineData(new[] { "init", "--name", "he_normal", "--shape", "65536,65536,65536,65536", "--out", "w.npy" }, "error: --shape: '65536,65536,65536,65536' has more than 9.2e18 elements", "initlab init")]
    [InlineData(new[] { "practicals", "--seeds", "0" }, "error: --seeds: got 0; it must be a whole number >= 1.", "initlab practicals")]
    [InlineData(new[] { "practicals", "--case", "he", "--case", "He" }, "error: --case: 'he' is given twice; give each case once.", "initlab practicals")]
    [InlineData(new[] { "practicals", "--case", "hee" }, "error: --case: Unknown practical case 'hee'. Did you mean 'he'?", "initlab practicals")]
    public void Parse_BadCommandLine_OneLineAndWhereTheHelpIs_Exit2(string[] args, string firstLine, string command)
    {
        var (code, output, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        string[] lines = error.TrimEnd().Split('\n');
        Assert.StartsWith(firstLine, lines[0], StringComparison.Ordinal);
        Assert.Equal($"see `{command} --help`", lines[1].TrimEnd());
        Assert.Equal(2, lines.Length);
        Assert.Equal(string.Empty, output);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> NumericFlags()
    {
        var data = new TheoryData<string, string>();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(TextWriter.Null) });
        foreach (var command in CliApp.Create(new CliContext(console, TextWriter.Null)).Subcommands)
        {
            foreach (var option in command.Options.Where(o => (Nullable.GetUnderlyingType(o.ValueType) ?? o.ValueType).IsPrimitive && o.ValueType != typeof(bool)))
            {
                data.Add(command.Name, option.Name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(NumericFlags))]
    public void Parse_NotANumberForEveryNumericFlag_Exit2OneLineNamingTheFlag(string command, string flag)
    {
        string[] required = command switch
        {
            "init" => ["--name", "zeros", "--shape", "2", "--out", "unused.npy"],
            "diagnose" => ["--layers", "2,2"],
            _ => [],
        };
        var (code, _, error) = CliRunner.Run([command, .. required, flag, "x"]);
        Assert.Equal(2, code);
        Assert.StartsWith($"error: {flag}: expected ", error, StringComparison.Ordinal);
        Assert.EndsWith(", got 'x'.", error.Split('\n')[0].TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownOptionWithNothingClose_PointsToHelp()
    {
        var (code, _, error) = CliRunner.Run("inits", "--zzzzzz");
        Assert.Equal(2, code);
        Assert.StartsWith("error: '--zzzzzz' is not an option of inits; the options are listed by `initlab inits --help`.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HelpWithOtherwiseBadArguments_ShowsHelp()
    {
        var (code, output, error) = CliRunner.Run("init", "--help");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.StartsWith("Usage: initlab init [options]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoArguments_ShowsRootHelp()
    {
        var (code, output, _) = CliRunner.Run();
        Assert.Equal(0, code);
        Assert.StartsWith("Usage: initlab <command> [options]", output, StringComparison.Ordinal);
        Assert.Contains("  train ", output, StringComparison.Ordinal);
    }
}
