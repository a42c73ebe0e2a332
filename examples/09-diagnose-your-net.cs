#:project ../src/InitLab/InitLab.csproj
// Diagnose your net before you train it.
//
// One forward and backward pass on a batch is enough to see most initialization problems: Diagnosis.Run measures
// each layer's signal (E[z²], activation std), dead and saturated units and gradient norm, sets them beside the
// mean-field prediction, gives the verdict the practicals use, and says what to change. Here: a deep ReLU net with
// Glorot (the Keras default) — its signal halves in variance per layer — then the same net with He.
//
// Run: dotnet run examples/09-diagnose-your-net.cs      (exits 1 if the verdicts are not the expected ones)
using InitLab.Diagnostics;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

const int Inputs = 64, Width = 64, Depth = 30, Rows = 256;
var rng = new Rng(3);
var x = new Tensor(Rows, Inputs);
for (int i = 0; i < x.Data.Length; i++) x.Data[i] = (float)rng.NextNormal();
var y = new Tensor(Rows, 1);
for (int i = 0; i < Rows; i++) y.Data[i] = i % 2;

bool holds = true;
foreach ((string init, Verdict expected) in (ReadOnlySpan<(string, Verdict)>)[("glorot_uniform", Verdict.VanishingGradients), ("he_normal", Verdict.Healthy)])
{
    var layers = Enumerable.Range(0, Depth).Select(_ => new Dense(Width, "relu", init)).Append(new Dense(1, "sigmoid"));
    var model = new Sequential(Inputs, layers, seed: 1);
    model.Compile(new BinaryCrossEntropy(), new Sgd());
    Diagnosis diagnosis = Diagnosis.Run(model, x, y);

    Console.WriteLine($"## {Depth} ReLU layers of {Width}, {init}: {diagnosis.Verdict}");
    Console.WriteLine($"   {diagnosis.Reason}");
    Console.WriteLine("   layer      activation std   predicted E[z²]   measured E[z²]   gradient norm");
    for (int i = 0; i < diagnosis.Layers.Count; i += 5)
    {
        DiagnosedLayer layer = diagnosis.Layers[i];
        string predicted = layer.Predicted is { } p ? p.PreActivationMeanSquare.ToString("G3", System.Globalization.CultureInfo.InvariantCulture) : "-";
        Console.WriteLine($"   {layer.Measured.Layer,-10} {layer.Measured.ActivationStd,14:G3}   {predicted,15}   {layer.Measured.PreActivationMeanSquare,14:G3}   {layer.Measured.GradientNorm,13:G3}");
    }
    foreach (string warning in diagnosis.Warnings) Console.WriteLine($"   warning: {warning}");
    Console.WriteLine($"   advice: {diagnosis.Advice.Text}");
    Console.WriteLine();
    holds &= diagnosis.Verdict == expected;
}

Console.WriteLine(holds
    ? "Verdict holds: Glorot's ReLU signal vanishes over 30 layers and the diagnosis says so before any training; He is healthy."
    : "Verdict does NOT hold — see above.");
return holds ? 0 : 1;
