namespace InitLab.Initializers;

/// <summary>One row of the initializer registry: what a name means, where it comes from, and how to build it.</summary>
/// <param name="Name">Canonical snake_case name.</param>
/// <param name="Aliases">Other accepted names (Keras class names, PyTorch functions, …), each with the same distribution.</param>
/// <param name="Distribution">Family: uniform, normal, truncated normal, constant, structured, data-dependent.</param>
/// <param name="Formula">The exact formula.</param>
/// <param name="Parameters">Parameter names with their defaults, e.g. "gain=1".</param>
/// <param name="Keras">Keras counterpart ("—" if none).</param>
/// <param name="PyTorch">PyTorch counterpart ("—" if none).</param>
/// <param name="Suits">When to use it (activation), or why not.</param>
/// <param name="Tutorial">The tutorial's wording for it, if it has one.</param>
/// <param name="Create">Factory from parameters.</param>
public sealed record InitializerInfo(
    string Name,
    IReadOnlyList<string> Aliases,
    string Distribution,
    string Formula,
    IReadOnlyList<string> Parameters,
    string Keras,
    string PyTorch,
    string Suits,
    string? Tutorial,
    Func<InitializerParameters, IInitializer> Create)
{
    /// <summary>
    /// The other entry with the same variance but a different distribution, and how they differ (e.g. he_normal is
    /// truncated, kaiming_normal is not): the pairs users confuse. Null when there is none. Starts with the other
    /// entry's canonical name (parameters in parentheses when they are needed).
    /// </summary>
    public string? SameVarianceDifferentDistribution { get; init; }

    /// <summary>Parameter names without defaults.</summary>
    public IReadOnlyList<string> ParameterNames => [.. Parameters.Select(p => p.Split('=')[0])];
}
