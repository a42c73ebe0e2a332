using InitLab.Common;

namespace InitLab.Optimizers;

/// <summary>The optimizer registry (Keras names), each with Keras's default learning rate unless one is given.</summary>
public static class OptimizerRegistry
{
    private static readonly Dictionary<string, Func<double?, double, Optimizer>> s_factories = new(StringComparer.Ordinal)
    {
        ["sgd"] = (lr, wd) => new Sgd(lr ?? 0.01, weightDecay: wd),
        ["momentum"] = (lr, wd) => new Sgd(lr ?? 0.01, momentum: 0.9, weightDecay: wd),
        ["nesterov"] = (lr, wd) => new Sgd(lr ?? 0.01, momentum: 0.9, nesterov: true, weightDecay: wd),
        ["adagrad"] = (lr, wd) => new Adagrad(lr ?? 0.001, weightDecay: wd),
        ["rmsprop"] = (lr, wd) => new RmsProp(lr ?? 0.001, weightDecay: wd),
        ["adam"] = (lr, wd) => new Adam(lr ?? 0.001, weightDecay: wd),
    };

    /// <summary>The names.</summary>
    public static IReadOnlyCollection<string> Names => s_factories.Keys;

    /// <summary>Resolves an optimizer.</summary>
    /// <param name="name">sgd, momentum (μ = 0.9), nesterov (μ = 0.9), adagrad, rmsprop or adam.</param>
    /// <param name="learningRate">Learning rate, or null for the Keras default.</param>
    /// <param name="weightDecay">L2 coefficient.</param>
    /// <returns>The optimizer.</returns>
    public static Optimizer Resolve(string name, double? learningRate = null, double weightDecay = 0)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = NameLookup.Normalize(name);
        return s_factories.TryGetValue(key, out var factory)
            ? factory(learningRate, weightDecay)
            : throw new UnknownNameException("optimizer", name, Names, nameof(name));
    }
}
