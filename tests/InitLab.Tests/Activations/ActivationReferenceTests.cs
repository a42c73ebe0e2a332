using InitLab.Activations;

namespace InitLab.Tests.Activations;

/// <summary>
/// Forward values against an independent table: computed once in Python 3 double precision with the standard library's
/// math module (expm1, erf, tanh, log1p, exp), from the textbook definitions — elu = α·expm1(z), selu = λ·z or
/// λα·expm1(z) with the constants of Klambauer et al. 2017 (λ = 1.0507009873554805, α = 1.6732632423543772), exact
/// gelu = z/2·erfc(−z/√2) (the erfc form: 1 + erf(z/√2) cancels for z ≪ 0), sigmoid = 1/(1 + e⁻ᶻ), softplus = max(z, 0) + log1p(e^−|z|) — never with the code under
/// test. This namespace is rerun by scripts/test.sh at every lower instruction-set level, so every vector path and its
/// scalar tail is held to the same table.
/// </summary>
public class ActivationReferenceTests
{
    /// <summary>name → (z, φ(z)).</summary>
    private static readonly Dictionary<string, (double Z, double A)[]> Table = new()
    {
        ["linear"] = [(-3.5, -3.5), (2.25, 2.25)],
        ["relu"] = [(-2.0, 0.0), (0.0, 0.0), (0.5, 0.5), (3.0, 3.0)],
        ["leaky_relu(0.2)"] = [(-2.0, -0.4), (-0.5, -0.1), (3.0, 3.0)],
        ["leaky_relu(0.01)"] = [(-100.0, -1.0), (7.0, 7.0)],
        ["elu(1)"] = [(-1.0, -0.6321205588285577), (-0.5, -0.3934693402873666), (-5.0, -0.9932620530009145), (-20.0, -0.9999999979388464), (2.0, 2.0)],
        ["elu(0.5)"] = [(-1.0, -0.31606027941427883), (-3.0, -0.475106465816068), (1.5, 1.5)],
        ["selu"] = [(-1.0, -1.1113307378125625), (-0.5, -0.6917581878028713), (-3.0, -1.6705687287671118), (1.0, 1.0507009873554805), (2.0, 2.101401974710961)],
        ["gelu"] = [(1.0, 0.8413447460685429), (-1.0, -0.15865525393145707), (0.5, 0.34573123063700656), (-0.5, -0.15426876936299344), (2.0, 1.9544997361036416), (-3.0, -0.004049694094890287), (-5.0, -1.4332578593959731e-06), (0.0, 0.0), (-6.5, -2.6104003795084313e-10), (-10.0, -7.619853024160593e-23)],
        ["sigmoid"] = [(0.0, 0.5), (30.0, 0.9999999999999065), (-30.0, 9.3576229688393e-14), (2.0, 0.8807970779778823), (-2.0, 0.11920292202211755), (1.0, 0.7310585786300049)],
        ["tanh"] = [(20.0, 1.0), (-20.0, -1.0), (0.0, 0.0), (0.5, 0.46211715726000974), (-1.0, -0.7615941559557649), (3.0, 0.9950547536867305)],
        ["softplus"] = [(0.0, 0.6931471805599453), (1.0, 1.3132616875182228), (-1.0, 0.31326168751822286), (20.0, 20.000000002061153), (-20.0, 2.061153620314381e-09), (5.0, 5.006715348489118)],
    };

    public static TheoryData<string> Names() => [.. Table.Keys];

    [Fact]
    public void Table_CoversEveryRegisteredActivationButSoftmax() =>
        Assert.Equal(ActivationRegistry.Names.Where(n => n != "softmax").Order(), Table.Keys.Select(k => k.Split('(')[0]).Distinct().Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void ForwardFloat_MatchesReferenceTable_OnEveryLaneAndTheTail(string name)
    {
        Activation activation = ActivationRegistry.Resolve(name);
        (double Z, double A)[] points = Table[name];
        // 3·16 + 1 elements: with 4, 8 or 16 float lanes every point lands in vector bodies and in the scalar tail.
        const int length = 3 * 16 + 1;
        float[] z = [.. Enumerable.Range(0, length).Select(i => (float)points[i % points.Length].Z)];
        var a = new float[length + 2];
        a[0] = float.NaN;
        a[^1] = float.NaN;
        activation.Forward<float>(z, a.AsSpan(1, length), 1);
        Assert.True(float.IsNaN(a[0]) && float.IsNaN(a[^1]), "wrote outside the destination");
        for (int i = 0; i < length; i++)
        {
            double expected = points[i % points.Length].A;
            // Every z in the table is a float exactly. Float formulas are a handful of operations each within an ulp (exp,
            // one subtraction that is exact by Sterbenz or loses at most e^z/|e^z − 1| ≤ 1.6 ulps for the table's |z| ≥ 0.5,
            // a multiplication), plus rounding the reference to float: 4 ulps of the reference covers them; a wrong
            // constant (SELU's λ = 1 is 5 %) is millions of ulps away.
            double ulp = MathF.BitIncrement((float)Math.Abs(expected)) - (float)Math.Abs(expected);
            Assert.True(Math.Abs(a[i + 1] - expected) <= 4 * ulp, $"{name}({z[i]}) = {a[i + 1]:R}, reference {expected:R} (±{4 * ulp:G3})");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ForwardDouble_MatchesReferenceTable(string name)
    {
        Activation activation = ActivationRegistry.Resolve(name);
        (double Z, double A)[] points = Table[name];
        const int length = 3 * 8 + 1;
        double[] z = [.. Enumerable.Range(0, length).Select(i => points[i % points.Length].Z)];
        var a = new double[length];
        activation.Forward<double>(z, a, 1);
        for (int i = 0; i < length; i++)
        {
            double expected = points[i % points.Length].A;
            // Relative 1e-12: the double formulas are within a few ulps (2.2e-16 each) except gelu, whose Φ(z) is good
            // to ~1e-13 relative (see NormalCdf_MatchesReferenceValues); tiny references such as sigmoid(−30) stay relative.
            Assert.True(Math.Abs(a[i] - expected) <= 1e-12 * Math.Abs(expected), $"{name}({z[i]}) = {a[i]:R}, reference {expected:R}");
            Assert.True(Math.Abs(activation.Apply(z[i]) - expected) <= 1e-12 * Math.Abs(expected), $"{name}.Apply({z[i]})");
        }
    }
}
