#:project ../src/InitLab/InitLab.csproj
#:project Shared/InitLab.Examples.csproj
// Practical 6 — He/Kaiming initialization.
//
// ReLU zeroes half of its inputs, halving the signal's second moment at every layer. He et al. (2015) double the
// variance to compensate: Var(W) = 2 / fan_in (he_normal, truncated; he_uniform, U[±√(6/fan_in)]). The bars stay level
// and the ReLU net trains ("healthy").
//
// Run: dotnet run examples/06-he.cs      (exits 1 if what it shows does not hold)
using InitLab.Examples;

return PracticalWalkthrough.Run(["he"],
    "Verdict holds: He keeps ReLU signals stable and the net trains.");
