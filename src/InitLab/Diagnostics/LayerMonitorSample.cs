namespace InitLab.Diagnostics;

/// <summary>One layer at one monitored step (statistics over the batch; ratios on the kernel W, biases left out as
/// practitioners do).</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Activation">Activation name.</param>
/// <param name="ActivationMean">Mean of a = φ(z) over rows × units.</param>
/// <param name="ActivationStd">Population std of a.</param>
/// <param name="SaturatedFraction">Fraction of activations in the flat tails: tanh |a| &gt; 0.97, sigmoid outside [0.03, 0.97] (0 otherwise).</param>
/// <param name="DeadFraction">Fraction of units not positive on any row of the batch (ReLU family; 0 otherwise).</param>
/// <param name="GradientStd">std(∂loss/∂W).</param>
/// <param name="WeightStd">std(W) before this step's update.</param>
/// <param name="GradientToData">std(∂loss/∂W) / std(W).</param>
/// <param name="UpdateToDataLog10">log10(std(ΔW) / std(W)), ΔW = this step's update; around −3 is the usual healthy
/// value, much lower learns slowly, much higher is unstable (−∞ when nothing moved).</param>
/// <param name="Histogram">The activations' histogram.</param>
public sealed record LayerMonitorSample(
    string Layer,
    string Activation,
    double ActivationMean,
    double ActivationStd,
    double SaturatedFraction,
    double DeadFraction,
    double GradientStd,
    double WeightStd,
    double GradientToData,
    double UpdateToDataLog10,
    ActivationHistogram Histogram);
