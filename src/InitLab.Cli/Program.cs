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
return CliApp.Run(args, AnsiConsole.Console, Console.Error, interrupt.Token);
