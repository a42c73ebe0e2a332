using System.Text;

namespace InitLab.Cli.Help;

/// <summary>Word wrapping for help text: prose at spaces, commands with a shell continuation.</summary>
internal static class TextWrap
{
    /// <summary>Splits <paramref name="text"/> at spaces into lines of at most <paramref name="width"/> characters; a
    /// single word longer than the width is cut.</summary>
    public static List<string> Wrap(string text, int width)
    {
        width = Math.Max(width, 1);
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string rest = word;
            if (line.Length > 0 && line.Length + 1 + rest.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            while (rest.Length > width)
            {
                lines.Add(rest[..width]);
                rest = rest[width..];
            }
            if (line.Length > 0)
            {
                line.Append(' ');
            }
            line.Append(rest);
        }
        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }
        return lines;
    }

    /// <summary>An example command, indented; when it is wider than <paramref name="width"/> it breaks at spaces with
    /// " \" (so it still pastes into a POSIX shell) and continues two columns further in.</summary>
    public static List<string> WrapCommand(string command, int width, int indent)
    {
        const string Continuation = " \\";
        var lines = new List<string>();
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var line = new StringBuilder(new string(' ', indent));
        int lineStart = line.Length;
        foreach (string word in words)
        {
            if (line.Length > lineStart && line.Length + 1 + word.Length + Continuation.Length > width)
            {
                lines.Add(line.Append(Continuation).ToString());
                line.Clear().Append(' ', indent + 2);
                lineStart = line.Length;
            }
            if (line.Length > lineStart)
            {
                line.Append(' ');
            }
            line.Append(word);
        }
        lines.Add(line.ToString());
        return lines;
    }
}
