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
            "shared by workers on many machines): run them, resume them, report on them.\n\nExamples:\n" +
            "  initlab sweep run --preset depth-vs-init --store sweep.db --workers 2\n" +
            "  initlab sweep status --store sweep.db")
        {
            // One line per subcommand, each in its own file.
            Sweeps.SweepRunCommand.Create(context),
            Sweeps.SweepWorkerCommand.Create(context),
            Sweeps.SweepStatusCommand.Create(context),
            Sweeps.SweepExportCommand.Create(context),
            Sweeps.SweepCreateCommand.Create(context),
            Sweeps.SweepMergeCommand.Create(context),
            Sweeps.SweepSlurmCommand.Create(context),
            Sweeps.SweepReportCommand.Create(context),
        };
        return command;
    }
}
