using InitLab.Activations;
using InitLab.Layers;
using InitLab.Training;

namespace InitLab.Models;

/// <summary>What a network's output is: the activation its last layer applies. The loss and the class probabilities
/// are read from it, and the model file records it.</summary>
public static class NetworkHead
{
    /// <summary>The activation of the network's output: the last layer's if it is a <see cref="Dense"/> or an
    /// <see cref="ActivationLayer"/> (looking through a trailing Dropout or Flatten, which pass values on unchanged at
    /// inference), linear otherwise (a normalization, a scalar bias, or a residual block, whose output
    /// is a sum even when its branch ends in softmax).</summary>
    /// <param name="network">The network.</param>
    /// <returns>The activation.</returns>
    public static Activation OutputActivation(Sequential network)
    {
        ArgumentNullException.ThrowIfNull(network);
        // A trailing Dropout or Flatten passes its input's values on unchanged at inference: look through it.
        int last = network.Layers.Count - 1;
        while (last > 0 && network.Layers[last] is Dropout or Flatten)
        {
            last--;
        }
        return network.Layers[last] switch
        {
            Dense dense => dense.Activation,
            ActivationLayer activation => activation.Activation,
            _ => new Linear(),
        };
    }
}
