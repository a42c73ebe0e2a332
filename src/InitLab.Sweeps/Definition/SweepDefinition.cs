using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InitLab.Sweeps.Definition;

/// <summary>A sweep's grid: the varied settings (axes), the settings every trial shares (fixed), and the seeds.</summary>
/// <remarks>
/// <para>Expansion order (<see cref="Expand"/>): seeds outermost, so the whole grid runs once with the first seed before
/// any second seed (a half-finished sweep already covers every cell); inside one seed, the axes in their order with the
/// last axis varying fastest (like an odometer). The order decides only which trial is claimed first: a trial's identity
/// is its settings and seed.</para>
/// <para>Axes come in the order given (a spec file's order; for flags, the order they were typed in). A
/// setting with one value is fixed, not an axis. Every value is checked and made canonical by <see cref="SweepSettings"/>.</para>
/// </remarks>
public sealed record SweepDefinition
{
    /// <summary>The largest sweep one definition may expand to (a typo such as "--depth 1,2,…,10000" × 100 seeds is refused before any work).</summary>
    public const long MaxTrials = 1_000_000;

    private SweepDefinition(IReadOnlyList<SweepAxis> axes, IReadOnlyDictionary<string, string> @fixed, IReadOnlyList<ulong> seeds, long trialCount)
    {
        Axes = axes;
        Fixed = @fixed;
        Seeds = seeds;
        TrialCount = trialCount;
    }

    /// <summary>The varied settings, in expansion order.</summary>
    public IReadOnlyList<SweepAxis> Axes { get; }

    /// <summary>Settings every trial shares, by name (sorted).</summary>
    public IReadOnlyDictionary<string, string> Fixed { get; }

    /// <summary>The seeds every configuration runs with.</summary>
    public IReadOnlyList<ulong> Seeds { get; }

    /// <summary>Configurations × seeds.</summary>
    public long TrialCount { get; }

    /// <summary>Configurations (the product of the axes' lengths).</summary>
    public long ConfigurationCount => TrialCount / Seeds.Count;

    /// <summary>Builds and checks a definition.</summary>
    /// <param name="settings">Setting name → its values, in axis order (one value: fixed; several: an axis).</param>
    /// <param name="seeds">The seeds (at least one, no repeats).</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException">An unknown setting (nearest suggested), a bad or repeated value, settings that
    /// exclude each other, no seeds, or more than <see cref="MaxTrials"/> trials.</exception>
    public static SweepDefinition Create(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> settings, IReadOnlyList<ulong> seeds)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(seeds);
        var axes = new List<SweepAxis>();
        var @fixed = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string rawName, IReadOnlyList<string> rawValues) in settings)
        {
            string name = SweepSettings.Known(rawName);
            if (!seen.Add(name))
            {
                throw new ArgumentException($"{name}: given twice; give all its values once (e.g. {name}: [a, b]).", name);
            }
            ArgumentNullException.ThrowIfNull(rawValues, name);
            if (rawValues.Count == 0)
            {
                throw new ArgumentException($"{name}: no values; give at least one.", name);
            }
            var values = new List<string>();
            foreach (string raw in rawValues)
            {
                string value = SweepSettings.Canonical(name, raw);
                if (values.Contains(value))
                {
                    throw new ArgumentException($"{name}: the value '{raw}' is given twice (as '{value}'); a repeated value would run the same trials twice.", name);
                }
                values.Add(value);
            }
            if (values.Count == 1)
            {
                @fixed[name] = values[0];
            }
            else
            {
                axes.Add(new SweepAxis(name, values));
            }
        }
        SweepSettings.CheckCombination(seen);
        if (seeds.Count == 0)
        {
            throw new ArgumentException("seeds: none given; give a count (seeds 1..S) or a list.", nameof(seeds));
        }
        if (seeds.Distinct().Count() != seeds.Count)
        {
            throw new ArgumentException($"seeds: {string.Join(",", seeds)} repeats a seed; each seed must appear once.", nameof(seeds));
        }
        long count = seeds.Count;
        foreach (SweepAxis axis in axes)
        {
            count = count > MaxTrials ? count : checked(count * axis.Values.Count);
        }
        if (count > MaxTrials)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"the sweep has {(count > MaxTrials ? "more than " + MaxTrials.ToString("N0", CultureInfo.InvariantCulture) : count)} trials " +
                $"({string.Join(" × ", axes.Select(a => $"{a.Values.Count} {a.Name}").Append($"{seeds.Count} seeds"))}); the limit is {MaxTrials:N0}. Split it into several sweeps."));
        }
        return new SweepDefinition(axes, @fixed, [.. seeds], count);
    }

    /// <summary>Seeds 1..count.</summary>
    /// <param name="count">How many (≥ 1).</param>
    /// <returns>1, 2, …, count.</returns>
    public static IReadOnlyList<ulong> SeedRange(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return [.. Enumerable.Range(1, count).Select(i => (ulong)i)];
    }

    /// <summary>Every trial, in the documented order (see the remarks).</summary>
    /// <returns>The trials, lazily.</returns>
    public IEnumerable<TrialSpec> Expand()
    {
        var index = new int[Axes.Count];
        foreach (ulong seed in Seeds)
        {
            Array.Clear(index);
            while (true)
            {
                var settings = new Dictionary<string, string>(Fixed, StringComparer.Ordinal);
                for (int a = 0; a < Axes.Count; a++)
                {
                    settings[Axes[a].Name] = Axes[a].Values[index[a]];
                }
                yield return new TrialSpec(settings, seed);
                int carry = Axes.Count - 1;
                while (carry >= 0 && ++index[carry] == Axes[carry].Values.Count)
                {
                    index[carry] = 0;
                    carry--;
                }
                if (carry < 0)
                {
                    break;
                }
            }
        }
    }

    /// <summary>The definition as JSON: <c>{"axes":[{"name":…,"values":[…]}],"fixed":{…},"seeds":[…]}</c> (stored with the sweep).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        var root = new JsonObject
        {
            ["axes"] = new JsonArray([.. Axes.Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Name,
                ["values"] = new JsonArray([.. a.Values.Select(v => (JsonNode?)JsonValue.Create(v))]),
            })]),
            ["fixed"] = new JsonObject(Fixed.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            ["seeds"] = new JsonArray([.. Seeds.Select(s => (JsonNode?)JsonValue.Create(s))]),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
