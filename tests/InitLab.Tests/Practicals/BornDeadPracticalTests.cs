using InitLab.Practicals.Papers;

namespace InitLab.Tests.Practicals;

/// <summary>The born-dead practical (Lu et al. 2020) against probabilities worked out by hand.</summary>
public class BornDeadPracticalTests
{
    [Fact]
    public void DeadAtOneInput_HandWorkedValues()
    {
        // One unit, one layer: z = w·x₀ is ≤ 0 with probability ½. Two units, two layers: a layer lives with probability
        // 1 − ¼, so P(dead) = 1 − (¾)² = 7/16.
        Assert.Equal(0.5, BornDeadPractical.DeadAtOneInput(1, 1), 15);
        Assert.Equal(7.0 / 16, BornDeadPractical.DeadAtOneInput(2, 2), 15);
        Assert.Equal(1 - Math.Pow(63.0 / 64, 32), BornDeadPractical.DeadAtOneInput(6, 32), 15);
    }

    [Fact]
    public void WidthOneDeadOnDomain_HandWorkedValues()
    {
        // Layer 1 lives on a symmetric domain (w·x > 0 for x or −x); each later layer dies when its weight is < 0.
        Assert.Equal(0, BornDeadPractical.WidthOneDeadOnDomain(1), 15);
        Assert.Equal(0.75, BornDeadPractical.WidthOneDeadOnDomain(3), 15);
    }

    [Fact]
    public void Measure_WidthOne_OnDomainMatchesOneMinusTwoToTheOneMinusL()
    {
        const int Nets = 400;
        BornDeadRates rates = BornDeadPractical.Measure(1, seeds: 2, netsPerSeed: Nets / 2);
        Assert.Equal(0, rates.OnDomain[0]); // depth 1: never dead on [−1, 1]²
        for (int depth = 2; depth <= 5; depth++)
        {
            double p = 1 - Math.Pow(2, 1 - depth);
            double se = Math.Sqrt(p * (1 - p) / Nets);
            Assert.InRange(rates.OnDomain[depth - 1], p - 4 * se, p + 4 * se);
        }
    }

    [Fact]
    public void Measure_WidthThree_AtOneInputMatchesFormula_AndDomainBelowIt()
    {
        const int Nets = 400;
        BornDeadRates rates = BornDeadPractical.Measure(3, seeds: 2, netsPerSeed: Nets / 2);
        for (int depth = 1; depth <= 16; depth *= 2)
        {
            double p = 1 - Math.Pow(7.0 / 8, depth);
            double se = Math.Sqrt(p * (1 - p) / Nets);
            Assert.InRange(rates.AtOneInput[depth - 1], p - 4 * se, p + 4 * se);
        }
        // Dead everywhere implies dead at x₀ (a grid point), net by net: the fractions are ordered exactly.
        Assert.All(Enumerable.Range(0, BornDeadPractical.MaxDepth), l => Assert.True(rates.OnDomain[l] <= rates.AtOneInput[l]));
    }

    [Theory]
    [InlineData(0.5, 10, 0, true)] // P(X = 0) = 2⁻¹⁰ ≈ 9.8e-4 > α/2 = 3.2e-5
    [InlineData(0.5, 20, 0, false)] // 2⁻²⁰ ≈ 9.5e-7 < α/2
    [InlineData(0.5, 400, 200 + 40, true)] // 4 SE = 40 nets: at the edge (normal rule), inside by the exact tail
    [InlineData(0.5, 400, 200 + 50, false)] // 5 SE
    public void AgreesWithBinomial_HandWorkedCases(double p, int n, int count, bool expected) =>
        Assert.Equal(expected, BornDeadPractical.AgreesWithBinomial((double)count / n, n, p));

    [Fact]
    public void AgreesWithBinomial_OneSurvivorNearCertainDeath_IsNotRejected()
    {
        // p = 1 − 2⁻¹⁴, n = 150: one surviving net has probability ≈ 150·2⁻¹⁴ ≈ 0.9% — not rare — though it lies
        // 1/150 ≈ 10 "SE" (√(p(1 − p)/n) ≈ 6.4e-4) from p. With λ = 150·2⁻¹⁴: two or more survivors ≈ λ²/2 ≈ 4.2e-5, still
        // above α/2 = 3.2e-5; three or more ≈ λ³/6 ≈ 1.3e-7, rejected.
        double p = 1 - Math.Pow(2, -14);
        Assert.True(BornDeadPractical.AgreesWithBinomial(149.0 / 150, 150, p));
        Assert.True(BornDeadPractical.AgreesWithBinomial(148.0 / 150, 150, p));
        Assert.False(BornDeadPractical.AgreesWithBinomial(147.0 / 150, 150, p));
        Assert.True(BornDeadPractical.AgreesWithBinomial(1, 150, 1));
        Assert.False(BornDeadPractical.AgreesWithBinomial(149.0 / 150, 150, 1));
    }

    [Fact]
    public void Run_Quick_EveryClaimHolds_WiderIsLessOftenDead_Deterministic()
    {
        var checks = BornDeadPractical.Run(seeds: 1, quick: true);
        Assert.Equal(2 * BornDeadPractical.Widths.Count + 1, checks.Count);
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Id}: predicted {c.Predicted}, measured {c.Measured}"));
        double narrow = checks.Single(c => c.Variant == "width 2 on the domain").Measured;
        double wide = checks.Single(c => c.Variant == "width 6 on the domain").Measured;
        Assert.True(narrow > wide + 0.3, $"width 2: {narrow}, width 6: {wide}");
        Assert.Equal(checks.Select(c => c.Measured), BornDeadPractical.Run(seeds: 1, quick: true).Select(c => c.Measured));
    }
}
