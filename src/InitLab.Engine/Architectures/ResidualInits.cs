using InitLab.Common;

namespace InitLab.Architectures;

/// <summary>Names, formulas and sources of the <see cref="ResidualInit"/> schemes: what <c>--residual-init</c>, the
/// <c>inits</c> listing and errors use.</summary>
public static class ResidualInits
{
    /// <summary>A scheme's description.</summary>
    /// <param name="Init">The scheme.</param>
    /// <param name="Name">Its name on the command line and in files (snake case).</param>
    /// <param name="Formula">What it does to a branch of m layers in a net of L blocks.</param>
    /// <param name="Source">The paper.</param>
    /// <param name="Elsewhere">The same thing in PyTorch, Keras or other libraries, where it exists.</param>
    public sealed record Info(ResidualInit Init, string Name, string Formula, string Source, string Elsewhere);

    /// <summary>Every scheme, in the order of <see cref="ResidualInit"/>.</summary>
    public static IReadOnlyList<Info> All { get; } =
    [
        new(ResidualInit.None, "none", "every kernel as its initializer draws it; y = x + F(x)", "He et al. 2016, Identity Mappings in Deep Residual Networks", "torchvision resnet(zero_init_residual=False)"),
        new(ResidualInit.Fixup, "fixup", "inner kernels of each branch × L^(−1/(2m−2)) (std), last kernel of each branch = 0, classifier = 0; scalar biases (0) before each Dense and activation, a scalar multiplier (1) per branch; no normalization",
            "Zhang, Dauphin & Ma 2019, Fixup Initialization (ICLR), §3 'Fixup'", "hongyi-zhang/Fixup (PyTorch reference code)"),
        new(ResidualInit.SkipInit, "skipinit", "y = x + α·F(x), α trainable, α = 0 at init", "De & Smith 2020, Batch Normalization Biases Residual Blocks Towards the Identity Function (NeurIPS)", "—"),
        new(ResidualInit.ReZero, "rezero", "y = x + α·F(x), α trainable, α = 0 at init (in an MLP the same start as skipinit)", "Bachlechner et al. 2020, ReZero is All You Need (UAI 2021)", "majumderb/rezero"),
        new(ResidualInit.ZeroGamma, "zero_gamma", "γ = 0 in the last normalization layer of each branch (the block starts as the identity)", "Goyal et al. 2017, Accurate, Large Minibatch SGD, §5.1", "torchvision resnet(zero_init_residual=True); Keras BatchNormalization(gamma_initializer='zeros')"),
        new(ResidualInit.Scaled, "scaled", "last kernel of each branch with its variance ÷ 2L (std ÷ √(2L))", "Radford et al. 2019, GPT-2 (Language Models are Unsupervised Multitask Learners), §2.3", "nanoGPT c_proj init std 0.02/√(2·n_layer)"),
    ];

    /// <summary>The scheme's name.</summary>
    /// <param name="init">The scheme.</param>
    /// <returns>e.g. "zero_gamma".</returns>
    public static string Name(ResidualInit init) => All[(int)init].Name;

    /// <summary>The scheme called <paramref name="name"/> (case, dashes and underscores ignored).</summary>
    /// <param name="name">e.g. "fixup", "zero-gamma".</param>
    /// <returns>The scheme.</returns>
    /// <exception cref="UnknownNameException">No scheme has that name; the message lists the valid ones and the nearest.</exception>
    public static ResidualInit Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string wanted = NameLookup.Normalize(name);
        foreach (Info info in All)
        {
            if (NameLookup.Normalize(info.Name) == wanted)
            {
                return info.Init;
            }
        }
        throw new UnknownNameException("residual init", name, All.Select(i => i.Name), nameof(name));
    }
}
