using System.Globalization;

namespace InitLab.Sweeps.Analysis;

/// <summary>A setting whose value varies across the trials of a sweep as found in its results (the definition's axes are
/// <see cref="Definition.SweepAxis"/>), with its values in display order.</summary>
/// <param name="Name">The setting's name (e.g. <c>depth</c>, <c>init</c>, <c>sigma-w2</c>).</param>
/// <param name="Values">Distinct values: ascending by number when every value is a number, else ordinal.</param>
/// <param name="IsNumeric">Whether every value parses as an invariant-culture number.</param>
public sealed record ObservedAxis(string Name, IReadOnlyList<string> Values, bool IsNumeric)
{
    /// <summary>The value as a number (NaN when it is not one).</summary>
    /// <param name="value">A value of this or any axis.</param>
    /// <returns>The number.</returns>
    public static double Number(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) ? number : double.NaN;

    /// <summary>Orders values the way an axis shows them.</summary>
    /// <param name="name">Axis name.</param>
    /// <param name="values">Values (duplicates allowed).</param>
    /// <returns>The axis.</returns>
    public static ObservedAxis Of(string name, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        string[] distinct = [.. values.Distinct(StringComparer.Ordinal)];
        bool numeric = distinct.Length > 0 && distinct.All(v => double.IsFinite(Number(v)));
        string[] ordered = numeric
            ? [.. distinct.OrderBy(Number).ThenBy(v => v, StringComparer.Ordinal)]
            : [.. distinct.OrderBy(v => v, StringComparer.Ordinal)];
        return new ObservedAxis(name, ordered, numeric);
    }
}
