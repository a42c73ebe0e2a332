using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using InitLab.Common;

namespace InitLab.Cli.Help;

/// <summary>
/// Turns System.CommandLine's parse errors into one short line in our words: an unknown command or flag gets the
/// nearest valid one, a missing required flag is named with what it is for, and .NET type names become words.
/// </summary>
internal static partial class ParseErrorMessage
{
    public static string Describe(ParseResult result, IReadOnlyList<Option> inheritedOptions)
    {
        Command command = result.CommandResult.Command;
        string path = CommandPath(result);
        bool isRoot = result.CommandResult.Parent is null;
        if (result.UnmatchedTokens.Count > 0)
        {
            string token = result.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                var names = command.Options.Concat(inheritedOptions).Where(o => !o.Hidden).SelectMany(o => o.Aliases.Append(o.Name)).Distinct().ToList();
                string? nearest = NearestFlag(token, names);
                string where = isRoot ? "initlab" : command.Name;
                return nearest is null
                    ? $"'{token}' is not an option of {where}; the options are listed by `{path} --help`."
                    : $"'{token}' is not an option of {where}; did you mean '{nearest}'?";
            }
            if (isRoot || command.Subcommands.Count > 0)
            {
                var commands = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
                string? nearest = NameLookup.Nearest(token, commands);
                string hint = nearest is null ? string.Empty : $" did you mean '{nearest}'?";
                return $"'{token}' is not an {path} command;{hint} Commands: {string.Join(", ", commands)}.";
            }
            return $"unexpected value '{token}' for {command.Name}: every value follows its flag, and a value with spaces needs quotes.";
        }
        foreach (ParseError typed in result.Errors)
        {
            if (typed.SymbolResult is OptionResult { Option: var option } optionResult)
            {
                if (optionResult is { Tokens.Count: 0, IdentifierToken: not null } && option.Arity.MinimumNumberOfValues > 0)
                {
                    return $"{option.Name} needs a value: {Describe(option)}.";
                }
                if (optionResult.Tokens.Count > option.Arity.MaximumNumberOfValues)
                {
                    string values = string.Join(", ", optionResult.Tokens.Select(t => $"'{t.Value}'"));
                    return $"{option.Name} is given {optionResult.Tokens.Count} values ({values}); give it once.";
                }
            }
        }
        foreach (Option option in command.Options.Where(o => o.Required))
        {
            if (result.GetResult(option) is not OptionResult { IdentifierToken: not null })
            {
                return $"{command.Name} needs {option.Name} <{HelpRenderer.Placeholder(option)}>: {option.Description}.";
            }
        }
        if (isRoot && result.Errors.Count > 0 && command.Subcommands.Count > 0 && result.Tokens.Count == 0)
        {
            return $"no command given; choose one of: {string.Join(", ", command.Subcommands.Select(c => c.Name))}.";
        }
        ParseError error = result.Errors[0];
        return TypeName().Replace(error.Message, m => "expected " + ValueWords.For(m.Groups[1].Value));
    }

    /// <summary>A number option's kind of value, or what any other option is for.</summary>
    private static string Describe(Option option)
    {
        Type type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        return type.IsPrimitive ? ValueWords.For(type) : option.Description ?? ValueWords.For(type);
    }

    /// <summary>"initlab train": the words a user types to reach the command.</summary>
    public static string CommandPath(ParseResult result)
    {
        var names = new List<string>();
        for (SymbolResult? s = result.CommandResult; s is not null; s = s.Parent)
        {
            if (s is CommandResult c)
            {
                names.Add(c.Parent is null ? "initlab" : c.Command.Name);
            }
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    private static string? NearestFlag(string token, IReadOnlyList<string> names)
    {
        string bare = token.Split('=', 2)[0].TrimStart('-');
        if (bare.Length <= 2)
        {
            return null;
        }
        var longNames = names.Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToList();
        string? nearest = NameLookup.Nearest(bare, longNames.Select(n => n[2..]));
        return nearest is null ? null : "--" + nearest;
    }

    [GeneratedRegex("as expected type '([^']+)'")]
    private static partial Regex TypeName();
}
