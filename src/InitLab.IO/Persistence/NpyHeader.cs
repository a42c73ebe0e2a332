using System.Globalization;
using InitLab.Data;

namespace InitLab.Persistence;

/// <summary>
/// The header dict of a .npy file, parsed strictly: exactly the keys <c>descr</c>, <c>fortran_order</c> and
/// <c>shape</c> (any order, each once), a quoted dtype string, <c>True</c>/<c>False</c>, and a tuple of non-negative
/// integers; trailing spaces and one final newline. Nothing is evaluated: numpy uses <c>ast.literal_eval</c>, this
/// accepts only the literal forms numpy writes.
/// </summary>
internal sealed class NpyHeader
{
    private readonly string _text;
    private readonly string _source;
    private int _at;

    private NpyHeader(string text, string source)
    {
        _text = text;
        _source = source;
    }

    public string Descr { get; private set; } = string.Empty;

    public bool FortranOrder { get; private set; }

    public int[] Shape { get; private set; } = [];

    public int ItemSize => Descr[2] == '4' ? 4 : 8;

    public bool BigEndian => Descr[0] == '>';

    public static NpyHeader Parse(string text, string source)
    {
        var header = new NpyHeader(text, source);
        header.ParseDict();
        return header;
    }

    private void ParseDict()
    {
        if (_text.Length == 0 || _text[^1] != '\n')
        {
            throw Error("does not end with a newline");
        }
        SkipSpaces();
        Expect('{');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpaces();
            if (Peek() == '}')
            {
                _at++;
                break;
            }
            string key = ReadString();
            if (!seen.Add(key))
            {
                throw Error($"gives the key '{key}' twice");
            }
            SkipSpaces();
            Expect(':');
            SkipSpaces();
            switch (key)
            {
                case "descr":
                    Descr = ReadString();
                    if (Descr is not ("<f4" or "<f8" or ">f4" or ">f8"))
                    {
                        throw Error($"has dtype '{Descr}'; only float32 and float64 ('<f4', '<f8', '>f4', '>f8') are read");
                    }
                    break;
                case "fortran_order":
                    FortranOrder = ReadBool();
                    break;
                case "shape":
                    Shape = ReadShape();
                    break;
                default:
                    throw Error($"has the key '{key}'; a .npy header has exactly 'descr', 'fortran_order' and 'shape'");
            }
            SkipSpaces();
            if (Peek() == ',')
            {
                _at++;
            }
            else if (Peek() != '}')
            {
                throw Error(Describe("',' or '}'"));
            }
        }
        foreach (string required in (string[])["descr", "fortran_order", "shape"])
        {
            if (!seen.Contains(required))
            {
                throw Error($"has no '{required}' key");
            }
        }
        for (; _at < _text.Length - 1; _at++)
        {
            if (_text[_at] != ' ')
            {
                throw Error(Describe("spaces after the dict"));
            }
        }
    }

    private int[] ReadShape()
    {
        Expect('(');
        var dims = new List<int>();
        while (true)
        {
            SkipSpaces();
            if (Peek() == ')')
            {
                _at++;
                break;
            }
            int start = _at;
            while (_at < _text.Length && char.IsAsciiDigit(_text[_at]))
            {
                _at++;
            }
            if (start == _at)
            {
                throw Error(Describe("a non-negative integer in the shape"));
            }
            string digits = _text[start.._at];
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int d))
            {
                throw Error($"has the dimension {digits} in its shape; a dimension is at most {int.MaxValue}");
            }
            dims.Add(d);
            SkipSpaces();
            if (Peek() == ',')
            {
                _at++;
            }
            else if (Peek() != ')')
            {
                throw Error(Describe("',' or ')' in the shape"));
            }
            else if (dims.Count == 1)
            {
                // "(3)" is the integer 3 in Python, not a tuple: numpy writes "(3,)".
                throw Error($"has the shape '({digits})', which is an integer; a one-dimensional shape is written '({digits},)'");
            }
        }
        return [.. dims];
    }

    private bool ReadBool()
    {
        foreach ((string word, bool value) in (ReadOnlySpan<(string, bool)>)[("True", true), ("False", false)])
        {
            if (string.CompareOrdinal(_text, _at, word, 0, word.Length) == 0)
            {
                _at += word.Length;
                return value;
            }
        }
        throw Error(Describe("True or False for 'fortran_order'"));
    }

    private string ReadString()
    {
        char quote = Peek();
        if (quote is not ('\'' or '"'))
        {
            throw Error(Describe("a quoted string"));
        }
        int end = _text.IndexOf(quote, _at + 1);
        if (end < 0)
        {
            throw Error("has a string that is never closed");
        }
        string value = _text[(_at + 1)..end];
        _at = end + 1;
        return value;
    }

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error(Describe($"'{c}'"));
        }
        _at++;
    }

    private char Peek() => _at < _text.Length ? _text[_at] : '\0';

    private void SkipSpaces()
    {
        while (_at < _text.Length && _text[_at] is ' ' or '\t' or '\n')
        {
            _at++;
        }
    }

    private string Describe(string expected)
    {
        string found = _at < _text.Length - 1 ? $"'{_text[_at]}'" : "the end of the header";
        return string.Create(CultureInfo.InvariantCulture, $"expected {expected} at header character {_at}, found {found}");
    }

    private DataFormatException Error(string message) =>
        new($"{_source}: the .npy header {message} (header: {Excerpt()}).");

    private string Excerpt() => _text.Length <= 120 ? _text.TrimEnd() : _text[..117] + "...";
}
