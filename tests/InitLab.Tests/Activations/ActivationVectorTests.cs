using InitLab.Activations;
using InitLab.Layers;
using InitLab.Random;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Tests.Activations;

/// <summary>
/// The vectorized float forward passes against the scalar formulas they replace (the reference), on every length
/// 0..3·16 + 1 with NaN canaries on both sides, in place, and for special values. Rerun by scripts/test.sh at every
/// lower instruction-set level (with hardware intrinsics off the scalar path runs, and must equal itself).
/// </summary>
public class ActivationVectorTests
{
    private const float Epsilon = 1.0f / (1 << 23);

    /// <summary>name → (scalar reference, absolute slack). The slack is the error the scalar float formula itself may
    /// carry beyond rounding: α·(eᶻ − 1) in float loses up to an ulp of eᶻ ≤ 1 absolute, scaled by α (λα for SELU); the
    /// other references are within an ulp. On top of it 4 ulps of the reference allow ≤ 1 ulp for the vector form
    /// (double evaluation rounded once; the erfc fit of GELU 1.2e-7 relative ≈ 1 ulp), ≤ 1 for the scalar form and the
    /// rounding of both. Leaky ReLU is the same float arithmetic and must be bit-identical.</summary>
    private static readonly Dictionary<string, (Func<float, float> Scalar, float Slack, bool Exact)> References = new()
    {
        ["tanh"] = (z => TanhFormula.Value(z, 0f), 0, false),
        ["leaky_relu(0.2)"] = (z => LeakyReluFormula.Value(z, 0.2f), 0, true),
        ["leaky_relu(0.01)"] = (z => LeakyReluFormula.Value(z, 0.01f), 0, true),
        ["elu(1)"] = (z => EluFormula.Value(z, 1f), Epsilon, false),
        ["elu(0.5)"] = (z => EluFormula.Value(z, 0.5f), 0.5f * Epsilon, false),
        ["selu"] = (z => SeluFormula.Value(z, 0f), (float)(SeluFormula.Scale * SeluFormula.Alpha) * Epsilon, false),
        ["gelu"] = (z => GeluFormula.Value(z, 0f), 0, false),
    };

    public static TheoryData<string> Names() => [.. References.Keys];

    private static void AssertClose(string name, float z, float actual, float expected)
    {
        (_, float slack, bool exact) = References[name];
        if (float.IsNaN(expected) || float.IsInfinity(expected) || exact)
        {
            Assert.True(actual.Equals(expected), $"{name}({z:R}) = {actual:R}, scalar {expected:R}");
            return;
        }
        float ulp = MathF.BitIncrement(MathF.Abs(expected)) - MathF.Abs(expected);
        Assert.True(MathF.Abs(actual - expected) <= 4 * ulp + slack, $"{name}({z:R}) = {actual:R}, scalar {expected:R}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_MatchesScalarFormula_OnEveryLength_WithCanaries(string name)
    {
        Activation activation = ActivationRegistry.Resolve(name);
        var rng = new Rng(11);
        for (int length = 0; length <= 3 * 16 + 1; length++)
        {
            // Wide range, with a share of small |z| where cancellation and the tanh cut-over live.
            float[] z = [.. Enumerable.Range(0, length).Select(i => (float)(i % 3 == 0 ? rng.Uniform(-1e-3, 1e-3) : rng.Uniform(-8, 8)))];
            var a = new float[length + 2];
            a[0] = float.NaN;
            a[^1] = float.NaN;
            activation.Forward<float>(z, a.AsSpan(1, length), 1);
            Assert.True(float.IsNaN(a[0]) && float.IsNaN(a[^1]), $"{name}: wrote outside the destination at length {length}");
            for (int i = 0; i < length; i++)
            {
                AssertClose(name, z[i], a[i + 1], References[name].Scalar(z[i]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_SpecialValues_MatchScalarFormula(string name)
    {
        Activation activation = ActivationRegistry.Resolve(name);
        float[] z = [0f, -0f, 1e-30f, -1e-30f, 1e-6f, -1e-6f, 2.44e-4f, -2.45e-4f, 20f, -20f, 30f, -30f, 100f, -100f, 1e30f, -1e30f,
            float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon];
        var a = new float[z.Length];
        activation.Forward<float>(z, a, 1);
        for (int i = 0; i < z.Length; i++)
        {
            // The scalar GELU, z·Φ(z) through double, is NaN at ±∞; the vector form gives +∞ and NaN (∞·0). Not compared.
            if (name == "gelu" && float.IsInfinity(z[i]))
            {
                continue;
            }
            AssertClose(name, z[i], a[i], References[name].Scalar(z[i]));
        }
        Assert.True(float.IsNaN(a[Array.IndexOf(z, float.NaN)]), $"{name}: NaN must stay NaN");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_InPlace_EqualsOutOfPlace(string name)
    {
        Activation activation = ActivationRegistry.Resolve(name);
        var rng = new Rng(5);
        float[] z = [.. Enumerable.Range(0, 37).Select(_ => (float)rng.Uniform(-5, 5))];
        var outOfPlace = new float[z.Length];
        activation.Forward<float>(z, outOfPlace, 1);
        activation.Forward<float>(z, z, 1);
        Assert.Equal(outOfPlace, z);
    }

    [Fact]
    public void Tanh_AtZero_IsExactlyZero_AndOddOnEveryLane()
    {
        float[] z = [.. Enumerable.Range(0, 33).Select(i => i % 2 == 0 ? 0f : (i - 16) * 0.37f)];
        var a = new float[z.Length];
        new Tanh().Forward<float>(z, a, 1);
        float[] negated = [.. z.Select(v => -v)];
        var b = new float[z.Length];
        new Tanh().Forward<float>(negated, b, 1);
        for (int i = 0; i < z.Length; i++)
        {
            Assert.Equal(-a[i], b[i]);
            if (z[i] == 0f)
            {
                Assert.Equal(0f, a[i]);
            }
        }
    }

    [Theory]
    [InlineData("tanh")]
    [InlineData("gelu")]
    [InlineData("selu")]
    [InlineData("elu")]
    [InlineData("leaky_relu")]
    [InlineData("relu")]
    public void DenseForward_OneVersusFourThreads_BitIdentical(string activation)
    {
        Sequential Make(int threads) => new(48, [new Dense(96, activation, "he_normal", "random_normal"), new Dense(37, activation, "he_normal", "random_normal")], seed: 2) { Threads = threads };
        var rng = new Rng(3);
        var x = new Tensor([.. Enumerable.Range(0, 67 * 48).Select(_ => (float)rng.NextNormal())], 67, 48);
        Assert.Equal(Make(1).Predict(x).Data, Make(4).Predict(x).Data);
    }
}
