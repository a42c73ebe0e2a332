using InitLab.Tests.TestUtilities;

namespace InitLab.Cli.Tests.Commands;

/// <summary>Issue 9 §2: "a full disk truncated an existing good r.json to 4096 bytes" — now it stays whole.</summary>
public class FullDiskOutputTests
{
    [SmallDiskFact]
    public void Train_JsonOnAFullDisk_PreviousReportIntactAndNoTemporaryFile()
    {
        using var disk = SmallDisk.Mount("1m");
        string report = disk.File("r.json");
        var (code, _, error) = CliRunner.Run("train", "--epochs", "2", "--json", report);
        Assert.True(code == 0, error);
        byte[] good = File.ReadAllBytes(report);
        // Fill what is left of the 1 MiB, so the next report cannot be written.
        using (var filler = File.Create(disk.File("filler")))
        {
            var block = new byte[4096];
            try
            {
                while (true)
                {
                    filler.Write(block);
                    filler.Flush();
                }
            }
            catch (IOException)
            {
                // ENOSPC: the disk is full.
            }
        }
        string output;
        try
        {
            // 40 epochs of history make a larger report than the 2-epoch one it would replace (the case:
            // written in place, the old file was freed, the new one cut off at the full disk).
            (code, output, error) = CliRunner.Run("train", "--epochs", "40", "--json", report);
        }
        catch (IOException ex)
        {
            // Without the CLI's top-level handler the error surfaces here; with it, as one line on stderr.
            (code, output, error) = (1, string.Empty, ex.Message);
        }
        Assert.NotEqual(0, code);
        Assert.Contains($"Could not write '{report}': No space left on device; the previous file is unchanged", error, StringComparison.Ordinal);
        Assert.Equal(good, File.ReadAllBytes(report));
        Assert.Equal(["filler", "r.json"], Directory.GetFiles(disk.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
