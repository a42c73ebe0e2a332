using System.CommandLine;

namespace InitLab.Cli.Commands;

internal static class PracticalsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("practicals", "not yet available");
        command.SetAction(parse => CommandRunner.Run(context, () => throw new CliUsageException("not yet available")));
        return command;
    }
}
