using System.Globalization;

namespace InitLab.Diagnostics;

/// <summary>A per-layer finding: which layer, what kind, and its value (for the range shown when layers are grouped).</summary>
/// <param name="Index">0-based layer index.</param>
/// <param name="Layer">Layer name.</param>
/// <param name="Kind">What was found; consecutive layers with the same kind are reported together.</param>
/// <param name="Value">The measured value.</param>
internal readonly record struct LayerFinding(int Index, string Layer, string Kind, double Value);

/// <summary>Turns per-layer findings into lines, one per run of consecutive layers with the same kind, so twenty identical
/// warnings read as one ("dense_2 to dense_19 (18 layers): …").</summary>
internal static class LayerRuns
{
    /// <param name="findings">Findings in any order.</param>
    /// <param name="format">(kind, where, smallest value, largest value) → the line.</param>
    public static IReadOnlyList<string> Group(IEnumerable<LayerFinding> findings, Func<string, string, double, double, string> format)
    {
        var lines = new List<string>();
        foreach (var kind in findings.GroupBy(f => f.Kind))
        {
            var sorted = kind.OrderBy(f => f.Index).ToList();
            int start = 0;
            for (int i = 1; i <= sorted.Count; i++)
            {
                if (i < sorted.Count && sorted[i].Index == sorted[i - 1].Index + 1)
                {
                    continue;
                }
                var run = sorted.GetRange(start, i - start);
                string where = run.Count == 1
                    ? run[0].Layer
                    : string.Create(CultureInfo.InvariantCulture, $"{run[0].Layer} to {run[^1].Layer} ({run.Count} layers)");
                lines.Add(format(kind.Key, where, run.Min(f => f.Value), run.Max(f => f.Value)));
                start = i;
            }
        }
        return lines;
    }
}
