using System.Globalization;
using System.Text;
using InitLab.Initializers;
using InitLab.Random;
using InitLab.Tests.TestUtilities;

namespace InitLab.Tests.Initializers;

/// <summary>
/// Every field of every registry row, and what its factory builds, pinned in a reviewed snapshot: the table can be
/// rewritten (its layout, the way rows are spelled) without the catalog changing by a character.
/// </summary>
public class InitializerCatalogSnapshotTests
{
    /// <summary>Another valid value for each text parameter, so the snapshot shows which argument the factory routes it to.</summary>
    private static readonly Dictionary<string, string> s_otherText = new(StringComparer.Ordinal)
    {
        ["mode"] = "fan_out",
        ["distribution"] = "uniform",
        ["nonlinearity"] = "tanh",
        ["activation"] = "logistic",
    };

    [Fact]
    public void Entries_EveryFieldAndFactory_MatchSnapshot() =>
        Snapshot.Verify(Describe(InitializerRegistry.Entries), "InitializerCatalogSnapshotTests.Entries");

    private static string Describe(IEnumerable<InitializerInfo> entries)
    {
        var text = new StringBuilder("# Initializer registry, every row\n");
        foreach (InitializerInfo e in entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## {e.Name}\n");
            Field(text, "aliases", string.Join(" | ", e.Aliases));
            Field(text, "distribution", e.Distribution);
            Field(text, "formula", e.Formula);
            Field(text, "parameters", string.Join(" | ", e.Parameters));
            Field(text, "parameter names", string.Join(" | ", e.ParameterNames));
            Field(text, "keras", e.Keras);
            Field(text, "pytorch", e.PyTorch);
            Field(text, "suits", e.Suits);
            Field(text, "tutorial", e.Tutorial);
            Field(text, "same variance, different distribution", e.SameVarianceDifferentDistribution);
            string[] baseline = [.. e.Parameters.Where(p => !p.Contains('=', StringComparison.Ordinal)).Select(p => p + "=0.5")];
            Field(text, "creates", Build(e, baseline));
            Field(text, "fills", Fill(e.Create(InitializerParameters.Parse(baseline))));
            foreach (string parameter in e.Parameters)
            {
                string[] pair = parameter.Split('=');
                string changed = pair[0] + "=" + OtherValue(pair[0], pair.Length > 1 ? pair[1] : "0.5");
                Field(text, "creates with " + changed, Build(e, [.. baseline.Where(b => !b.StartsWith(pair[0] + "=", StringComparison.Ordinal)), changed]));
            }
        }
        return text.ToString();
    }

    private static void Field(StringBuilder text, string name, string? value) =>
        text.Append(CultureInfo.InvariantCulture, $"- {name}: {(string.IsNullOrEmpty(value) ? "(none)" : value)}\n");

    /// <summary>The initializer's type, name and config; a rejection by its exception type only, so that rewording a
    /// message does not touch the snapshot.</summary>
    private static string Build(InitializerInfo entry, string[] parameters)
    {
        try
        {
            IInitializer built = entry.Create(InitializerParameters.Parse(parameters));
            string config = string.Join(", ", built.GetConfig().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + Format(p.Value)));
            return $"{built.GetType().Name} '{built.Name}' {{{config}}}";
        }
        catch (ArgumentException ex)
        {
            return "rejected: " + ex.GetType().Name;
        }
    }

    /// <summary>A different value that every factory accepts (0 → −1, whole numbers doubled, others halved), so each
    /// line shows where the factory puts the parameter rather than a range check.</summary>
    /// <summary>The first values and the mean square of a small fill with a fixed seed: a preset's config is empty (its
    /// name fixes everything), so only its values show what it draws. Six digits: the same on every instruction set.</summary>
    private static string Fill(IInitializer initializer)
    {
        int[] shape = initializer.Name is "dirac" or "delta_orthogonal" ? [3, 3, 4, 6] : [12, 10];
        Fans fans = initializer.Name is "dirac" or "delta_orthogonal" ? new Fans(36, 54) : new Fans(12, 10);
        var weights = new float[shape.Aggregate(1, (a, b) => a * b)];
        initializer.Fill(weights, shape, fans, new Rng(7));
        double meanSquare = weights.Average(w => (double)w * w);
        return string.Join(" ", weights.Take(4).Select(w => w.ToString("G6", CultureInfo.InvariantCulture)))
            + " … mean square " + meanSquare.ToString("G6", CultureInfo.InvariantCulture);
    }

    private static string OtherValue(string name, string defaultText)
    {
        if (s_otherText.TryGetValue(name, out string? other))
        {
            return other;
        }
        double d = double.Parse(defaultText, CultureInfo.InvariantCulture);
        double changed = d == 0 ? -1 : d == Math.Round(d) ? 2 * d : d / 2;
        return changed.ToString("R", CultureInfo.InvariantCulture);
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
