namespace InitLab.Practicals.Papers;

/// <summary>The death rates of one width over depths 1..<see cref="BornDeadPractical.MaxDepth"/>.</summary>
/// <param name="Width">Units per layer.</param>
/// <param name="Nets">Nets drawn.</param>
/// <param name="AtOneInput">Fraction dead at x₀, per depth.</param>
/// <param name="OnDomain">Fraction dead on every grid point, per depth.</param>
/// <param name="PerSeedOnDomain">Per seed, the fraction dead on the domain at <see cref="BornDeadPractical.MaxDepth"/>.</param>
/// <param name="PerSeedAtOneInput">Per seed, the fraction dead at x₀ at <see cref="BornDeadPractical.MaxDepth"/>.</param>
public sealed record BornDeadRates(int Width, int Nets, double[] AtOneInput, double[] OnDomain, double[] PerSeedOnDomain, double[] PerSeedAtOneInput);
