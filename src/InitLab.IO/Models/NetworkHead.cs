using InitLab.Activations;
using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Models;

/// <summary>What a network's output is: the activation its last layer applies. The loss and the class probabilities
/// are read from it, and the model file records it.</summary>
public static class NetworkHead
{
    /// <summary>The activation of the network's output: the last layer's if it is a <see cref="Dense"/> or an
    /// <see cref="ActivationLayer"/>, linear otherwise (a normalization, a scalar bias, or a residual block, whose output
    /// is a sum even when its branch ends in softmax).</summary>
    /// <param name="network">The network.</param>
    /// <returns>The activation.</returns>
    public static Activation OutputActivation(Sequential network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Layers[^1] switch
        {
            Dense dense => dense.Activation,
            ActivationLayer activation => activation.Activation,
            _ => new Linear(),
        };
    }
}
