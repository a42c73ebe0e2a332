using System.Numerics;
using InitLab.Common;

namespace InitLab.Activations;

#pragma warning disable CA1815 // Formula structs carry no data; equality is meaningless.

/// <summary>a = z.</summary>
public readonly struct LinearFormula : IActivationFormula
{
    /// <inheritdoc />
    public static T Value<T>(T z, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => z;

    /// <inheritdoc />
    public static T Slope<T>(T z, T a, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => T.One;
}

/// <summary>a = max(z, 0); φ′(0) is taken as 0, as in Keras and PyTorch. NaN stays NaN (as in TensorPrimitives.Max),
/// so a diverging pre-activation is never turned into a harmless 0.</summary>
public readonly struct ReluFormula : IActivationFormula
{
    /// <inheritdoc />
    public static T Value<T>(T z, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => z > T.Zero || T.IsNaN(z) ? z : T.Zero;

    /// <inheritdoc />
    public static T Slope<T>(T z, T a, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => z > T.Zero ? T.One : T.Zero;

    /// <inheritdoc />
    public static bool IsVectorized => true;

    /// <inheritdoc />
    public static Vector<T> SlopeVector<T>(Vector<T> z, Vector<T> a, Vector<T> alpha) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
}

/// <summary>a = z for z &gt; 0, α·z otherwise.</summary>
public readonly struct LeakyReluFormula : IActivationFormula
{
    /// <inheritdoc />
    public static T Value<T>(T z, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => z > T.Zero ? z : alpha * z;

    /// <inheritdoc />
    public static T Slope<T>(T z, T a, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => z > T.Zero ? T.One : alpha;

    /// <inheritdoc />
    public static bool IsVectorized => true;

    /// <inheritdoc />
    public static Vector<T> SlopeVector<T>(Vector<T> z, Vector<T> a, Vector<T> alpha) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<T>.Zero), Vector<T>.One, alpha);

    /// <inheritdoc />
    public static bool IsForwardVectorized => true;

    /// <inheritdoc />
    /// <remarks>Bit-identical to <see cref="Value"/>: the same comparison and the same float product.</remarks>
    public static Vector<float> ValueVector(Vector<float> z, Vector<float> alpha) =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<float>.Zero), z, alpha * z);
}

/// <summary>a = z for z &gt; 0, α·(eᶻ − 1) otherwise (Clevert et al. 2016).</summary>
public readonly struct EluFormula : IActivationFormula
{
    /// <inheritdoc />
    public static T Value<T>(T z, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => z > T.Zero ? z : alpha * (T.Exp(z) - T.One);

    /// <inheritdoc />
    public static T Slope<T>(T z, T a, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => z > T.Zero ? T.One : a + alpha;

    /// <inheritdoc />
    public static bool IsForwardVectorized => true;

    /// <inheritdoc />
    public static Vector<float> ValueVector(Vector<float> z, Vector<float> alpha) => VectorFormulas.ExpLinear(z, 1, alpha[0]);
}

/// <summary>a = λ·z for z &gt; 0, λα·(eᶻ − 1) otherwise, with the constants of Klambauer et al. 2017.</summary>
public readonly struct SeluFormula : IActivationFormula
{
    /// <summary>λ of the paper.</summary>
    public const double Scale = 1.0507009873554804934193349852946;

    /// <summary>α of the paper.</summary>
    public const double Alpha = 1.6732632423543772848170429916717;

    /// <inheritdoc />
    public static T Value<T>(T z, T alpha) where T : unmanaged, IFloatingPointIeee754<T> =>
        z > T.Zero ? T.CreateChecked(Scale) * z : T.CreateChecked(Scale * Alpha) * (T.Exp(z) - T.One);

    /// <inheritdoc />
    public static T Slope<T>(T z, T a, T alpha) where T : unmanaged, IFloatingPointIeee754<T> =>
        z > T.Zero ? T.CreateChecked(Scale) : a + T.CreateChecked(Scale * Alpha);

    /// <inheritdoc />
    public static bool IsForwardVectorized => true;

    /// <inheritdoc />
    public static Vector<float> ValueVector(Vector<float> z, Vector<float> alpha) => VectorFormulas.ExpLinear(z, Scale, Scale * Alpha);
}

/// <summary>Exact GELU, a = z·Φ(z) (Keras and PyTorch default, not the tanh approximation).</summary>
public readonly struct GeluFormula : IActivationFormula
{
    /// <inheritdoc />
    public static T Value<T>(T z, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double x = double.CreateChecked(z);
        return T.CreateChecked(x * SpecialFunctions.NormalCdf(x));
    }

    /// <inheritdoc />
    public static T Slope<T>(T z, T a, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double x = double.CreateChecked(z);
        return T.CreateChecked(SpecialFunctions.NormalCdf(x) + x * SpecialFunctions.NormalPdf(x));
    }

    /// <inheritdoc />
    public static bool IsForwardVectorized => true;

    /// <inheritdoc />
    public static Vector<float> ValueVector(Vector<float> z, Vector<float> alpha) => VectorFormulas.Gelu(z);
}

/// <summary>a = 1/(1 + e⁻ᶻ), evaluated without overflow for large |z|.</summary>
public readonly struct SigmoidFormula : IActivationFormula
{
    /// <inheritdoc />
    public static T Value<T>(T z, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (z >= T.Zero)
        {
            return T.One / (T.One + T.Exp(-z));
        }
        T e = T.Exp(z);
        return e / (T.One + e);
    }

    /// <inheritdoc />
    public static T Slope<T>(T z, T a, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => a * (T.One - a);

    /// <inheritdoc />
    public static bool IsVectorized => true;

    /// <inheritdoc />
    public static Vector<T> SlopeVector<T>(Vector<T> z, Vector<T> a, Vector<T> alpha) where T : unmanaged, IFloatingPointIeee754<T> =>
        a * (Vector<T>.One - a);
}

/// <summary>a = tanh(z).</summary>
public readonly struct TanhFormula : IActivationFormula
{
    /// <inheritdoc />
    public static T Value<T>(T z, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => T.Tanh(z);

    /// <inheritdoc />
    public static T Slope<T>(T z, T a, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => T.One - a * a;

    /// <inheritdoc />
    public static bool IsVectorized => true;

    /// <inheritdoc />
    public static Vector<T> SlopeVector<T>(Vector<T> z, Vector<T> a, Vector<T> alpha) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector<T>.One - a * a;

    /// <inheritdoc />
    public static bool IsForwardVectorized => true;

    /// <inheritdoc />
    public static Vector<float> ValueVector(Vector<float> z, Vector<float> alpha) => VectorFormulas.Tanh(z);
}

/// <summary>a = log(1 + eᶻ) = max(z, 0) + log1p(e^−|z|) (the stable form).</summary>
public readonly struct SoftplusFormula : IActivationFormula
{
    /// <inheritdoc />
    public static T Value<T>(T z, T alpha) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Max(z, T.Zero) + LogOnePlus(T.Exp(-T.Abs(z)));

    /// <summary>log(1 + x) accurate for tiny x. .NET's <c>T.LogP1</c> is <c>Log(x + 1)</c>, which rounds 1 + x first:
    /// softplus(−20) came out 0 in float and 3e-8 off (relative) in double. Goldberg's correction x·log(u)/(u − 1) with
    /// u = 1 + x cancels that rounding (a few ulps for x ≥ 0; "What every computer scientist should know…", Thm 4).</summary>
    private static T LogOnePlus<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        return u == T.One ? x : T.Log(u) * x / (u - T.One);
    }

    /// <inheritdoc />
    public static T Slope<T>(T z, T a, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => SigmoidFormula.Value(z, alpha);
}
