using System.Globalization;
using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>
/// PyTorch <c>dirac_(w, groups=1)</c>: zeros, then w[g·out/groups + d, d, k₁//2, …] = 1 for d &lt; min(out/groups, in),
/// so the convolution passes its first input channels through unchanged.
/// </summary>
/// <remarks>3-, 4-, 5-D kernels; read in the given layout (Keras (k…, in, out) is supported too). TorchSharp's dirac_
/// has no groups parameter.</remarks>
public sealed class Dirac : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="groups">Number of groups, ≥ 1, dividing the output channels.</param>
    public Dirac(int groups = 1)
        : base("dirac")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        Groups = groups;
    }

    /// <summary>The groups.</summary>
    public int Groups { get; }

    /// <inheritdoc />
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng)
    {
        var kernel = new ConvolutionKernel(shape, fans.Layout, Name);
        if (kernel.OutChannels % Groups != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), kernel.OutChannels,
                string.Create(CultureInfo.InvariantCulture, $"dirac: {kernel.OutChannels} output channels are not divisible by groups={Groups}."));
        }
        weights.Clear();
        int outPerGroup = kernel.OutChannels / Groups;
        Span<int> centre = stackalloc int[kernel.SpatialRank];
        for (int axis = 0; axis < centre.Length; axis++)
        {
            centre[axis] = kernel.KernelSize(axis) / 2;
        }
        for (int g = 0; g < Groups; g++)
        {
            for (int d = 0; d < Math.Min(outPerGroup, kernel.InChannels); d++)
            {
                weights[kernel.Offset(g * outPerGroup + d, d, centre)] = 1f;
            }
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object> { ["groups"] = (double)Groups };
}
