using System.CommandLine;
using System.CommandLine.Invocation;

namespace InitLab.Cli.Help;

/// <summary>The action of <c>--help</c>: our <see cref="HelpRenderer"/> instead of System.CommandLine's, at the
/// console's width (80 columns when the output is not a terminal).</summary>
internal sealed class HelpCommandAction(CliContext context, IReadOnlyList<Option> inheritedOptions) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        context.Console.Profile.Out.Writer.Write(
            HelpRenderer.Render(parseResult.CommandResult.Command, ParseErrorMessage.CommandPath(parseResult), inheritedOptions, context.HelpWidth));
        return ExitCodes.Success;
    }
}
