#:project ../src/InitLab/InitLab.csproj
#:project Shared/InitLab.Examples.csproj
// Practical 4 — large random weights.
//
// Now the opposite: weights drawn from U(0, 1), far too large for 64 inputs per unit. Pre-activations grow layer after
// layer. tanh and sigmoid run into their flat tails ("saturated": the slope is ~0, so learning crawls); ReLU has no
// ceiling, so its signals and gradients grow by decades per layer ("exploding gradients", often NaN in training).
//
// Run: dotnet run examples/04-large-random.cs      (exits 1 if what it shows does not hold)
using InitLab.Examples;

return PracticalWalkthrough.Run(["large-random"],
    "Verdict holds: too-large weights saturate tanh/sigmoid and explode ReLU.");
