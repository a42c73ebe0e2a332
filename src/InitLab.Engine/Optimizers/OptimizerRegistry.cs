using InitLab.Common;

namespace InitLab.Optimizers;

/// <summary>The optimizer registry (Keras names), each with Keras's default hyper-parameters unless a learning rate is given.</summary>
public static class OptimizerRegistry
{
    private static readonly Dictionary<string, Func<double?, double, double, Optimizer>> s_factories = new(StringComparer.Ordinal)
    {
        ["sgd"] = (lr, wd, l2) => new Sgd(lr ?? 0.01, weightDecay: wd, l2: l2),
        ["momentum"] = (lr, wd, l2) => new Sgd(lr ?? 0.01, momentum: 0.9, weightDecay: wd, l2: l2),
        ["nesterov"] = (lr, wd, l2) => new Sgd(lr ?? 0.01, momentum: 0.9, nesterov: true, weightDecay: wd, l2: l2),
        ["adagrad"] = (lr, wd, l2) => new Adagrad(lr ?? 0.001, weightDecay: wd, l2: l2),
        ["rmsprop"] = (lr, wd, l2) => new RmsProp(lr ?? 0.001, weightDecay: wd, l2: l2),
        ["adam"] = (lr, wd, l2) => new Adam(lr ?? 0.001, weightDecay: wd, l2: l2),
    };

    /// <summary>The names.</summary>
    public static IReadOnlyCollection<string> Names => s_factories.Keys;

    /// <summary>Resolves an optimizer.</summary>
    /// <param name="name">sgd, momentum (μ = 0.9), nesterov (μ = 0.9), adagrad, rmsprop or adam.</param>
    /// <param name="learningRate">Learning rate, or null for the Keras default.</param>
    /// <param name="weightDecay">Decoupled weight decay λ on kernels, w ← w − lr·λ·w (Keras 3 <c>weight_decay</c>, AdamW); 0 is off.</param>
    /// <param name="l2">Coupled L2 coefficient λ on kernels, the update sees g + λ·w (PyTorch <c>weight_decay</c>); 0 is off.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="UnknownNameException">The name is not registered (the message suggests the nearest).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public static Optimizer Resolve(string name, double? learningRate = null, double weightDecay = 0, double l2 = 0)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = NameLookup.Normalize(name);
        return s_factories.TryGetValue(key, out var factory)
            ? factory(learningRate, weightDecay, l2)
            : throw new UnknownNameException("optimizer", name, Names, nameof(name));
    }
}
