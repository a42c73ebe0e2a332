#:project ../src/InitLab/InitLab.csproj
// Practical 1 — zero initialization.
//
// Start every weight and bias at 0 and watch what happens. With ReLU or tanh, φ(0) = 0: every hidden activation is 0,
// so every gradient that reaches a hidden weight is multiplied by 0 and nothing ever moves ("no_training"). With a
// sigmoid, σ(0) = 0.5 is not 0, gradients do flow — but every hidden unit computes the same thing and receives the same
// update, so a layer of 1000 units behaves as one unit for ever ("symmetric").
//
// Run: dotnet run examples/01-zero-init.cs      (exits 1 if what it shows does not hold)
using InitLab.Practicals;

var runner = new PracticalRunner(new PracticalOptions { Seeds = 1, Quick = true });
bool holds = true;
foreach (string name in (string[])["zero-relu", "zero-tanh", "zero-sigmoid"])
{
    foreach (PracticalCase practical in PracticalCatalog.Variants(name, quick: true))
    {
        PracticalResult result = runner.Run(practical);
        SeedRun run = result.Runs[0];
        Console.WriteLine($"## {practical.Id}: {practical.Claim}");
        Console.WriteLine($"   hidden weights unchanged after training: {run.HiddenWeightsUnchanged}; " +
                          $"distinct hidden units: [{string.Join(", ", run.DistinctHiddenUnits)}] of {practical.Width}");
        Console.WriteLine($"   loss, first → last epoch: {run.LossHistory[0]:F4} → {run.LossHistory[^1]:F4}; test accuracy {run.TestAccuracy:P1}");
        Console.WriteLine($"   expected {practical.Expected}, observed {result.Observed}: {run.Reason}");
        Console.WriteLine();
        holds &= result.Matches;
    }
}

Console.WriteLine(holds
    ? "Verdict holds: zero weights never train (ReLU/tanh) or never break symmetry (sigmoid). Initialize randomly."
    : "Verdict does NOT hold on this run — see the observed verdicts above.");
return holds ? 0 : 1;
