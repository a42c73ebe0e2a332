#:project ../src/InitLab/InitLab.csproj
// Practical 7 — depth sweep: Glorot vs He on deep ReLU nets.
//
// Glorot is right for tanh but not for ReLU: on square ReLU layers it halves the signal's variance per layer, so the
// activation std falls as 2^(−(L−1)/2). At 5 layers that is harmless; at 30 it is below 1/100 — vanishing — and the
// net stalls. He keeps the scale at any depth. Watch the left bars shrink for glorot_uniform@30 and stay for he_normal.
//
// Run: dotnet run examples/07-depth-sweep.cs      (exits 1 if what it shows does not hold)
using InitLab.Diagnostics;
using InitLab.Practicals;

var runner = new PracticalRunner(new PracticalOptions { Seeds = 1, Quick = true });
bool holds = true;
foreach (string name in (string[])["depth-sweep"])
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

Console.WriteLine(holds ? "Verdict holds: Glorot's signal vanishes in deep ReLU nets, He's does not." : "Verdict does NOT hold on this run — see the observed verdicts above.");
return holds ? 0 : 1;

// A bar from 1e-24 (empty) to 1e+6 (full), one character per 1.5 decades; "0" and "NaN" spelled out.
static string Bar(double value)
{
    if (double.IsNaN(value) || double.IsInfinity(value)) return "NaN/∞".PadRight(20);
    if (value <= 0) return "0".PadRight(20);
    int length = (int)Math.Clamp(Math.Round((Math.Log10(value) + 24) / 1.5), 0, 20);
    return new string('#', length).PadRight(20, '.');
}
