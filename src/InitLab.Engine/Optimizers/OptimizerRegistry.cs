using InitLab.Common;

namespace InitLab.Optimizers;

/// <summary>The optimizer registry (Keras names), each with Keras's default hyper-parameters unless a learning rate is given.</summary>
public static class OptimizerRegistry
{
    /// <summary>Name → the optimizer's default learning rate (its class constant) and a factory given the rate.</summary>
    private static readonly Dictionary<string, (double DefaultLearningRate, Func<double, double, double, Optimizer> Create)> s_entries =
        new(StringComparer.Ordinal)
        {
            ["sgd"] = (Sgd.DefaultLearningRate, (lr, wd, l2) => new Sgd(lr, weightDecay: wd, l2: l2)),
            ["momentum"] = (Sgd.DefaultLearningRate, (lr, wd, l2) => new Sgd(lr, momentum: 0.9, weightDecay: wd, l2: l2)),
            ["nesterov"] = (Sgd.DefaultLearningRate, (lr, wd, l2) => new Sgd(lr, momentum: 0.9, nesterov: true, weightDecay: wd, l2: l2)),
            ["adagrad"] = (Adagrad.DefaultLearningRate, (lr, wd, l2) => new Adagrad(lr, weightDecay: wd, l2: l2)),
            ["rmsprop"] = (RmsProp.DefaultLearningRate, (lr, wd, l2) => new RmsProp(lr, weightDecay: wd, l2: l2)),
            ["adam"] = (Adam.DefaultLearningRate, (lr, wd, l2) => new Adam(lr, weightDecay: wd, l2: l2)),
        };

    /// <summary>The names.</summary>
    public static IReadOnlyCollection<string> Names => s_entries.Keys;

    /// <summary>Resolves an optimizer.</summary>
    /// <param name="name">sgd, momentum (μ = 0.9), nesterov (μ = 0.9), adagrad, rmsprop or adam.</param>
    /// <param name="learningRate">Learning rate, or null for the optimizer's <see cref="DefaultLearningRate"/>.</param>
    /// <param name="weightDecay">Decoupled weight decay λ on kernels, w ← w − lr·λ·w (Keras 3 <c>weight_decay</c>, AdamW); 0 is off.</param>
    /// <param name="l2">Coupled L2 coefficient λ on kernels, the update sees g + λ·w (PyTorch <c>weight_decay</c>); 0 is off.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="UnknownNameException">The name is not registered (the message suggests the nearest).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public static Optimizer Resolve(string name, double? learningRate = null, double weightDecay = 0, double l2 = 0)
    {
        var (defaultLearningRate, create) = Entry(name);
        return create(learningRate ?? defaultLearningRate, weightDecay, l2);
    }

    /// <summary>The learning rate <see cref="Resolve"/> uses when none is given: the optimizer class's
    /// <c>DefaultLearningRate</c> (Keras's default), e.g. <see cref="Sgd.DefaultLearningRate"/> for momentum.</summary>
    /// <param name="name">A registered name.</param>
    /// <returns>The default learning rate.</returns>
    /// <exception cref="UnknownNameException">The name is not registered (the message suggests the nearest).</exception>
    public static double DefaultLearningRate(string name) => Entry(name).DefaultLearningRate;

    private static (double DefaultLearningRate, Func<double, double, double, Optimizer> Create) Entry(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_entries.TryGetValue(NameLookup.Normalize(name), out var entry)
            ? entry
            : throw new UnknownNameException("optimizer", name, Names, nameof(name));
    }
}
