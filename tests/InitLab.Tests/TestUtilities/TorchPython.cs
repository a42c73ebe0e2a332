using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace InitLab.Tests.TestUtilities;

/// <summary>
/// The PyTorch cross-checks' one way to reach python: find a python3 that imports torch, run a script in it, read its
/// answer, and compare float32 results. PyTorch is an independent source of expected values for the tests, never a
/// dependency of the product; where it is missing the <see cref="TorchFactAttribute"/> tests skip with
/// <see cref="SkipReason"/>.
/// </summary>
internal static class TorchPython
{
    /// <summary>Why a PyTorch cross-check did not run here, and how to make it run.</summary>
    public const string SkipReason = "no python3 with torch here (apt-get install -y python3-torch python3-numpy to run this cross-check)";

    private static readonly Lazy<string?> Found = new(FindPython);

    /// <summary>A python3 that imports torch, or null.</summary>
    public static string? Python => Found.Value;

    /// <summary>Runs <paramref name="script"/> with <paramref name="input"/> as JSON on stdin and returns the JSON it
    /// prints; fails the test with python's stderr if it exits non-zero or takes longer than
    /// <paramref name="timeoutMilliseconds"/>.</summary>
    public static JsonElement RunJson(string script, object input, int timeoutMilliseconds = 300_000)
    {
        var info = new ProcessStartInfo(Python!) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        process.StandardInput.Write(JsonSerializer.Serialize(input));
        process.StandardInput.Close();
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(timeoutMilliseconds), "python timed out");
        Assert.True(process.ExitCode == 0, $"python failed: {error.Result}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/> (sys.argv[1:]) and returns the
    /// whitespace-separated floats it prints; fails the test with python's stderr if it exits non-zero or takes longer
    /// than two minutes.</summary>
    public static float[] RunFloats(string script, params string[] arguments)
    {
        var info = new ProcessStartInfo(Python!) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000) && process.ExitCode == 0, error.Result);
        return [.. output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => float.Parse(v, CultureInfo.InvariantCulture))];
    }

    /// <summary>The numbers of the JSON array <paramref name="name"/> in <paramref name="root"/>.</summary>
    public static double[] Floats(JsonElement root, string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetDouble())];

    /// <summary>Every element of <paramref name="actual"/> within <paramref name="tolerance"/> × the largest |PyTorch
    /// value| (at least 1e-8) of <paramref name="expected"/>: float32 sums in different orders differ by rounding
    /// relative to the size of the result, not of each element.</summary>
    public static void AssertNear(double[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1e-8, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"{what}[{i}]: PyTorch {expected[i]}, ours {actual[i]}");
        }
    }

    /// <summary>Every element of PyTorch's <paramref name="torch"/> within 1e-5 × max(|ours|, 1) of
    /// <paramref name="ours"/>: two float32 implementations of the same network summing in different orders.</summary>
    public static void AssertElementsNear(float[] ours, float[] torch)
    {
        Assert.Equal(ours.Length, torch.Length);
        for (int i = 0; i < ours.Length; i++)
        {
            Assert.True(Math.Abs(ours[i] - torch[i]) <= 1e-5 * Math.Max(Math.Abs(ours[i]), 1), $"element {i}: initlab {ours[i]:R}, torch {torch[i]:R}");
        }
    }

    private static string? FindPython()
    {
        foreach (string candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                var info = new ProcessStartInfo(candidate) { RedirectStandardOutput = true, RedirectStandardError = true };
                info.ArgumentList.Add("-c");
                info.ArgumentList.Add("import torch");
                using var process = Process.Start(info)!;
                process.StandardError.ReadToEnd();
                if (process.WaitForExit(120_000) && process.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed under this name.
            }
        }
        return null;
    }
}
