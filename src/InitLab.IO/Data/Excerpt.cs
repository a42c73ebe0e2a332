using System.Globalization;

namespace InitLab.Data;

/// <summary>Quotes a cell or a column name inside an error message, cut to <see cref="MaxChars"/> characters: a file
/// can hold a 5-million-character cell, and an error that echoes it whole is no longer one readable line.</summary>
internal static class Excerpt
{
    /// <summary>At most this many characters of the text are shown.</summary>
    public const int MaxChars = 40;

    /// <summary>'text', or 'the first 40 characters…' (N characters) when it is longer.</summary>
    public static string Quote(string text) => Cut(text, "'");

    /// <summary>text, or the first 40 characters… (N characters) when it is longer (for numbers, shown unquoted).</summary>
    public static string Bare(string text) => Cut(text, string.Empty);

    private static string Cut(string text, string quote)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= MaxChars)
        {
            return quote + text + quote;
        }
        // Never cut a surrogate pair in half.
        int cut = char.IsHighSurrogate(text[MaxChars - 1]) ? MaxChars - 1 : MaxChars;
        return string.Create(CultureInfo.InvariantCulture, $"{quote}{text[..cut]}…{quote} ({text.Length} characters)");
    }
}
