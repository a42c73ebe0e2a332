using InitLab.Layers;
using InitLab.Tensors;

namespace InitLab.Training;

/// <summary>The research surface: a forward pass that keeps its buffers, and back-propagation from any output gradient
/// down to the input (∂/∂x), without a loss.</summary>
public sealed partial class Sequential
{
    private float[] _probeInput = [];
    private int _probeRows;

    /// <summary>
    /// Runs the network on <paramref name="x"/> and keeps every layer's buffers (input, pre-activation z, activation a)
    /// for a following <see cref="Backward(Tensor)"/>: a_0 = x, z_l = a_{l−1}·W_l + b_l, a_l = φ_l(z_l).
    /// </summary>
    /// <param name="x">Inputs, rows×InputDim, rows ≥ 1 (copied; the caller may reuse it).</param>
    /// <returns>A copy of the outputs a_L, rows×OutputDim.</returns>
    /// <exception cref="ArgumentException">The shape does not fit the first layer, or there are no rows.</exception>
    public Tensor Forward(Tensor x)
    {
        int rows = CheckInput(x, nameof(x));
        if (rows < 1)
        {
            throw new ArgumentException("Sequential.Forward: the input has 0 rows; pass at least one row.", nameof(x));
        }
        if (_probeInput.Length != rows * InputDim)
        {
            _probeInput = new float[rows * InputDim];
        }
        x.Data.AsSpan(0, rows * InputDim).CopyTo(_probeInput);
        foreach (Layer layer in _layers)
        {
            layer.EnsureCapacity(rows);
        }
        Forward(_probeInput, rows, PassMode.Probe);
        _probeRows = rows;
        return new Tensor(_layers[^1].Output.ToArray(), rows, OutputDim);
    }

    /// <summary>
    /// Back-propagates an arbitrary output gradient g = ∂L/∂a_L (rows×OutputDim) through the pass of the last
    /// <see cref="Forward(Tensor)"/>: fills every layer's kernel, bias, pre-activation and output gradients exactly as training
    /// would, and returns ∂L/∂x = g·J(x) row by row, where J = ∂a_L/∂x is the input–output Jacobian (a
    /// vector–Jacobian product per row). Nothing is updated; the compiled loss, if any, is not used.
    /// </summary>
    /// <param name="outputGradient">∂L/∂a_L, one row per row of the last <see cref="Forward(Tensor)"/> (after the last
    /// activation; for softmax the full softmax Jacobian is applied).</param>
    /// <returns>∂L/∂x, rows×InputDim.</returns>
    /// <exception cref="InvalidOperationException">No <see cref="Forward(Tensor)"/> preceded it, or another pass (Fit, Predict,
    /// Evaluate, ComputeGradients) has overwritten its buffers since.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from the forward output's.</exception>
    public Tensor Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        int rows = _probeRows;
        bool buffersAreOurs = rows > 0 && _probeInput.Length > 0 && ReferenceEquals(_lastForwardInput, _probeInput) &&
            _layers[0].BatchRows == rows;
        if (!buffersAreOurs)
        {
            throw new InvalidOperationException(
                "Sequential.Backward: call Forward(x) first; the layers' buffers do not hold a pass of Forward " +
                "(none ran yet, or Fit/Predict/Evaluate/ComputeGradients ran since).");
        }
        if (outputGradient.Rank != 2 || outputGradient.Shape[0] != rows || outputGradient.Shape[1] != OutputDim)
        {
            throw new ArgumentException(
                $"Sequential.Backward: the output gradient has shape {Tensor.FormatShape(outputGradient.Shape)}, expected [{rows}, {OutputDim}] " +
                "(one row per row of the last Forward, one column per output unit).", nameof(outputGradient));
        }
        outputGradient.Data.AsSpan(0, rows * OutputDim).CopyTo(_layers[^1].WritableOutputGradient(rows));
        var inputGradient = new float[rows * InputDim];
        Backward(lastGradientIsPreActivation: false, inputGradient);
        return new Tensor(inputGradient, rows, InputDim);
    }

    /// <summary>Forward on <paramref name="x"/>, then <see cref="Backward(Tensor)"/> of <paramref name="outputGradient"/>:
    /// row r of the result is g_r·J(x_r), with J(x_r) = ∂a_L/∂x at x_r.</summary>
    /// <param name="x">Inputs, rows×InputDim.</param>
    /// <param name="outputGradient">Cotangents g, rows×OutputDim.</param>
    /// <returns>rows×InputDim.</returns>
    public Tensor VectorJacobianProduct(Tensor x, Tensor outputGradient)
    {
        Forward(x);
        return Backward(outputGradient);
    }

    /// <summary>
    /// ∂L/∂x for the compiled loss L (the batch mean, the value <see cref="ComputeGradients"/> returns) at inputs
    /// <paramref name="x"/> and targets <paramref name="y"/>; every layer's gradients are filled as by
    /// <see cref="ComputeGradients"/>. What adversarial examples, saliency maps and input-sensitivity studies need.
    /// </summary>
    /// <param name="x">Inputs, rows×InputDim.</param>
    /// <param name="y">Targets as for <see cref="Fit"/>.</param>
    /// <returns>(∂L/∂x rows×InputDim, the loss).</returns>
    /// <exception cref="InvalidOperationException">The model is not compiled.</exception>
    public (Tensor Gradient, double Loss) InputGradient(Tensor x, Tensor y)
    {
        _ = _loss ?? throw new InvalidOperationException("Sequential.InputGradient: call Compile(loss, optimizer) first.");
        int rows = CheckInput(x, nameof(x));
        int targetWidth = CheckTargets(y, rows, nameof(y));
        Forward(x);
        double loss = LossOnLastLayer(y.Data.AsSpan(0, rows * targetWidth), rows);
        var inputGradient = new float[rows * InputDim];
        Backward(_fusedLoss is not null, inputGradient);
        return (new Tensor(inputGradient, rows, InputDim), loss);
    }
}
