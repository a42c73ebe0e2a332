namespace InitLab.Training;

/// <summary>The loss became NaN or infinite: training stopped instead of producing a NaN model.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception with the full diagnosis.</summary>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="step">0-based step within the epoch.</param>
    /// <param name="loss">The non-finite loss.</param>
    /// <param name="lastFiniteLoss">The last finite batch loss (NaN if none).</param>
    /// <param name="layer">The layer with the largest gradient norm in the last backward pass.</param>
    /// <param name="gradientNorm">That norm.</param>
    public TrainingDivergedException(int epoch, int step, double loss, double lastFiniteLoss, string layer, double gradientNorm)
        : base(FormattableString.Invariant(
            $"Training diverged at epoch {epoch}, step {step}: loss became {(double.IsNaN(loss) ? "NaN" : loss.ToString("G3", System.Globalization.CultureInfo.InvariantCulture))} ") +
            FormattableString.Invariant($"(last finite {lastFiniteLoss:G3}; largest gradient norm {gradientNorm:G3} in '{layer}'). ") +
            "Try a smaller learning rate, or an initializer matched to the activation (he_normal for ReLU, glorot_uniform for tanh/sigmoid).")
    {
        Epoch = epoch;
        Step = step;
        LastFiniteLoss = lastFiniteLoss;
        Layer = layer;
        GradientNorm = gradientNorm;
    }

    /// <summary>Creates an empty exception.</summary>
    public TrainingDivergedException()
        : this("Training diverged.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TrainingDivergedException(string message)
        : base(message)
    {
        Layer = string.Empty;
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Layer = string.Empty;
    }

    /// <summary>1-based epoch.</summary>
    public int Epoch { get; }

    /// <summary>0-based step within the epoch.</summary>
    public int Step { get; }

    /// <summary>Last finite batch loss.</summary>
    public double LastFiniteLoss { get; }

    /// <summary>Layer with the largest gradient norm.</summary>
    public string Layer { get; }

    /// <summary>Its gradient norm.</summary>
    public double GradientNorm { get; }
}
