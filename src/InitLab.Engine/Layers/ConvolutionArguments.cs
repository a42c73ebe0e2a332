using System.Globalization;
using InitLab.Activations;
using InitLab.Kernels;

namespace InitLab.Layers;

/// <summary>Argument checks and the bias + activation passes shared by <see cref="Conv2D"/> and <see cref="Conv2DTranspose"/>.</summary>
internal static class ConvolutionArguments
{
    /// <summary>Keras's padding name ("same" or "valid", any case) as the enum; anything else is a clear error.</summary>
    public static ConvolutionPadding ParsePadding(string padding, string layer)
    {
        ArgumentNullException.ThrowIfNull(padding);
        return padding.Trim().ToLowerInvariant() switch
        {
            "valid" => ConvolutionPadding.Valid,
            "same" => ConvolutionPadding.Same,
            _ => throw new ArgumentException($"{layer}: padding must be \"same\" or \"valid\" (Keras's names), got \"{padding}\".", nameof(padding)),
        };
    }

    /// <summary>Checks that both sides of a (height, width) pair are ≥ 1.</summary>
    public static (int Height, int Width) Positive((int Height, int Width) value, string parameter, string layer)
    {
        if (value.Height < 1 || value.Width < 1)
        {
            throw new ArgumentOutOfRangeException(parameter, value, string.Create(CultureInfo.InvariantCulture,
                $"{layer}: {parameter} must be >= 1 in both height and width, got ({value.Height}, {value.Width})."));
        }
        return value;
    }

    /// <summary>Checks the padding enum is a defined value.</summary>
    public static ConvolutionPadding Defined(ConvolutionPadding padding, string layer) => Enum.IsDefined(padding) ? padding
        : throw new ArgumentOutOfRangeException(nameof(padding), padding, $"{layer}: padding must be Valid or Same, got {(int)padding}.");

    /// <summary>Reads the [H, W, C] shape a convolution needs, with an error naming the layer and what it got.</summary>
    public static (int Height, int Width, int Channels) ImageShape(Layer layer, int inputDim)
    {
        IReadOnlyList<int> shape = layer.InputShape;
        if (shape.Count != 3 || Layer.ShapeSize(shape) != inputDim)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{layer.KindName} '{layer.Name}': needs rows that are images of shape [height, width, channels] (Keras channels-last), got shape [{string.Join(", ", shape)}] for {inputDim} inputs. Create the model with new Sequential(new[] {{ height, width, channels }}, …)."),
                nameof(inputDim));
        }
        return (shape[0], shape[1], shape[2]);
    }

    /// <summary>a = φ(z + b) over <paramref name="positions"/> rows of <paramref name="filters"/> values (z gets the bias).
    /// ReLU with a bias goes through <see cref="OutputPass"/>, the row kernel Dense uses.</summary>
    public static void BiasActivation(Span<float> z, ReadOnlySpan<float> bias, Span<float> a, int positions, int filters, Activation activation)
    {
        if (!bias.IsEmpty && activation is Relu)
        {
            for (int p = 0; p < positions; p++)
            {
                OutputPass.Row(z.Slice(p * filters, filters), bias, a.Slice(p * filters, filters), OutputActivation.Relu, null);
            }
            return;
        }
        if (!bias.IsEmpty)
        {
            for (int p = 0; p < positions; p++)
            {
                Span<float> row = z.Slice(p * filters, filters);
                System.Numerics.Tensors.TensorPrimitives.Add(row, bias, row);
            }
        }
        activation.Forward<float>(z[..(positions * filters)], a[..(positions * filters)], filters);
    }

    /// <summary>dz = φ′(z)·da, then db = Σ over the rows of dz in row order (the same bits for any thread count).</summary>
    public static void ActivationBiasGradient(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz,
        Span<float> biasGradient, int positions, int filters, Activation activation)
    {
        int n = positions * filters;
        activation.Backward<float>(z[..n], a[..n], da[..n], dz[..n], filters);
        if (biasGradient.IsEmpty)
        {
            return;
        }
        biasGradient.Clear();
        for (int p = 0; p < positions; p++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(biasGradient, dz.Slice(p * filters, filters), biasGradient);
        }
    }
}
