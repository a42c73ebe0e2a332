using System.Globalization;
using InitLab.Random;

namespace InitLab.Initializers;

/// <summary>
/// Layer-sequential unit variance (Mishkin &amp; Matas 2016, Algorithm 1): orthonormal pre-initialisation (this
/// <see cref="Initializer.Fill(Span{float}, IReadOnlyList{int}, Fans, Rng)"/>), then, through the model and a data batch, each layer's weights are divided by √Var(output)
/// until |Var − 1| &lt; <see cref="Tolerance"/> or <see cref="MaxIterations"/> trials. The data step is
/// <c>InitLab.Training.LsuvCalibrator</c>; a layer given "lsuv" is calibrated automatically by the first Fit after the
/// weights are drawn (not again by later fits, which would rescale trained weights).
/// </summary>
/// <remarks>No framework ships LSUV; the reference ports differ (std vs variance tolerance, bias shifts). InitLab
/// follows the paper: tolerance on the variance of the pre-activation output, biases untouched.</remarks>
public sealed class Lsuv : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="tolerance">Tol_var, in (0, 1).</param>
    /// <param name="maxIterations">T_max, ≥ 1.</param>
    public Lsuv(double tolerance = 0.1, int maxIterations = 10)
        : base("lsuv")
    {
        if (!(tolerance > 0 && tolerance < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance,
                string.Create(CultureInfo.InvariantCulture, $"lsuv: tol must be in (0, 1), got {tolerance}."));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxIterations);
        Tolerance = tolerance;
        MaxIterations = maxIterations;
    }

    /// <summary>Tol_var: accepted |Var(output) − 1|.</summary>
    public double Tolerance { get; }

    /// <summary>T_max: rescaling trials per layer.</summary>
    public int MaxIterations { get; }

    /// <summary>Step 1 of the algorithm: an orthonormal matrix (gain 1).</summary>
    /// <param name="weights">Destination.</param>
    /// <param name="shape">Shape (rank ≥ 2).</param>
    /// <param name="fans">Fans.</param>
    /// <param name="rng">Generator.</param>
    protected override void FillCore(Span<float> weights, IReadOnlyList<int> shape, Fans fans, Rng rng) =>
        new Orthogonal().Fill(weights, shape, fans, rng);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> GetConfig() =>
        new Dictionary<string, object> { ["tol"] = Tolerance, ["max_iter"] = (double)MaxIterations };
}
