using System.CommandLine;
using InitLab.Cli.Rendering;
using InitLab.Initializers;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab inits</c>: the initializer catalog, from the one registry table.</summary>
internal static class InitsCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<string?>("--json") { Description = "the catalog as JSON: to standard output (no value or '-') or to a file", Arity = ArgumentArity.ZeroOrOne, HelpName = "file|-" };
        var markdown = new Option<bool>("--markdown") { Description = "print the catalog as a Markdown table (as in docs/initializers.md)" };
        var command = new Command("inits",
            "List every initializer: name, aliases, distribution, formula, defaults, Keras/PyTorch counterpart, when to use it.\n\n" +
            "Examples:\n  initlab inits\n  initlab inits --json")
        {
            json, markdown,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            if (parse.GetResult(json) is not null)
            {
                JsonOutput.Write(context, parse.GetValue(json) ?? JsonOutput.StdoutPath, InitializerCatalog.Rows(), "catalog");
                return 0;
            }
            if (parse.GetValue(markdown))
            {
                context.Console.Profile.Out.Writer.Write(InitializerCatalog.Markdown());
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).Expand();
            table.AddColumns("name", "aliases", "distribution", "formula", "defaults", "Keras", "PyTorch", "use it for");
            foreach (InitializerInfo e in InitializerRegistry.Entries)
            {
                table.AddRow(
                    new Markup($"[bold]{Markup.Escape(e.Name)}[/]"),
                    new Text(string.Join(", ", e.Aliases)),
                    new Text(e.Distribution),
                    new Text(e.Formula),
                    new Text(e.Parameters.Count == 0 ? "—" : string.Join(", ", e.Parameters)),
                    new Text(e.Keras),
                    new Text(e.PyTorch),
                    new Text(e.Suits + (e.Tutorial is null ? string.Empty : $" — tutorial: {e.Tutorial}")));
            }
            context.Console.Write(table);
            context.Console.WriteLine($"{InitializerRegistry.Entries.Count} initializers. Names are case-insensitive; PyTorch's trailing '_' is accepted.");
            return 0;
        }));
        return command;
    }
}
