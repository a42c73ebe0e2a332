using System.CommandLine;

namespace InitLab.Cli.Commands;

/// <summary><c>initlab sweep</c>: the group of sweep subcommands (run, worker, status, export, report, slurm, merge).</summary>
internal static class SweepCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("sweep",
            "Grids of trainings (initializer × activation × depth × width × lr × seeds) in a results store (SQLite, or PostgreSQL " +
            "shared by workers on many machines): run them, resume them, report on them.")
        {
            // One line per subcommand, each in its own file.
            SweepReportCommand.Create(context),
        };
        return command;
    }
}
