using System.CommandLine;
using System.Globalization;
using InitLab.Cli.Errors;

namespace InitLab.Cli.Commands;

/// <summary>Parsing and range checks for flag values, with messages that name the flag, the value and the valid range.</summary>
/// <remarks>
/// A flag's range is checked once, by the parser: each option carries its rule through <see cref="Check{T}"/>, so a
/// bad value is one usage error (exit 2) naming the flag before anything runs, and a command body reads the value as
/// already checked and does not check it again. The library still checks the same values at its public boundary
/// (e.g. <c>Optimizer</c>'s learning rate) for library callers; for a value that came through a flag that check
/// cannot fire. Sweep settings (<c>initlab sweep --lr …</c>) are strings checked by the library's
/// <c>SweepSettings</c>, which the sweep commands map back to the flag's name.
/// </remarks>
internal static class Flags
{
    public static IReadOnlyList<int> ParseWidths(string flag, string text)
    {
        var widths = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int width) || width < 1)
            {
                throw new CliUsageException($"{flag}: '{part}' in '{text}' is not a whole number >= 1 (e.g. {flag} 2,32,32,1).");
            }
            widths.Add(width);
        }
        return widths;
    }

    /// <summary>For <see cref="Check{T}"/>: null when the value is finite and > 0, else what is wrong.</summary>
    public static string? PositiveFiniteProblem(double value) =>
        value > 0 && double.IsFinite(value) ? null : string.Create(CultureInfo.InvariantCulture, $"got {value}; it must be a finite number > 0.");

    /// <summary>For <see cref="Check{T}"/>: null when the value is finite and ≥ 0 (a coefficient that 0 switches off).</summary>
    public static string? NonNegativeFiniteProblem(double value) =>
        value >= 0 && double.IsFinite(value) ? null : string.Create(CultureInfo.InvariantCulture, $"got {value}; it must be a finite number >= 0 (0 is off).");

    /// <summary>For <see cref="Check{T}"/>: null when the value is at least <paramref name="minimum"/>, else what is wrong.</summary>
    public static string? AtLeastProblem(int value, int minimum) =>
        value >= minimum ? null : $"got {value}; it must be a whole number >= {minimum}.";

    /// <summary>The most kernel threads a run may ask for. Results are identical for any count and a GEMM splits into at
    /// most a few hundred blocks, so more threads than this only add start-up cost: 100000 is a typo, not a request.</summary>
    public const int MaxThreads = 1024;

    /// <summary>For <see cref="Check{T}"/>: null when the thread count is from 1 to <see cref="MaxThreads"/>.</summary>
    public static string? ThreadsProblem(int value) =>
        value is >= 1 and <= MaxThreads ? null
            : string.Create(CultureInfo.InvariantCulture, $"got {value}; it must be a whole number from 1 to {MaxThreads} (this machine has {Environment.ProcessorCount} cores).");

    /// <summary>For <see cref="Check{T}"/>: null when the value is in [0, 1) or (0, 1), else what is wrong.</summary>
    public static string? FractionProblem(double value, bool allowZero) =>
        (allowZero ? value >= 0 : value > 0) && value < 1
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"got {value}; it must be in {(allowZero ? "[0, 1)" : "(0, 1)")}.");

    /// <summary>Checks a flag's value at parse time, so a bad value is a usage error before anything runs; the
    /// message is prefixed with the flag's name.</summary>
    public static Option<T> Check<T>(this Option<T> option, Func<T, string?> problem)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0)
            {
                return;
            }
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return; // the value did not parse; that error (from ValueParsers) is already reported
            }
            if (problem(value) is string message)
            {
                result.AddError($"{option.Name}: {message}");
            }
        });
        return option;
    }
}
