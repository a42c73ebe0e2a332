using System.CommandLine;
using InitLab.Architectures;
using InitLab.Cli.Rendering;
using InitLab.Initializers;
using Spectre.Console;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab inits</c>: the initializer catalog, from the one registry table; then the residual inits
/// (<see cref="ResidualInits.All"/>) and the parametrizations (<see cref="Parametrizations.All"/>) with formula and source.</summary>
internal static class InitsCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<string?>("--json") { Description = "the catalog as JSON: to standard output (no value or '-') or to a file", Arity = ArgumentArity.ZeroOrOne, HelpName = "file|-" };
        var wideOption = new Option<bool>("--wide") { Description = "all columns: aliases, distribution, defaults, Keras and PyTorch names, the tutorial's wording" };
        var markdown = new Option<bool>("--markdown") { Description = "print the catalog as a Markdown table (as in docs/initializers.md)" };
        var command = new Command("inits",
            "List every initializer: name, aliases, distribution, formula, defaults, Keras/PyTorch counterpart, when to use it; " +
            "then the residual inits (--residual-init) and the parametrizations (--parametrization, --base-width) with formula and source.\n\n" +
            "Examples:\n  initlab inits\n  initlab inits --wide\n  initlab inits --json - | jq '.[].name'")
        {
            json, markdown, wideOption,
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
            bool wide = parse.GetValue(wideOption);
            var table = wide
                ? new FittedTable().Text("name", "aliases", "distribution", "formula", "defaults", "Keras", "PyTorch", "use it for", "same variance, different distribution")
                : new FittedTable().Text("name", "formula", "use it for");
            foreach (InitializerInfo e in InitializerRegistry.Entries)
            {
                string name = $"[bold]{Markup.Escape(e.Name)}[/]";
                string use = Markup.Escape(e.Suits + (wide && e.Tutorial is not null ? $" — tutorial: {e.Tutorial}" : string.Empty));
                if (wide)
                {
                    table.AddMarkupRow(name, Markup.Escape(string.Join(", ", e.Aliases)), Markup.Escape(e.Distribution), Markup.Escape(e.Formula),
                        Markup.Escape(e.Parameters.Count == 0 ? "—" : string.Join(", ", e.Parameters)), Markup.Escape(e.Keras), Markup.Escape(e.PyTorch), use,
                        e.SameVarianceDifferentDistribution is string twin ? $"[yellow]≠ {Markup.Escape(twin)}[/]" : "—");
                }
                else
                {
                    table.AddMarkupRow(name, Markup.Escape(e.Formula), use);
                }
            }
            table.Write(context.Console);
            // The pairs people swap by mistake (issue 13): same variance, different distribution, so never aliases.
            context.Console.MarkupLine("[yellow]Same variance, different distribution (not interchangeable):[/]");
            foreach (string pair in InitializerCatalog.ConfusablePairs())
            {
                context.Console.MarkupLine("  " + Markup.Escape(pair));
            }
            context.Console.WriteLine($"{InitializerRegistry.Entries.Count} initializers. Names are case-insensitive; PyTorch's trailing '_' is accepted." +
                (wide ? string.Empty : " --wide adds aliases, distribution, defaults and the Keras/PyTorch names."));
            if (wide)
            {
                WriteResidualInits(context);
                WriteParametrizations(context);
            }
            else
            {
                // Two more tables would double the page at 80 columns; name them, and let --wide show them whole.
                context.Console.WriteLine();
                context.Console.MarkupLine("[bold]Residual inits[/] (--residual-init): " + Markup.Escape(string.Join(", ", ResidualInits.All.Select(r => r.Name))) + ".");
                context.Console.MarkupLine("[bold]Parametrizations[/] (--parametrization): " + Markup.Escape(string.Join(", ", Parametrizations.All.Select(p => p.Name))) + ".");
                context.Console.WriteLine("--wide shows their formulas and sources; docs/residual.md derives them.");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>The <c>--residual-init</c> schemes (with --wide): name, what it does to a branch, the paper, the PyTorch/Keras name.</summary>
    private static void WriteResidualInits(CliContext context)
    {
        context.Console.WriteLine();
        context.Console.MarkupLine("[bold]Residual inits[/] (--residual-init; L blocks of m Dense layers; docs/residual.md):");
        var table = new FittedTable().Text("name", "formula", "source", "PyTorch / Keras / code");
        foreach (ResidualInits.Info r in ResidualInits.All)
        {
            table.AddMarkupRow($"[bold]{Markup.Escape(r.Name)}[/]", Markup.Escape(r.Formula), Markup.Escape(r.Source), Markup.Escape(r.Elsewhere));
        }
        table.Write(context.Console);
    }

    /// <summary>The <c>--parametrization</c> table (with --wide): init variance and learning-rate multipliers per layer kind, m = width / base width.</summary>
    private static void WriteParametrizations(CliContext context)
    {
        context.Console.WriteLine();
        context.Console.MarkupLine("[bold]Parametrizations[/] (--parametrization, --base-width B; m = width / B, every one equals sp at m = 1; docs/residual.md):");
        var table = new FittedTable().Text("name", "init variance (× its value at B)", "lr × (SGD-like)", "lr × (Adam-like)", "source", "elsewhere");
        foreach (Parametrizations.Info p in Parametrizations.All)
        {
            table.AddMarkupRow($"[bold]{Markup.Escape(p.Name)}[/]", Markup.Escape(p.Init), Markup.Escape(p.Sgd), Markup.Escape(p.Adaptive), Markup.Escape(p.Source), Markup.Escape(p.Elsewhere));
        }
        table.Write(context.Console);
    }
}
