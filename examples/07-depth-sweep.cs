#:project ../src/InitLab/InitLab.csproj
#:project Shared/InitLab.Examples.csproj
// Practical 7 — depth sweep: Glorot vs He on deep ReLU nets.
//
// Glorot is right for tanh but not for ReLU: on square ReLU layers it halves the signal's variance per layer, so the
// activation std falls as 2^(−(L−1)/2). At 5 layers that is harmless; at 30 it is below 1/100 — vanishing — and the
// net stalls. He keeps the scale at any depth. Watch the left bars shrink for glorot_uniform@30 and stay for he_normal.
//
// Run: dotnet run examples/07-depth-sweep.cs      (exits 1 if what it shows does not hold)
using InitLab.Examples;

return PracticalWalkthrough.Run(["depth-sweep"],
    "Verdict holds: Glorot's signal vanishes in deep ReLU nets, He's does not.");
