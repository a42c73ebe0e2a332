namespace InitLab.Sweeps.Definition;

/// <summary>One varied setting of a sweep and its values, in the order they are run.</summary>
/// <param name="Name">The setting (see <see cref="SweepSettings"/>).</param>
/// <param name="Values">Its canonical values, at least two, no repeats.</param>
public sealed record SweepAxis(string Name, IReadOnlyList<string> Values);
