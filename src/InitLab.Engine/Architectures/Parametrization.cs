namespace InitLab.Architectures;

/// <summary>How init variances and per-layer learning rates change with the width (Yang &amp; Hu 2021; Yang et al. 2021,
/// Tensor Programs V). Every parametrization equals <see cref="Standard"/> at the base width.</summary>
public enum Parametrization
{
    /// <summary>Standard parametrization (SP): every layer as its initializer draws it, one learning rate for all.</summary>
    Standard,

    /// <summary>Neural-tangent parametrization (NTK), in its SP-equivalent form.</summary>
    Ntk,

    /// <summary>Maximal-update parametrization (μP): init variances and per-layer learning-rate multipliers chosen together
    /// so that the best learning rate stays put as the width grows.</summary>
    MuP,
}
