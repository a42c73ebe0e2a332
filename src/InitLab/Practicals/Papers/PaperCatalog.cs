using InitLab.Common;

namespace InitLab.Practicals.Papers;

/// <summary>The practicals that reproduce a paper's quantitative claim (issue 13), run apart from the tutorial's.</summary>
public static class PaperCatalog
{
    /// <summary>The paper practicals' names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["isometry", "edge-of-chaos", "lsuv", "born-dead", "finite-width", "deep-linear", "residual-depth", "norm-rescue", "mup-transfer", "coord-check", "irnn", "forget-bias", "orthogonal-rnn", "deep-cnn"];

    /// <summary>Runs one paper practical.</summary>
    /// <param name="name">A name from <see cref="Names"/>.</param>
    /// <param name="seeds">Weight seeds.</param>
    /// <param name="quick">Smaller networks.</param>
    /// <returns>Its checks.</returns>
    public static IReadOnlyList<PaperCheck> Run(string name, int seeds, bool quick)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            "isometry" => IsometryPractical.Run(seeds, quick),
            "edge-of-chaos" => EdgeOfChaosPractical.Run(seeds, quick),
            "lsuv" => LsuvPractical.Run(seeds, quick),
            "born-dead" => BornDeadPractical.Run(seeds, quick),
            "finite-width" => FiniteWidthPractical.Run(seeds, quick),
            "deep-linear" => DeepLinearPractical.Run(seeds, quick),
            "residual-depth" => ResidualDepthPractical.Run(seeds, quick),
            "norm-rescue" => NormRescuePractical.Run(seeds, quick),
            "mup-transfer" => MupTransferPractical.Run(seeds, quick),
            "coord-check" => CoordCheckPractical.Run(seeds, quick),
            "irnn" => IrnnPractical.Run(seeds, quick),
            "forget-bias" => ForgetBiasPractical.Run(seeds, quick),
            "orthogonal-rnn" => OrthogonalRnnPractical.Run(seeds, quick),
            "deep-cnn" => DeepCnnPractical.Run(seeds, quick),
            _ => throw new UnknownNameException("paper practical", name, Names, nameof(name)),
        };
    }
}
