#:project ../src/InitLab/InitLab.csproj
// Practical 2 — constant initialization.
//
// Every weight and bias 0.5: unlike zeros, signals and gradients are not 0, so the weights do move. But every unit in
// a layer starts identical, sees the same inputs and gets the same gradient, so they stay identical for ever: the
// layer is one unit repeated ("symmetric"), and the network cannot learn the curved boundary of the circles data.
// Random initialization exists to break this symmetry.
//
// Run: dotnet run examples/02-constant-init.cs      (exits 1 if what it shows does not hold)
using InitLab.Diagnostics;
using InitLab.Practicals;

var runner = new PracticalRunner(new PracticalOptions { Seeds = 1, Quick = true });
bool holds = true;
foreach (string name in (string[])["constant"])
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

Console.WriteLine(holds ? "Verdict holds: constant weights keep every unit identical; randomness is what breaks the symmetry." : "Verdict does NOT hold on this run — see the observed verdicts above.");
return holds ? 0 : 1;

// A bar from 1e-24 (empty) to 1e+6 (full), one character per 1.5 decades; "0" and "NaN" spelled out.
static string Bar(double value)
{
    if (double.IsNaN(value) || double.IsInfinity(value)) return "NaN/∞".PadRight(20);
    if (value <= 0) return "0".PadRight(20);
    int length = (int)Math.Clamp(Math.Round((Math.Log10(value) + 24) / 1.5), 0, 20);
    return new string('#', length).PadRight(20, '.');
}
