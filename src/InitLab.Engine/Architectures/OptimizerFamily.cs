namespace InitLab.Architectures;

/// <summary>
/// How an optimizer's step responds to the gradient's scale, which decides μP's and NTK's learning-rate multipliers
/// (microsoft/mup: <c>MuSGD</c> for "SGD-like", <c>MuAdam</c> for "Adam-like" optimizers).
/// </summary>
public enum OptimizerFamily
{
    /// <summary>The step is proportional to the gradient: sgd, momentum, nesterov.</summary>
    Sgd,

    /// <summary>The step is normalized entrywise, so about lr whatever the gradient's size: adam, rmsprop, adagrad.</summary>
    Adaptive,
}
