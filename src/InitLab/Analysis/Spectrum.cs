using InitLab.Common;
using InitLab.Layers;

namespace InitLab.Analysis;

/// <summary>
/// The singular-value spectrum of a matrix and the two numbers dynamical-isometry papers report: the mean of σ² (the
/// normalised trace of JJᵀ, 1 for a norm-preserving map) and the variance of σ² (0 for an isometry; ≈ L for a product of
/// L Gaussian layers with variance 1/n, Pennington et al. 2017).
/// </summary>
public sealed class Spectrum
{
    private Spectrum(double[] singularValues)
    {
        SingularValues = singularValues;
        if (singularValues.Length > 0)
        {
            SampleMoments moments = SampleStatistics.Moments([.. singularValues.Select(s => s * s)]);
            MeanSquare = moments.Mean;
            VarianceOfSquares = Math.Max(0, moments.PopulationVariance);
        }
    }

    /// <summary>σ₁ ≥ σ₂ ≥ … ≥ 0 (min(rows, cols) of them).</summary>
    public IReadOnlyList<double> SingularValues { get; }

    /// <summary>(1/n)·Σ σᵢ² = tr(JJᵀ)/n, n = min(rows, cols).</summary>
    public double MeanSquare { get; }

    /// <summary>(1/n)·Σ σᵢ⁴ − ((1/n)·Σ σᵢ²)², the (population) variance of the squared singular values.</summary>
    public double VarianceOfSquares { get; }

    /// <summary>σ₁, the spectral norm.</summary>
    public double Max => SingularValues.Count == 0 ? 0 : SingularValues[0];

    /// <summary>The smallest singular value.</summary>
    public double Min => SingularValues.Count == 0 ? 0 : SingularValues[^1];

    /// <summary>The spectrum of <paramref name="matrix"/>.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <returns>Its spectrum.</returns>
    public static Spectrum Of(Matrix matrix) => new(Analysis.SingularValues.Compute(matrix));

    /// <summary>The spectrum of a dense layer's kernel W (in×out); its <see cref="Max"/> is the spectral norm ‖W‖₂.</summary>
    /// <param name="layer">A built layer.</param>
    /// <returns>The kernel's spectrum.</returns>
    public static Spectrum OfKernel(Dense layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (!layer.IsBuilt)
        {
            throw new ArgumentException($"Spectrum: layer '{layer.Name}' has no weights yet; build the model first.", nameof(layer));
        }
        return Of(Matrix.FromFloats(layer.Kernel, layer.InputDim, layer.Units));
    }
}
