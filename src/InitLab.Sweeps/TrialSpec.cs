using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace InitLab.Sweeps;

/// <summary>One point of a sweep's grid: the training settings by name (the <c>initlab train</c> flag names without
/// the dashes, e.g. <c>init</c>, <c>activation</c>, <c>depth</c>, <c>width</c>, <c>lr</c>, <c>sigma-w2</c>) and the seed.</summary>
/// <remarks>The identity of a trial is (sweep, <see cref="ConfigHash"/>, <see cref="Seed"/>): the hash covers the settings
/// only, so the seeds of one configuration share a hash and can be grouped, and a store's unique key on the triple makes
/// the same trial impossible to add or run twice.</remarks>
public sealed record TrialSpec
{
    /// <summary>Creates a trial from its settings and seed.</summary>
    /// <param name="settings">Setting name → invariant-culture value; names are case-sensitive and must be non-empty.</param>
    /// <param name="seed">Seed of the weights and the shuffling.</param>
    public TrialSpec(IReadOnlyDictionary<string, string> settings, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, string value) in settings)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Contains('=', StringComparison.Ordinal) || key.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException($"settings: a setting name must be non-empty and contain no '=' or newline; got '{key}'.", nameof(settings));
            }
            ArgumentNullException.ThrowIfNull(value);
            if (value.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException($"settings: the value of '{key}' contains a newline.", nameof(settings));
            }
            sorted[key] = value;
        }
        Settings = sorted;
        Seed = seed;
        ConfigHash = HashOf(sorted);
    }

    /// <summary>The settings, sorted by name (ordinal).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Seed of the weights and the shuffling.</summary>
    public ulong Seed { get; }

    /// <summary>32 lowercase hex digits: XxHash128 of the canonical settings text (<see cref="CanonicalText"/>), seed excluded.</summary>
    public string ConfigHash { get; }

    /// <summary>The settings as "name=value" lines sorted by name, each ending in '\n': what <see cref="ConfigHash"/> hashes.</summary>
    /// <returns>The canonical text.</returns>
    public string CanonicalText() => Canonical(Settings);

    /// <summary>The value of a setting, or null when the trial does not set it.</summary>
    /// <param name="name">Setting name.</param>
    /// <returns>The value or null.</returns>
    public string? this[string name] => Settings.TryGetValue(name, out string? value) ? value : null;

    /// <inheritdoc/>
    public bool Equals(TrialSpec? other) => other is not null && other.Seed == Seed && other.ConfigHash == ConfigHash
        && other.CanonicalText() == CanonicalText();

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ConfigHash, Seed);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join(' ', Settings.Select(kv => $"{kv.Key}={kv.Value}"))} seed={Seed}");

    private static string Canonical(IReadOnlyDictionary<string, string> sorted)
    {
        var text = new StringBuilder();
        foreach ((string key, string value) in sorted)
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }
        return text.ToString();
    }

    private static string HashOf(IReadOnlyDictionary<string, string> sorted) =>
        Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(Canonical(sorted))));
}
