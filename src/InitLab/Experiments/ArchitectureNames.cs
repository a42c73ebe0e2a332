using InitLab.Architectures;
using InitLab.Common;

namespace InitLab.Experiments;

/// <summary>The names <c>--arch</c>, <c>--norm</c> and <c>--parametrization</c> take (and the sweep settings of the same
/// names), each way round; <see cref="ResidualInits"/> has the residual inits'.</summary>
public static class ArchitectureNames
{
    private static readonly (Architecture Value, string Name)[] Architectures = [(Architecture.Mlp, "mlp"), (Architecture.ResMlp, "resmlp")];

    private static readonly (Normalization Value, string Name)[] Normalizations =
        [(Normalization.None, "none"), (Normalization.Batch, "batch"), (Normalization.Layer, "layer")];

    private static readonly (bool Value, string Name)[] Readouts = [(false, "fan_in"), (true, "zero")];

    /// <summary>Valid readout names: fan_in (the output layer drawn by its initializer, scaled by the parametrization),
    /// zero (microsoft/mup's <c>readout_zero_init</c>: kernel and bias start at 0).</summary>
    public static IReadOnlyList<string> ReadoutValues { get; } = [.. Readouts.Select(a => a.Name)];

    /// <summary>Valid architecture names: mlp, resmlp.</summary>
    public static IReadOnlyList<string> ArchitectureValues { get; } = [.. Architectures.Select(a => a.Name)];

    /// <summary>Valid normalization names: none, batch, layer.</summary>
    public static IReadOnlyList<string> NormalizationValues { get; } = [.. Normalizations.Select(a => a.Name)];

    /// <summary>Valid parametrization names: sp, ntk, mup.</summary>
    public static IReadOnlyList<string> ParametrizationValues { get; } = [.. Parametrizations.All.Select(a => a.Name)];

    /// <summary>The architecture called <paramref name="name"/>.</summary>
    /// <exception cref="UnknownNameException">Not a name; the nearest is suggested.</exception>
    public static Architecture ParseArchitecture(string name) => Parse(Architectures, "architecture", name);

    /// <summary>The normalization called <paramref name="name"/>.</summary>
    /// <exception cref="UnknownNameException">Not a name; the nearest is suggested.</exception>
    public static Normalization ParseNormalization(string name) => Parse(Normalizations, "normalization", name);

    /// <summary>The parametrization called <paramref name="name"/> (<see cref="Parametrizations.Parse"/>).</summary>
    /// <exception cref="UnknownNameException">Not a name; the nearest is suggested.</exception>
    public static Parametrization ParseParametrization(string name) => Parametrizations.Parse(name);

    /// <summary>Whether the readout called <paramref name="name"/> starts the output layer at zero.</summary>
    /// <exception cref="UnknownNameException">Not a name; the nearest is suggested.</exception>
    public static bool ParseReadoutZero(string name) => Parse(Readouts, "readout", name);

    /// <summary>A readout's name.</summary>
    public static string ReadoutName(bool zero) => zero ? "zero" : "fan_in";

    /// <summary>An architecture's name.</summary>
    public static string Name(Architecture value) => Architectures.Single(a => a.Value == value).Name;

    /// <summary>A normalization's name.</summary>
    public static string Name(Normalization value) => Normalizations.Single(a => a.Value == value).Name;

    /// <summary>A parametrization's name.</summary>
    public static string Name(Parametrization value) => Parametrizations.Name(value);

    private static T Parse<T>((T Value, string Name)[] table, string kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = NameLookup.Normalize(name);
        foreach ((T value, string known) in table)
        {
            if (known == key)
            {
                return value;
            }
        }
        throw new UnknownNameException(kind, name.Trim(), table.Select(t => t.Name), nameof(name));
    }
}
