namespace InitLab.Common;

/// <summary>Case-insensitive name matching with "did you mean" suggestions (Levenshtein distance).</summary>
public static class NameLookup
{
    /// <summary>Normalizes a user-typed name: lower case, '-' and ' ' become '_', a trailing '_' (PyTorch's in-place suffix) is dropped.</summary>
    /// <param name="name">The name as typed.</param>
    /// <returns>The canonical key.</returns>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
        return key.Length > 1 ? key.TrimEnd('_') : key;
    }

    /// <summary>The candidate closest to <paramref name="name"/> by edit distance, or null when nothing is close.</summary>
    /// <param name="name">What the user typed.</param>
    /// <param name="candidates">Valid names.</param>
    /// <returns>The nearest valid name, if within a third of the typed length (at least 2 edits).</returns>
    public static string? Nearest(string name, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        string key = Normalize(name);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int d = Distance(key, Normalize(candidate));
            if (d < bestDistance || (d == bestDistance && string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }

    /// <summary>Builds the standard unknown-name message.</summary>
    /// <param name="kind">What was looked up, e.g. "initializer".</param>
    /// <param name="name">What the user typed.</param>
    /// <param name="valid">The valid names.</param>
    /// <returns>"Unknown kind 'x'. Did you mean 'y'? Valid: a, b, c."</returns>
    public static string UnknownMessage(string kind, string name, IEnumerable<string> valid)
    {
        var list = valid.Order(StringComparer.Ordinal).ToList();
        string? nearest = Nearest(name, list);
        string hint = nearest is null ? string.Empty : $" Did you mean '{nearest}'?";
        return $"Unknown {kind} '{name}'.{hint} Valid: {string.Join(", ", list)}.";
    }

    /// <summary>Levenshtein edit distance.</summary>
    /// <param name="a">First string.</param>
    /// <param name="b">Second string.</param>
    /// <returns>The number of single-character insertions, deletions or substitutions.</returns>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int[] previous = new int[b.Length + 1];
        int[] current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
