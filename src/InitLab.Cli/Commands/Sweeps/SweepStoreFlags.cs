using System.CommandLine;
using InitLab.Cli.Errors;
using InitLab.Sweeps;
using InitLab.Sweeps.Running;
using InitLab.Sweeps.Store;

namespace InitLab.Cli.Commands.Sweeps;

/// <summary>The flags every sweep subcommand that reads or writes a store shares, and the worker's tuning flags.</summary>
internal static class SweepStoreFlags
{
    public static Option<string> Store() => new("--store") { Description = "the results store: an SQLite file (created if missing), or PostgreSQL: postgresql://user@host:port/database (password from PGPASSWORD or ~/.pgpass)", Required = true };

    public static Option<string> Name(bool required = true) => new("--name") { Description = "the sweep's name in the store", Required = required };

    public static Option<double> Lease() => new Option<double>("--lease") { Description = "seconds a claim lives without a heartbeat; a dead worker's trial is reclaimed after it", DefaultValueFactory = _ => 60 }
        .Check(Flags.PositiveFiniteProblem);

    public static Option<int> MaxAttempts() => new Option<int>("--max-attempts") { Description = "claims after which a trial whose workers keep dying is failed", DefaultValueFactory = _ => 3 }
        .Check(n => Flags.AtLeastProblem(n, 1));

    public static Option<int> TrialThreads() => new Option<int>("--trial-threads") { Description = "kernel threads per trial (results are identical for any count)", DefaultValueFactory = _ => 1 }
        .Check(Flags.ThreadsProblem);

    /// <summary>Opens the --store; a store that cannot be opened is a usage error that names the flag.</summary>
    public static ISweepStore Open(string location)
    {
        try
        {
            return SweepStores.Open(location);
        }
        catch (SweepStoreException error)
        {
            throw new CliUsageException(Errors.LibraryFlags.Name("--store", "store", ExceptionText.OneLine(error)));
        }
    }

    public static SweepInfo Find(ISweepStore store, string name)
    {
        SweepInfo? sweep = store.FindSweep(name);
        if (sweep is not null)
        {
            return sweep;
        }
        var names = store.Sweeps().Select(s => s.Name).ToList();
        throw new CliUsageException(names.Count == 0
            ? $"--name: the store '{store.Location}' has no sweep yet; start one with 'initlab sweep run … --store {store.Location} --name {name}'."
            : Common.NameLookup.UnknownMessage("sweep", name, names).Replace("Unknown sweep", "--name: no sweep", StringComparison.Ordinal) + $" (in '{store.Location}')");
    }

    public static WorkerOptions Options(ParseResult parse, Option<double> lease, Option<int> maxAttempts, Option<int> threads) => new()
    {
        Lease = TimeSpan.FromSeconds(parse.GetValue(lease)),
        MaxAttempts = parse.GetValue(maxAttempts),
        Threads = parse.GetValue(threads),
    };
}
