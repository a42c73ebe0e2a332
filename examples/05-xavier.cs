#:project ../src/InitLab/InitLab.csproj
#:project Shared/InitLab.Examples.csproj
// Practical 5 — Xavier/Glorot initialization.
//
// Glorot & Bengio (2010) chose the variance so a layer neither grows nor shrinks its signal forward or its gradient
// backward: Var(W) = 2 / (fan_in + fan_out) (glorot_normal, truncated; glorot_uniform, U[±√(6/(fan_in+fan_out))]).
// For tanh and sigmoid the bars stay level across layers and the net trains ("healthy").
//
// Run: dotnet run examples/05-xavier.cs      (exits 1 if what it shows does not hold)
using InitLab.Examples;

return PracticalWalkthrough.Run(["xavier"],
    "Verdict holds: Xavier/Glorot keeps tanh and sigmoid signals stable and the net trains.");
