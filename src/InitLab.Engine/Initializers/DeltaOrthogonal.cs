using System.Globalization;
using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>
/// JAX <c>delta_orthogonal(scale=1.0)</c> (Xiao et al. 2018): zeros, with an orthogonal in×out matrix × scale at the
/// centre tap (k−1)//2 of every spatial axis. Needs in ≤ out.
/// </summary>
/// <remarks>JAX's centre is (k−1)//2, PyTorch dirac's k//2: they differ for even kernel sizes.</remarks>
public sealed class DeltaOrthogonal : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="scale">Multiplier, &gt; 0.</param>
    public DeltaOrthogonal(double scale = 1.0)
        : base("delta_orthogonal") => ScaleValue = Positive(scale, "scale");

    /// <summary>The multiplier.</summary>
    public double ScaleValue { get; }

    /// <inheritdoc />
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng)
    {
        var kernel = new ConvolutionKernel(shape, fans.Layout, Name);
        int inputs = kernel.InChannels, outputs = kernel.OutChannels;
        if (inputs > outputs)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), inputs,
                string.Create(CultureInfo.InvariantCulture, $"delta_orthogonal: needs in <= out channels, got in={inputs}, out={outputs}."));
        }
        weights.Clear();
        double[] matrix = OrthogonalMatrix.Draw(inputs, outputs, rng);
        Span<int> centre = stackalloc int[kernel.SpatialRank];
        for (int axis = 0; axis < centre.Length; axis++)
        {
            centre[axis] = (kernel.KernelSize(axis) - 1) / 2;
        }
        for (int i = 0; i < inputs; i++)
        {
            for (int o = 0; o < outputs; o++)
            {
                weights[kernel.Offset(o, i, centre)] = (float)(ScaleValue * matrix[i * outputs + o]);
            }
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() => new Dictionary<string, object> { ["scale"] = ScaleValue };
}
