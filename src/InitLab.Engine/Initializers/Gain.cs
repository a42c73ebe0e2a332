using InitLab.Common;

namespace InitLab.Initializers;

/// <summary>PyTorch's <c>torch.nn.init.calculate_gain(nonlinearity, param)</c>, exactly.</summary>
public static class Gain
{
    /// <summary>The nonlinearities PyTorch knows.</summary>
    public static IReadOnlyList<string> Nonlinearities { get; } =
        ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"];

    /// <summary>
    /// linear, conv*, sigmoid: 1; tanh: 5/3; relu: √2; leaky_relu: √(2/(1 + s²)) with s = <paramref name="negativeSlope"/>,
    /// 0.01 when null (PyTorch's default); selu: 3/4 (empirical; PyTorch advises 'linear' for self-normalising nets).
    /// </summary>
    /// <param name="nonlinearity">The name.</param>
    /// <param name="negativeSlope">leaky_relu's slope (ignored otherwise).</param>
    /// <returns>The gain.</returns>
    /// <exception cref="UnknownNameException">A nonlinearity PyTorch has no gain for (gelu, elu, …).</exception>
    public static double For(string nonlinearity, double? negativeSlope = null)
    {
        ArgumentNullException.ThrowIfNull(nonlinearity);
        string key = NameLookup.Normalize(nonlinearity);
        switch (key)
        {
            case "linear" or "identity" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid":
                return 1.0;
            case "tanh":
                return 5.0 / 3;
            case "relu":
                return Math.Sqrt(2.0);
            case "leaky_relu":
                double slope = negativeSlope ?? 0.01;
                if (!double.IsFinite(slope))
                {
                    throw new ArgumentOutOfRangeException(nameof(negativeSlope), slope, "calculate_gain: negative_slope must be finite.");
                }
                return Math.Sqrt(2.0 / (1 + slope * slope));
            case "selu":
                return 3.0 / 4;
            default:
                throw new UnknownNameException("nonlinearity for calculate_gain (PyTorch defines gains only for these)", nonlinearity, Nonlinearities, nameof(nonlinearity));
        }
    }
}
