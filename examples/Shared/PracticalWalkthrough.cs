using System.Globalization;
using InitLab.Diagnostics;
using InitLab.Practicals;

namespace InitLab.Examples;

/// <summary>Runs practicals (one seed, quick) and prints, per case, the claim, the per-layer activation std and gradient
/// norm at initialization as log-scale bars (the report's figure in text), the loss, and the verdict.</summary>
public static class PracticalWalkthrough
{
    /// <summary>Runs the named practicals and prints them.</summary>
    /// <param name="names">Practical names (see <c>initlab practicals --list</c>).</param>
    /// <param name="holdsLine">The line printed when every observed verdict is the expected one.</param>
    /// <returns>The exit code: 0 when the verdicts hold, 1 otherwise.</returns>
    public static int Run(IEnumerable<string> names, string holdsLine)
    {
        ArgumentNullException.ThrowIfNull(names);
        var runner = new PracticalRunner(new PracticalOptions { Seeds = 1, Quick = true });
        bool holds = true;
        foreach (string name in names)
        {
            foreach (PracticalCase practical in PracticalCatalog.Variants(name, quick: true))
            {
                PracticalResult result = runner.Run(practical);
                SeedRun run = result.Runs[0];
                Write($"## {practical.Id} ({practical.KernelInitializer}, {practical.Activation}, {practical.HiddenLayers} hidden layers of {practical.Width})");
                Write($"   {practical.Claim}");
                Write("   layer   activation std (log10 bar)            gradient norm (log10 bar)");
                foreach (LayerSnapshot layer in run.AtInit.Hidden)
                {
                    Write($"   {layer.Layer,-7} {Bar(layer.ActivationStd)} {layer.ActivationStd,9:G3}   {Bar(layer.GradientNorm)} {layer.GradientNorm,9:G3}");
                }
                Write($"   loss, first → last epoch: {run.LossHistory[0]:G4} → {run.LossHistory[^1]:G4}; test accuracy {run.TestAccuracy:P1}");
                Write($"   expected {practical.Expected}, observed {result.Observed}: {run.Reason}");
                Console.WriteLine();
                holds &= result.Matches;
            }
        }
        Console.WriteLine(holds ? holdsLine : "Verdict does NOT hold on this run — see the observed verdicts above.");
        return holds ? 0 : 1;
    }

    /// <summary>A bar from 1e-24 (empty) to 1e+6 (full), one character per 1.5 decades; "0" and "NaN" spelled out.</summary>
    /// <param name="value">A positive statistic.</param>
    /// <returns>20 characters.</returns>
    public static string Bar(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return "NaN/∞".PadRight(20);
        }
        if (value <= 0)
        {
            return "0".PadRight(20);
        }
        int length = (int)Math.Clamp(Math.Round((Math.Log10(value) + 24) / 1.5), 0, 20);
        return new string('#', length).PadRight(20, '.');
    }

    private static void Write(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    private static void Write(string line) => Console.WriteLine(line);
}
