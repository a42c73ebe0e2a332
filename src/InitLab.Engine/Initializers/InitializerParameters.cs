using System.Globalization;

namespace InitLab.Initializers;

/// <summary>Named parameters for a registry factory (from a JSON config or "key=value" text), with the checks that
/// turn a typo or a wrong type into a clear error.</summary>
public sealed class InitializerParameters
{
    private readonly Dictionary<string, object> _values;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Creates the parameter set.</summary>
    /// <param name="values">Name → double, int or string.</param>
    public InitializerParameters(IReadOnlyDictionary<string, object>? values = null)
    {
        _values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var pair in values ?? new Dictionary<string, object>())
        {
            _values[pair.Key.Trim().ToLowerInvariant()] = pair.Value;
        }
    }

    /// <summary>No parameters.</summary>
    public static InitializerParameters None => new();

    /// <summary>Parses "key=value" pairs.</summary>
    /// <param name="pairs">The pairs.</param>
    /// <returns>The parameters (values stay text until read).</returns>
    public static InitializerParameters Parse(IEnumerable<string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"Initializer parameter '{pair}' is not of the form key=value (e.g. gain=2).", nameof(pairs));
            }
            string key = pair[..eq].Trim();
            if (values.TryGetValue(key, out object? earlier))
            {
                // A repeated key is a typo or a leftover; silently keeping the last one hides it.
                throw new ArgumentException($"Initializer parameter '{key}' is given twice ({key}={earlier} and {pair.Trim()}); give it once.", nameof(pairs));
            }
            values[key] = pair[(eq + 1)..].Trim();
        }
        return new InitializerParameters(values);
    }

    /// <summary>Reads a number.</summary>
    /// <param name="name">Parameter name (first of its spellings).</param>
    /// <param name="defaultValue">Value when absent.</param>
    /// <param name="otherNames">Other accepted spellings (e.g. "stddev" for "std").</param>
    /// <returns>The value.</returns>
    public double Number(string name, double defaultValue, params string[] otherNames)
    {
        ArgumentNullException.ThrowIfNull(otherNames);
        foreach (string key in otherNames.Prepend(name))
        {
            if (_values.TryGetValue(key, out object? raw))
            {
                _used.Add(key);
                return raw switch
                {
                    double d => d,
                    int i => i,
                    float f => f,
                    long l => l,
                    string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
                    _ => throw new ArgumentException($"Initializer parameter '{key}' must be a number, got '{raw}'.", key),
                };
            }
        }
        return defaultValue;
    }

    /// <summary>Reads a required number.</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="initializer">The initializer (for the message).</param>
    /// <returns>The value.</returns>
    public double RequiredNumber(string name, string initializer)
    {
        double value = Number(name, double.NaN);
        return double.IsNaN(value) && !_values.ContainsKey(name)
            ? throw new ArgumentException($"{initializer}: parameter '{name}' is required (e.g. {name}=0.9).", name)
            : value;
    }

    /// <summary>Reads a whole number.</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="defaultValue">Value when absent.</param>
    /// <returns>The value.</returns>
    public int WholeNumber(string name, int defaultValue)
    {
        double value = Number(name, defaultValue);
        return value == Math.Floor(value) && value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new ArgumentException($"Initializer parameter '{name}' must be a whole number, got {value.ToString(CultureInfo.InvariantCulture)}.", name);
    }

    /// <summary>Reads a text value.</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="defaultValue">Value when absent.</param>
    /// <returns>The value.</returns>
    public string Text(string name, string defaultValue)
    {
        if (_values.TryGetValue(name, out object? raw))
        {
            _used.Add(name);
            return Convert.ToString(raw, CultureInfo.InvariantCulture) ?? defaultValue;
        }
        return defaultValue;
    }

    /// <summary>Reads a fan mode ("fan_in", "fan_out", "fan_avg").</summary>
    /// <param name="defaultValue">Value when absent.</param>
    /// <returns>The mode.</returns>
    public FanMode Mode(FanMode defaultValue)
    {
        const string parameter = "mode";
        string text = Text(parameter, Initializer.ModeName(defaultValue)).ToLowerInvariant();
        return text switch
        {
            "fan_in" or "fanin" => FanMode.FanIn,
            "fan_out" or "fanout" => FanMode.FanOut,
            "fan_avg" or "fanavg" => FanMode.FanAvg,
            _ => throw new ArgumentOutOfRangeException(ParameterName(parameter), text, $"mode must be fan_in, fan_out or fan_avg, got '{text}'."),
        };
    }

    /// <summary>Reads a distribution name with Keras's meanings ("normal" is the legacy name of truncated_normal).</summary>
    /// <param name="defaultValue">Value when absent.</param>
    /// <returns>The distribution.</returns>
    public Distribution Distribution(Distribution defaultValue)
    {
        const string parameter = "distribution";
        string text = Text(parameter, VarianceScaling.DistributionName(defaultValue)).ToLowerInvariant();
        return text switch
        {
            "truncated_normal" or "normal" => Initializers.Distribution.TruncatedNormal,
            "untruncated_normal" => Initializers.Distribution.UntruncatedNormal,
            "uniform" => Initializers.Distribution.Uniform,
            _ => throw new ArgumentOutOfRangeException(ParameterName(parameter), text,
                $"distribution must be truncated_normal, untruncated_normal or uniform (Keras: 'normal' means truncated_normal), got '{text}'."),
        };
    }

    // The exception's ParamName is the initializer's parameter (what the user typed), not this method's.
    private static string ParameterName(string name) => name;

    /// <summary>Throws when a parameter was given that the initializer does not take.</summary>
    /// <param name="initializer">Its name.</param>
    /// <param name="accepted">The parameters it takes.</param>
    public void RejectUnused(string initializer, IReadOnlyList<string> accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        foreach (string key in _values.Keys.Order(StringComparer.Ordinal))
        {
            if (!_used.Contains(key))
            {
                string valid = accepted.Count == 0 ? "it takes no parameters" : "valid: " + string.Join(", ", accepted);
                throw new ArgumentException($"{initializer}: unknown parameter '{key}'; {valid}.", key);
            }
        }
    }
}
