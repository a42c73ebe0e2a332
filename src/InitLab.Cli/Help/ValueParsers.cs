using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace InitLab.Cli.Help;

/// <summary>
/// Gives every numeric flag a parser whose error names the flag, the value and the kind of value expected
/// ("--epochs: expected a whole number, got 'ten'"), instead of System.CommandLine's "as expected type 'System.Int32'".
/// Attached once to the whole command tree, so new commands get it without doing anything.
/// </summary>
internal static class ValueParsers
{
    public static void Attach(Command command)
    {
        foreach (Option option in command.Options)
        {
            switch (option)
            {
                case Option<int> o:
                    o.CustomParser = r => Parse<int>(r, o.Name, NumberStyles.Integer, int.TryParse) ?? default;
                    break;
                case Option<int?> o:
                    o.CustomParser = r => Parse<int>(r, o.Name, NumberStyles.Integer, int.TryParse);
                    break;
                case Option<long> o:
                    o.CustomParser = r => Parse<long>(r, o.Name, NumberStyles.Integer, long.TryParse) ?? default;
                    break;
                case Option<ulong> o:
                    o.CustomParser = r => Parse<ulong>(r, o.Name, NumberStyles.None, ulong.TryParse) ?? default;
                    break;
                case Option<double> o:
                    o.CustomParser = r => Parse<double>(r, o.Name, NumberStyles.Float, double.TryParse) ?? default;
                    break;
                case Option<double?> o:
                    o.CustomParser = r => Parse<double>(r, o.Name, NumberStyles.Float, double.TryParse);
                    break;
                default:
                    break;
            }
        }
        foreach (Command sub in command.Subcommands)
        {
            Attach(sub);
        }
    }

    private delegate bool TryParse<T>(string text, NumberStyles styles, IFormatProvider provider, out T value);

    private static T? Parse<T>(ArgumentResult result, string flag, NumberStyles styles, TryParse<T> tryParse)
        where T : struct
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (tryParse(text, styles, CultureInfo.InvariantCulture, out T value))
        {
            return value;
        }
        bool integer = typeof(T) == typeof(int) || typeof(T) == typeof(long) || typeof(T) == typeof(ulong);
        string expected = integer && LooksNumeric(text)
            ? string.Create(CultureInfo.InvariantCulture, $"a whole number from {Min<T>()} to {Max<T>()}")
            : ValueWords.For(typeof(T));
        result.AddError($"{flag}: expected {expected}, got '{text}'.");
        return null;
    }

    private static bool LooksNumeric(string text) => text.Length > 0 && text.All(c => char.IsAsciiDigit(c) || c is '-' or '+' or '.' or 'e' or 'E');

    private static object Min<T>() => typeof(T) == typeof(int) ? int.MinValue : typeof(T) == typeof(long) ? long.MinValue : 0UL;

    private static object Max<T>() => typeof(T) == typeof(int) ? int.MaxValue : typeof(T) == typeof(long) ? long.MaxValue : ulong.MaxValue;
}
