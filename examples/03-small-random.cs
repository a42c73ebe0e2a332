#:project ../src/InitLab/InitLab.csproj
#:project Shared/InitLab.Examples.csproj
// Practical 3 — small random weights.
//
// Random weights break the symmetry, but their scale matters. With tiny weights (about 0.0007) each layer multiplies
// the signal by a factor far below 1: after 10 layers the activations (left bars) have shrunk by many decades, and the
// gradients reaching the first layers (right bars) shrink the same way — "vanishing gradients": the early layers barely
// learn. tanh is the extreme case, since near 0 it is the identity and adds nothing back.
//
// Run: dotnet run examples/03-small-random.cs      (exits 1 if what it shows does not hold)
using InitLab.Examples;

return PracticalWalkthrough.Run(["small-random"],
    "Verdict holds: too-small weights make signals and gradients vanish with depth.");
