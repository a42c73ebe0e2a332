using System.Runtime.InteropServices;
using InitLab.Cli;
using Spectre.Console;

// Ctrl-C (and SIGTERM) cancel a token that training checks between batches, so the run stops cleanly with exit 130
// and writes nothing half-way; a second Ctrl-C ends the process at once.
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !interrupt.IsCancellationRequested;
    interrupt.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    interrupt.Cancel();
});
IAnsiConsole console = AnsiConsole.Console;
if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns >= 40)
{
    console.Profile.Width = columns;
}
else if (Console.IsOutputRedirected)
{
    // A redirect has no terminal width (Spectre assumes 80); a log file can hold the full table. COLUMNS=80 narrows it.
    console.Profile.Width = 180;
}
return CliApp.Run(args, console, Console.Error, interrupt.Token);
