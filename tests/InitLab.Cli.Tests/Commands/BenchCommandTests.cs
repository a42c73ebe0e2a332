namespace InitLab.Cli.Tests.Commands;

public class BenchCommandTests
{
    [Fact]
    public void Bench_Csv_PrintsThePeersLineFormat()
    {
        var (code, output, error) = CliRunner.Run("bench", "--workload", "W1", "--repeats", "2", "--gemm", "none", "--csv");
        Assert.True(code == 0, error);
        string[] lines = output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.All(lines, line =>
        {
            string[] fields = line.Trim().Split(',');
            Assert.Equal(7, fields.Length);
            Assert.Equal("initlab", fields[0]);
            Assert.Equal("W1", fields[1]);
            Assert.True(double.Parse(fields[4], System.Globalization.CultureInfo.InvariantCulture) > 0);
        });
    }

    [Fact]
    public void Bench_UnknownWorkload_ListsTheValidOnes()
    {
        var (code, _, error) = CliRunner.Run("bench", "--workload", "W6");
        Assert.Equal(2, code);
        Assert.Contains("Unknown workload 'W6'", error, StringComparison.Ordinal);
        Assert.Contains("C1, R1, W1, W2, W3, W4, W5", error, StringComparison.Ordinal);
    }
}
