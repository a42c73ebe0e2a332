#:project ../src/InitLab/InitLab.csproj
#:project Shared/InitLab.Examples.csproj
// Practical 2 — constant initialization.
//
// Every weight and bias 0.5: unlike zeros, signals and gradients are not 0, so the weights do move. But every unit in
// a layer starts identical, sees the same inputs and gets the same gradient, so they stay identical for ever: the
// layer is one unit repeated ("symmetric"), and the network cannot learn the curved boundary of the circles data.
// Random initialization exists to break this symmetry.
//
// Run: dotnet run examples/02-constant-init.cs      (exits 1 if what it shows does not hold)
using InitLab.Examples;

return PracticalWalkthrough.Run(["constant"],
    "Verdict holds: constant weights keep every unit identical; randomness is what breaks the symmetry.");
