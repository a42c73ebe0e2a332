namespace InitLab.Layers;

/// <summary>How a convolution treats the border (Keras's <c>padding</c> argument).</summary>
public enum ConvolutionPadding
{
    /// <summary>"valid": no padding; the window stays inside the image, out = ⌊(n − k_eff)/s⌋ + 1.</summary>
    Valid,

    /// <summary>"same": out = ⌈n/s⌉, zero padding max((out − 1)·s + k_eff − n, 0) split with the extra one after
    /// (bottom/right), as TensorFlow and Keras do (k_eff = (k − 1)·d + 1).</summary>
    Same,
}
