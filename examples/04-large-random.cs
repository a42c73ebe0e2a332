#:project ../src/InitLab/InitLab.csproj
// Practical 4 — large random weights.
//
// Now the opposite: weights drawn from U(0, 1), far too large for 64 inputs per unit. Pre-activations grow layer after
// layer. tanh and sigmoid run into their flat tails ("saturated": the slope is ~0, so learning crawls); ReLU has no
// ceiling, so its signals and gradients grow by decades per layer ("exploding gradients", often NaN in training).
//
// Run: dotnet run examples/04-large-random.cs      (exits 1 if what it shows does not hold)
using InitLab.Diagnostics;
using InitLab.Practicals;

var runner = new PracticalRunner(new PracticalOptions { Seeds = 1, Quick = true });
bool holds = true;
foreach (string name in (string[])["large-random"])
{
    foreach (PracticalCase practical in PracticalCatalog.Variants(name, quick: true))
    {
        PracticalResult result = runner.Run(practical);
        SeedRun run = result.Runs[0];
        Console.WriteLine($"## {practical.Id} ({practical.KernelInitializer}, {practical.Activation}, {practical.HiddenLayers} hidden layers of {practical.Width})");
        Console.WriteLine($"   {practical.Claim}");
        // The figure: activation std and gradient norm per layer at initialization, as log10 bars (the report's plot in text).
        Console.WriteLine("   layer   activation std (log10 bar)            gradient norm (log10 bar)");
        foreach (LayerSnapshot layer in run.AtInit.Hidden)
        {
            Console.WriteLine($"   {layer.Layer,-7} {Bar(layer.ActivationStd)} {layer.ActivationStd,9:G3}   {Bar(layer.GradientNorm)} {layer.GradientNorm,9:G3}");
        }
        Console.WriteLine($"   loss, first → last epoch: {run.LossHistory[0]:G4} → {run.LossHistory[^1]:G4}; test accuracy {run.TestAccuracy:P1}");
        Console.WriteLine($"   expected {practical.Expected}, observed {result.Observed}: {run.Reason}");
        Console.WriteLine();
        holds &= result.Matches;
    }
}

Console.WriteLine(holds ? "Verdict holds: too-large weights saturate tanh/sigmoid and explode ReLU." : "Verdict does NOT hold on this run — see the observed verdicts above.");
return holds ? 0 : 1;

// A bar from 1e-24 (empty) to 1e+6 (full), one character per 1.5 decades; "0" and "NaN" spelled out.
static string Bar(double value)
{
    if (double.IsNaN(value) || double.IsInfinity(value)) return "NaN/∞".PadRight(20);
    if (value <= 0) return "0".PadRight(20);
    int length = (int)Math.Clamp(Math.Round((Math.Log10(value) + 24) / 1.5), 0, 20);
    return new string('#', length).PadRight(20, '.');
}
