using System.Globalization;
using InitLab.Activations;
using InitLab.Layers;
using InitLab.Tensors;
using InitLab.Training;

namespace InitLab.Analysis;

/// <summary>
/// Jacobians of a <see cref="Sequential"/> at one input: the input–output Jacobian J = ∂a_L/∂x (OutputDim×InputDim) and
/// the per-layer factors J_l = ∂a_l/∂a_{l−1} = D_l·W_lᵀ with D_l = diag(φ′(z_l)) (softmax: diag(a) − a·aᵀ), whose product
/// J_L⋯J_1 is J (Pennington et al. 2017, "Resurrecting the sigmoid": dynamical isometry asks for all singular values of
/// J near 1).
/// </summary>
public static class Jacobian
{
    /// <summary>J = ∂a_L/∂x at <paramref name="input"/>, by one backward pass per output unit (batched: OutputDim copies of
    /// the input with the unit cotangents e_1 … e_OutputDim). Overwrites the model's layer buffers.</summary>
    /// <param name="model">The model (its weights are not changed).</param>
    /// <param name="input">One input, InputDim values.</param>
    /// <returns>OutputDim×InputDim; row i is ∂a_{L,i}/∂x.</returns>
    /// <exception cref="ArgumentException">The input length is not InputDim.</exception>
    public static Matrix InputOutput(Sequential model, ReadOnlySpan<float> input)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckInput(model, input);
        int outputs = model.OutputDim, inputs = model.InputDim;
        var x = new float[outputs * inputs];
        var cotangents = new float[outputs * outputs];
        for (int i = 0; i < outputs; i++)
        {
            input.CopyTo(x.AsSpan(i * inputs, inputs));
            cotangents[i * outputs + i] = 1;
        }
        Tensor rows = model.VectorJacobianProduct(new Tensor(x, outputs, inputs), new Tensor(cotangents, outputs, outputs));
        return Matrix.FromFloats(rows.Data, outputs, inputs);
    }

    /// <summary>The per-layer Jacobians J_l = ∂a_l/∂a_{l−1} (units_l × units_{l−1}) at <paramref name="input"/>, first layer
    /// first, in double from the layer's kernel and pre-activations. Overwrites the model's layer buffers.</summary>
    /// <param name="model">The model.</param>
    /// <param name="input">One input, InputDim values.</param>
    /// <returns>One matrix per layer.</returns>
    public static IReadOnlyList<Matrix> PerLayer(Sequential model, ReadOnlySpan<float> input)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckInput(model, input);
        model.Forward(new Tensor(input.ToArray(), 1, model.InputDim));
        var result = new List<Matrix>(model.Layers.Count);
        foreach (Dense layer in model.Layers)
        {
            result.Add(LayerJacobian(layer));
        }
        return result;
    }

    /// <summary>The Jacobian of one layer at its last forward pass (row 0 of its buffers).</summary>
    private static Matrix LayerJacobian(Dense layer)
    {
        int units = layer.Units, inputs = layer.InputDim;
        ReadOnlySpan<float> z = layer.PreActivation[..units];
        ReadOnlySpan<float> a = layer.Output[..units];
        ReadOnlySpan<float> kernel = layer.Kernel;
        // ∂a/∂z: diagonal for elementwise activations, diag(a) − a·aᵀ for softmax.
        var local = new double[units * units];
        if (layer.Activation is Softmax)
        {
            for (int i = 0; i < units; i++)
            {
                for (int j = 0; j < units; j++)
                {
                    local[i * units + j] = (i == j ? a[i] : 0) - (double)a[i] * a[j];
                }
            }
        }
        else
        {
            for (int i = 0; i < units; i++)
            {
                local[i * units + i] = layer.Activation.Derivative(z[i]);
            }
        }
        // ∂z/∂x = Wᵀ, with W stored (in, out).
        var weightsTransposed = new double[units * inputs];
        for (int i = 0; i < inputs; i++)
        {
            for (int j = 0; j < units; j++)
            {
                weightsTransposed[j * inputs + i] = kernel[i * units + j];
            }
        }
        return new Matrix(units, units, local).Multiply(new Matrix(units, inputs, weightsTransposed));
    }

    private static void CheckInput(Sequential model, ReadOnlySpan<float> input)
    {
        if (input.Length != model.InputDim)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Jacobian: the input has {input.Length} values, the model takes {model.InputDim}."), nameof(input));
        }
    }
}
