using System.Reflection;

namespace InitLab.Models;

/// <summary>How a saved model was made: the training settings by name and the scores it reported.</summary>
public sealed record ModelProvenance
{
    /// <summary>What wrote the model (library name and version).</summary>
    public string CreatedBy { get; init; } = "InitLab " +
        (typeof(ModelProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");

    /// <summary>The training settings, by name (data, data options, layers, initializers, loss, optimizer, epochs,
    /// seeds…), as invariant-culture text; enough to reload the same split and rerun the same training.</summary>
    public IReadOnlyDictionary<string, string> Training { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The final scores on the training split, as reported.</summary>
    public ModelEvaluation? TrainMetrics { get; init; }

    /// <summary>The final scores on the test split, as reported.</summary>
    public ModelEvaluation? TestMetrics { get; init; }
}
