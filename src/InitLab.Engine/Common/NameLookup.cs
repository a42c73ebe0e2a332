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
        int bestDistance = int.MaxValue, bestLengthGap = int.MaxValue;
        foreach (string candidate in candidates)
        {
            string normalized = Normalize(candidate);
            int d = Distance(key, normalized);
            int gap = Math.Abs(normalized.Length - key.Length);
            // Ties go to the candidate of the typed length (a swap, not a deletion), then alphabetical.
            if (d < bestDistance || (d == bestDistance && (gap < bestLengthGap || (gap == bestLengthGap && string.CompareOrdinal(candidate, best) < 0))))
            {
                best = candidate;
                bestDistance = d;
                bestLengthGap = gap;
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

    /// <summary>Edit distance with adjacent transpositions (optimal string alignment): "tahn" is 1 from "tanh".</summary>
    /// <param name="a">First string.</param>
    /// <param name="b">Second string.</param>
    /// <returns>The number of single-character insertions, deletions, substitutions or adjacent swaps.</returns>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
