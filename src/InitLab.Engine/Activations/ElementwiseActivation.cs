using System.Numerics;
using System.Runtime.InteropServices;

namespace InitLab.Activations;

/// <summary>The formulas of an elementwise activation as static generic functions, so the loop that drives them
/// is specialised (and inlined) per float type instead of dispatching per element.</summary>
public interface IActivationFormula
{
    /// <summary>φ(z).</summary>
    /// <typeparam name="T">Float type.</typeparam>
    /// <param name="z">Pre-activation.</param>
    /// <param name="alpha">The activation's parameter (slope, scale), ignored where it has none.</param>
    /// <returns>φ(z).</returns>
    static abstract T Value<T>(T z, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>φ′(z), given z and a = φ(z) (whichever is cheaper to use).</summary>
    /// <typeparam name="T">Float type.</typeparam>
    /// <param name="z">Pre-activation.</param>
    /// <param name="a">φ(z).</param>
    /// <param name="alpha">The activation's parameter.</param>
    /// <returns>φ′(z).</returns>
    static abstract T Slope<T>(T z, T a, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Whether <see cref="SlopeVector"/> is implemented (the backward pass then runs one vector loop).</summary>
    static virtual bool IsVectorized => false;

    /// <summary>Whether <see cref="ValueVector"/> is implemented (the float forward pass then runs one vector loop).</summary>
    static virtual bool IsForwardVectorized => false;

    /// <summary>φ for a vector of float lanes; equals <see cref="Value"/> lane by lane, or within the few ulps its
    /// formula documents (exp-based forms are evaluated in double and rounded once).</summary>
    /// <param name="z">Pre-activations.</param>
    /// <param name="alpha">The parameter, broadcast.</param>
    /// <returns>The activations.</returns>
    static virtual Vector<float> ValueVector(Vector<float> z, Vector<float> alpha) => throw new NotSupportedException();

    /// <summary>φ′ for a vector of lanes; must equal <see cref="Slope"/> lane by lane.</summary>
    /// <typeparam name="T">Float type.</typeparam>
    /// <param name="z">Pre-activations.</param>
    /// <param name="a">Activations.</param>
    /// <param name="alpha">The parameter, broadcast.</param>
    /// <returns>The slopes.</returns>
    static virtual Vector<T> SlopeVector<T>(Vector<T> z, Vector<T> a, Vector<T> alpha)
        where T : unmanaged, IFloatingPointIeee754<T> => throw new NotSupportedException();
}

/// <summary>An activation defined elementwise by <typeparamref name="TFormula"/>.</summary>
/// <typeparam name="TFormula">The formula.</typeparam>
public class ElementwiseActivation<TFormula> : Activation
    where TFormula : struct, IActivationFormula
{
    private readonly string _name;

    /// <summary>Creates the activation.</summary>
    /// <param name="name">Registry name.</param>
    /// <param name="alpha">Parameter passed to the formula.</param>
    public ElementwiseActivation(string name, double alpha = 0)
    {
        _name = name;
        Alpha = alpha;
    }

    /// <summary>The formula's parameter (e.g. the negative slope of leaky ReLU).</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    public override string Name => _name;

    /// <inheritdoc />
    /// <remarks>True: the formula is applied per element, and the vector path pads its last partial vector rather than
    /// switching formula (<see cref="ForwardVector"/>). A subclass that forwards to a library routine overrides it.</remarks>
    internal override bool SameBitsForAnySpan => true;

    /// <inheritdoc />
    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int cols)
    {
        CheckLengths(z.Length, a.Length);
        if (TFormula.IsForwardVectorized && typeof(T) == typeof(float) && Vector.IsHardwareAccelerated)
        {
            ForwardVector(MemoryMarshal.Cast<T, float>(z), MemoryMarshal.Cast<T, float>(a), (float)Alpha);
            return;
        }
        T alpha = T.CreateChecked(Alpha);
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = TFormula.Value(z[i], alpha);
        }
    }

    /// <summary>The float forward pass in Vector&lt;float&gt; lanes (8 with AVX2 and AVX-512, 4 with SSE only). The last,
    /// partial vector goes through the same vector formula via a zero-padded copy, so every element is computed by the
    /// same formula wherever it sits: results do not depend on the length, the offset or how rows are split.
    /// In place (a and z the same span) is allowed: each chunk is read before it is written.</summary>
    private static void ForwardVector(ReadOnlySpan<float> z, Span<float> a, float alpha)
    {
        var alphaV = new Vector<float>(alpha);
        int count = Vector<float>.Count;
        int i = 0;
        for (; i + count <= z.Length; i += count)
        {
            TFormula.ValueVector(new Vector<float>(z.Slice(i, count)), alphaV).CopyTo(a.Slice(i, count));
        }
        if (i < z.Length)
        {
            Span<float> padded = stackalloc float[count];
            padded.Clear();
            z[i..].CopyTo(padded);
            TFormula.ValueVector(new Vector<float>(padded), alphaV).CopyTo(padded);
            padded[..(z.Length - i)].CopyTo(a[i..]);
        }
    }

    /// <inheritdoc />
    public override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int cols)
    {
        CheckLengths(z.Length, dz.Length);
        T alpha = T.CreateChecked(Alpha);
        int i = 0;
        if (TFormula.IsVectorized && Vector.IsHardwareAccelerated)
        {
            // One loop for every vectorized formula: Vector<T> lanes (8 floats with AVX2/AVX-512), scalar tail.
            var zv = MemoryMarshal.Cast<T, Vector<T>>(z);
            var av = MemoryMarshal.Cast<T, Vector<T>>(a);
            var dav = MemoryMarshal.Cast<T, Vector<T>>(da);
            var dzv = MemoryMarshal.Cast<T, Vector<T>>(dz);
            var alphaV = new Vector<T>(alpha);
            for (int v = 0; v < zv.Length; v++)
            {
                dzv[v] = TFormula.SlopeVector(zv[v], av[v], alphaV) * dav[v];
            }
            i = zv.Length * Vector<T>.Count;
        }
        for (; i < z.Length; i++)
        {
            dz[i] = TFormula.Slope(z[i], a[i], alpha) * da[i];
        }
    }

    /// <inheritdoc />
    public override double Apply(double z) => TFormula.Value(z, Alpha);

    /// <inheritdoc />
    public override double Derivative(double z) => TFormula.Slope(z, TFormula.Value(z, Alpha), Alpha);

    /// <summary>Throws when spans differ in length.</summary>
    /// <param name="expected">Source length.</param>
    /// <param name="actual">Destination length.</param>
    protected void CheckLengths(int expected, int actual)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"Activation '{Name}': destination has {actual} elements, expected {expected}.");
        }
    }
}
