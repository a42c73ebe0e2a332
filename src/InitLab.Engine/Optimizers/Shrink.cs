namespace InitLab.Optimizers;

/// <summary>What Optimizer.Step asks an update to fold into its pass over a kernel: coupled L2 (g ← w·<see cref="L2"/> + g)
/// and/or decoupled weight decay (w ← w·<see cref="DecayFactor"/>). The default value does neither.</summary>
/// <param name="Coupled">Whether the L2 term is added.</param>
/// <param name="L2">λ₂ of the L2 term.</param>
/// <param name="Decoupled">Whether the weights are shrunk first.</param>
/// <param name="DecayFactor">1 − lr·λ, rounded once.</param>
internal readonly record struct Shrink(bool Coupled, float L2, bool Decoupled, float DecayFactor)
{
    /// <summary>Whether there is anything to fold in.</summary>
    public bool IsActive => Coupled || Decoupled;
}
