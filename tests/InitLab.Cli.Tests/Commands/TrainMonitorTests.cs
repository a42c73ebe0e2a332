using System.Diagnostics;
using System.Text.Json;
using InitLab.Tests.TestUtilities;

namespace InitLab.Cli.Tests.Commands;

/// <summary>Issue 14 §5: <c>train --monitor DIR [--monitor-every K]</c>.</summary>
public class TrainMonitorTests
{
    // moons, 1000 rows, test fraction 0.2: 800 training rows in batches of 32 = 25 steps per epoch.
    private static (string Folder, string Error) Train(TempDirectory dir, int epochs, int every)
    {
        string folder = dir.File("monitor");
        var (code, _, error) = CliRunner.Run("train", "--data", "moons", "--layers", "2,16,16,1", "--activation", "relu", "--init", "he_normal",
            "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--monitor", folder,
            "--monitor-every", every.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(code == 0, error);
        return (folder, error);
    }

    [Fact]
    public void TrainMonitor_Every25_RecordsSteps0_25_50_InCsvAndJson()
    {
        using var dir = new TempDirectory();
        (string folder, _) = Train(dir, epochs: 3, every: 25); // steps 0..74

        string[] csv = File.ReadAllLines(Path.Combine(folder, "monitor.csv"));
        Assert.StartsWith("step,epoch,loss,layer,activation,", csv[0], StringComparison.Ordinal);
        Assert.Equal(1 + 3 * 3, csv.Length); // 3 records × 3 layers
        Assert.Equal(["0", "25", "50"], csv.Skip(1).Select(l => l.Split(',')[0]).Distinct());

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "monitor.json")));
        var samples = json.RootElement.GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal([0L, 25, 50], samples.Select(s => s.GetProperty("step").GetInt64()));
        var histogram = samples[0].GetProperty("layers")[0].GetProperty("histogram");
        Assert.Equal(40, histogram.GetProperty("counts").GetArrayLength());
        // Binary cross-entropy: C = 2, expected ln 2.
        Assert.Equal(Math.Log(2), json.RootElement.GetProperty("initial_loss").GetProperty("expected").GetDouble(), 12);
        Assert.True(File.Exists(Path.Combine(folder, "dashboard.html")));
    }

    [Fact]
    public void TrainMonitor_FolderWithOtherFiles_IsRefusedBeforeTraining()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("busy");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        var (code, _, error) = CliRunner.Run("train", "--data", "moons", "--epochs", "1", "--monitor", folder);
        Assert.NotEqual(0, code);
        Assert.Contains("--monitor", error, StringComparison.Ordinal);
        Assert.Contains("notes.txt", error, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "notes.txt")));
    }

    [ChromiumFact]
    public void Dashboard_InChromium_EveryFigureDecodes_NothingOverflows()
    {
        using var dir = new TempDirectory();
        (string folder, _) = Train(dir, epochs: 3, every: 10);
        // relu hidden layers + sigmoid output: activation std, saturation, dead units, grad:data, update:data, 3 histograms.
        const int Figures = 8;
        string report = Path.Combine(folder, "dashboard.html");
        var start = new ProcessStartInfo("bash", [RepositoryRoot.Combine("scripts", "check-report.sh"), report, Path.Combine(dir.Path, "shot")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["WIDTHS"] = "1280 800";
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output + process.StandardError.ReadToEnd());
        foreach (string width in new[] { "1280", "800" })
        {
            Assert.Contains($"width {width}: figures decoded {Figures}/{Figures}; elements past the right edge: 0", output, StringComparison.Ordinal);
        }
    }
}
