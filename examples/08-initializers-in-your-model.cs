#:project ../src/InitLab/InitLab.csproj
// Use InitLab initializers in your own model.
//
// Every initializer is an IInitializer: Fill(weights, shape, fans, rng). The fans come from your layer — you know its
// fan_in and fan_out, so nothing is guessed from a shape — and the randomness is an explicit, seeded Rng, so the same
// seed gives the same weights, bit for bit, on any machine and thread count. Names resolve as each framework means
// them: Keras's he_normal is a truncated normal, PyTorch's kaiming_normal is not; both have variance 2 / fan_in.
//
// Run: dotnet run examples/08-initializers-in-your-model.cs      (exits 1 if a check fails)
using InitLab.Activations;
using InitLab.Data;
using InitLab.Initializers;
using InitLab.Layers;
using InitLab.Losses;
using InitLab.Optimizers;
using InitLab.Random;
using InitLab.Training;

bool holds = true;

// 1. Fill your own array: a 784 → 256 kernel, Keras layout (rows = inputs).
const int FanIn = 784, FanOut = 256;
var fans = new Fans(FanIn, FanOut);
int[] shape = [FanIn, FanOut];
foreach (string name in (string[])["he_normal", "kaiming_normal", "he_uniform", "glorot_uniform"])
{
    IInitializer init = InitializerRegistry.Resolve(name);
    float[] weights = new float[FanIn * FanOut];
    init.Fill(weights, shape, fans, new Rng(42));
    double variance = weights.Sum(w => (double)w * w) / weights.Length;          // the mean is 0 by construction
    double expected = name.StartsWith("glorot", StringComparison.Ordinal) ? 2.0 / (FanIn + FanOut) : 2.0 / FanIn;
    // The sample variance of n draws has a standard error of at most σ²·√(2/n) for these (normal or lighter-tailed)
    // distributions; allow 5 of them.
    double tolerance = 5 * expected * Math.Sqrt(2.0 / weights.Length);
    double widest = weights.Max(w => Math.Abs((double)w)) / Math.Sqrt(expected);
    bool ok = Math.Abs(variance - expected) <= tolerance;
    Console.WriteLine($"{name,-15} variance {variance:G5} (expected {expected:G5} ± {tolerance:G2}) {(ok ? "ok" : "WRONG")}; largest |w| = {widest:F2} σ");
    holds &= ok;
    // Keras cuts he_normal at 2 stddevs of a normal whose std is then divided by 0.87962566 (the truncated normal's
    // std), so no weight lies beyond 2 / 0.8796 = 2.274 σ; the untruncated max of 200 704 normals is about 4.5 σ.
    if (name == "he_normal") holds &= widest <= 2.2737;
    if (name == "kaiming_normal") holds &= widest > 4.0;

    float[] again = new float[weights.Length];
    init.Fill(again, shape, fans, new Rng(42));
    holds &= again.AsSpan().SequenceEqual(weights);
}

// Keras truncates he_normal at 2σ (before its std correction); PyTorch's kaiming_normal has the normal's full tails.
Console.WriteLine("he_normal stays within 2.274σ (truncated), kaiming_normal reaches past 4σ on 200 704 draws.");

// 2. The same objects go straight into a layer: an initializer instance, or any framework's name.
var (train, test) = SyntheticData.Moons(1000, noise: 0.1, seed: 1).Split(0.2, seed: 1);
var model = new Sequential(2,
[
    new Dense(32, "relu", "kaiming_normal"),                                       // a PyTorch name
    new Dense(32, ActivationRegistry.Resolve("relu"), VarianceScaling.HeNormal()),  // a C# preset
    new Dense(1, "sigmoid"),                                                     // glorot_uniform, the Keras default
], seed: 7);
model.Compile(new BinaryCrossEntropy(), new Adam());
model.Fit(train.Features, train.TargetsFor(model.Loss!, 1), new FitOptions { Epochs = 50, BatchSize = 32 });
Evaluation result = model.Evaluate(test.Features, test.TargetsFor(model.Loss!, 1));
// 0.95 floor: a linear boundary reaches only ~0.87 on these moons; passing means the ReLU net learned the curve.
Console.WriteLine($"moons 2-32-32-1, kaiming_normal + he_normal: test accuracy {result.Accuracy:P1}");
holds &= result.Accuracy >= 0.95;

Console.WriteLine(holds ? "All checks hold." : "A check FAILED — see above.");
return holds ? 0 : 1;
