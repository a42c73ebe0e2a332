using System.Globalization;
using InitLab.Initializers;

namespace InitLab.Architectures;

public static partial class ArchitectureBuilder
{
    /// <summary>
    /// <paramref name="initializer"/> with its variance set as the parametrization says for a Dense whose kernel has
    /// <paramref name="kernelRole"/>: the variance it draws at the base width × (base/width)^k
    /// (<see cref="Parametrizations.InitVarianceExponent"/>; biases k = 0). A variance-scaling initializer gets the ratio
    /// of that target to its variance at the actual fans as a scale factor (1 — the initializer itself, name and all — for
    /// fan_in initializers on input and hidden layers, or at the base width); zeros and constants stay, and so do the
    /// fixed-variance random_normal/random_uniform/truncated_normal where k = 0.
    /// </summary>
    /// <exception cref="ArgumentException">Another initializer where the variance must change with the width; ParamName is
    /// <paramref name="option"/>.</exception>
    internal static IInitializer ForWidth(ArchitectureOptions o, IInitializer initializer, WidthRole kernelRole, bool isBias, string option)
    {
        WidthRole role = !isBias ? kernelRole : kernelRole is WidthRole.OutputWeights or WidthRole.Fixed ? WidthRole.Fixed : WidthRole.WidthVector;
        int baseWidth = o.BaseWidth == 0 ? o.Width : o.BaseWidth;
        if (Parametrizations.InitVarianceExponent(o.Parametrization, role) is not int k || baseWidth == o.Width || initializer is Constant)
        {
            return initializer;
        }
        (Fans actual, Fans atBase) = (KernelFans(o, kernelRole, o.Width), KernelFans(o, kernelRole, baseWidth));
        if (isBias)
        {
            (actual, atBase) = (Fans.ForBias(actual.Out, actual.In), Fans.ForBias(atBase.Out, atBase.In));
        }
        switch (initializer)
        {
            case VarianceScaling v:
                double factor = v.Variance(atBase) * Math.Pow(baseWidth / (double)o.Width, k) / v.Variance(actual);
                return Math.Abs(factor - 1) <= 1e-12 ? initializer : ScaleVariance(v, factor, option);
            case RandomNormal or RandomUniform or TruncatedNormal when k == 0:
                return initializer;
            default:
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"parametrization '{Parametrizations.Name(o.Parametrization)}' at width {o.Width} (base width {baseWidth}) draws this {(isBias ? "bias" : "kernel")} with its variance at the base width × (base/width)^{k}, which needs a variance-scaling initializer (he_normal, he_uniform, glorot_uniform, glorot_normal, lecun_normal, lecun_uniform, variance_scaling) or zeros; got '{initializer.Name}'. Use one of those, or parametrization sp, or base width = width."), option);
        }
    }

    /// <summary>The fans of a kernel with <paramref name="role"/> when the width is <paramref name="width"/>.</summary>
    private static Fans KernelFans(ArchitectureOptions o, WidthRole role, int width) => role switch
    {
        WidthRole.InputWeights => new Fans(o.InputDim, width),
        WidthRole.OutputWeights => new Fans(width, o.Outputs),
        WidthRole.Fixed => new Fans(o.InputDim, o.Outputs),
        _ => new Fans(width, width),
    };
}
