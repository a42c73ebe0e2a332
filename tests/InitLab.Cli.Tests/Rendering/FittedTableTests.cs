using System.Globalization;
using System.Text.Json;
using InitLab.Cli.Rendering;
using Spectre.Console;

namespace InitLab.Cli.Tests.Rendering;

public class FittedTableTests
{
    private static readonly string[] Numbers = ["0.0479", "1.487E-09", "100.00 %", "128", "0.664", "—"];

    [Theory]
    [InlineData(200, "╭")]
    [InlineData(110, "layer    units")]
    [InlineData(80, "  units 128 · ")]
    [InlineData(40, "  units 128 · ")]
    public void Write_AnyWidth_LinesFitAndNumbersStayWhole(int width, string layoutMark)
    {
        var table = new FittedTable().Text("layer").Numbers("units").Text("activation")
            .Numbers("E[z²]", "predicted E[z²]", "activation std", "predicted std", "loss", "accuracy");
        for (int i = 0; i < 3; i++)
        {
            // A long text cell makes the table shrink: only text may give way.
            table.AddRow($"dense_{i}", "128", i == 2 ? "softmax over the ten digit classes of the data set" : "relu", Numbers[4], Numbers[0], Numbers[1], Numbers[5], Numbers[1], Numbers[2]);
        }
        string text = Render(table, width);
        string[] lines = text.TrimEnd('\n').Split('\n');
        Assert.All(lines, l => Assert.True(l.TrimEnd().Length <= width, $"{l.TrimEnd().Length} > {width}: '{l}'"));
        foreach (string number in Numbers)
        {
            Assert.Contains(number, text, StringComparison.Ordinal);
        }
        Assert.Equal(3 * 2, lines.Sum(l => CountOf(l, "1.487E-09")));
        Assert.Equal(3, lines.Sum(l => CountOf(l, "100.00 %")));
        Assert.Contains(layoutMark, text, StringComparison.Ordinal);
    }

    [Fact]
    public void MinimumWidth_CountsWholeNumberColumnsAndLongestWordsOfText()
    {
        var table = new FittedTable().Text("name", "identifier").Numbers("predicted E[z²]");
        table.AddRow("a long_word", "kaiming_uniform_(nonlinearity='linear')", "1.5");
        // text: "long_word" (9), a longer word counts as 16 (it may fold); number: its header, 15; borders 3 per column + 1.
        Assert.Equal(9 + 16 + 15 + 10, table.MinimumWidth(compact: false));
        Assert.Equal(9 + 16 + 15 + 4, table.MinimumWidth(compact: true));
    }

    [Fact]
    public void Inits_80Columns_CompactAndShort_WideHasEveryColumn()
    {
        var (code, output, error) = CliRunner.RunWith(80, default, "inits");
        Assert.True(code == 0, error);
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length <= 120, $"{lines.Length} lines");
        Assert.All(lines, l => Assert.True(l.TrimEnd().Length <= 80, l));
        Assert.Contains("--wide", output, StringComparison.Ordinal);
        var (_, wide, _) = CliRunner.RunWith(180, default, "inits", "--wide");
        Assert.Contains("│ PyTorch", wide, StringComparison.Ordinal);
        Assert.All(wide.Split('\n'), l => Assert.True(l.TrimEnd().Length <= 180, l));
        Assert.Contains("kaiming_normal_", wide, StringComparison.Ordinal);
        Assert.DoesNotContain("kaiming_normal_", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(160)]
    public void Diagnose_AnyWidth_EveryMeasuredNumberAppearsWhole(int width)
    {
        using var dir = new TempDirectory();
        string json = dir.File("d.json");
        var (code, output, error) = CliRunner.RunWith(width, default, "diagnose", "--layers", "64,128,128,10", "--json", json);
        Assert.True(code == 0, error);
        Assert.All(output.Split('\n'), l => Assert.True(l.TrimEnd().Length <= width, l));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        foreach (JsonElement layer in doc.RootElement.GetProperty("layers").EnumerateArray())
        {
            foreach (string key in new[] { "pre_activation_mean_square", "activation_std", "gradient_norm" })
            {
                string shown = layer.GetProperty(key).GetDouble().ToString("G3", CultureInfo.InvariantCulture);
                Assert.Contains(shown, output, StringComparison.Ordinal);
            }
        }
    }

    private static int CountOf(string line, string value) => (line.Length - line.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;

    private static string Render(FittedTable table, int width)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        table.Write(console);
        return output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
