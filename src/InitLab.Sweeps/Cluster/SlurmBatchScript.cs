using System.Globalization;
using System.Text;

namespace InitLab.Sweeps.Cluster;

/// <summary>An <c>sbatch</c> script that starts a sweep's workers as a Slurm job array: each array task runs one
/// <c>initlab sweep worker</c> (one single-threaded training at a time) until the sweep, or its shard, has no trial left.</summary>
/// <param name="JobName">Slurm job name (characters other than letters, digits, '.', '_' and '-' become '_').</param>
/// <param name="Array">The array's task ids and concurrency limit.</param>
/// <param name="WorkerWords">The worker's command line as shell words, each already quoted (see <see cref="Quote"/>) or an
/// intended variable reference such as <c>"${SLURM_ARRAY_TASK_ID}"</c>.</param>
/// <param name="OutputPattern">sbatch <c>--output</c> pattern (<c>%A</c> the array's job id, <c>%a</c> the task id).</param>
/// <param name="Comments">Lines shown at the top of the script (how to submit, watch, merge), without the leading '#'.</param>
/// <param name="TimeLimit">Per-task time limit, or null for the partition's default.</param>
/// <param name="Partition">Partition, or null for the default one.</param>
public sealed record SlurmBatchScript(string JobName, SlurmArray Array, IReadOnlyList<string> WorkerWords, string OutputPattern,
    IReadOnlyList<string> Comments, TimeSpan? TimeLimit = null, string? Partition = null)
{
    /// <summary>The script text (LF line ends, ends with a newline).</summary>
    /// <returns>A bash script whose <c>#SBATCH</c> lines come before any command, as sbatch requires.</returns>
    public string Render()
    {
        ArgumentNullException.ThrowIfNull(WorkerWords);
        ArgumentNullException.ThrowIfNull(Comments);
        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        foreach (string line in Comments)
        {
            text.Append("# ").Append(line.ReplaceLineEndings(" ")).Append('\n');
        }
        text.Append("#SBATCH --job-name=").Append(SafeName(JobName)).Append('\n');
        text.Append("#SBATCH --array=").Append(Array).Append('\n');
        text.Append("#SBATCH --ntasks=1\n");
        text.Append("#SBATCH --cpus-per-task=1\n");
        text.Append("#SBATCH --output=").Append(OutputPattern).Append('\n');
        if (TimeLimit is TimeSpan limit)
        {
            // sbatch's days-hours:minutes:seconds form.
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"#SBATCH --time={limit.Days}-{limit.Hours:00}:{limit.Minutes:00}:{limit.Seconds:00}\n"));
        }
        if (!string.IsNullOrEmpty(Partition))
        {
            text.Append("#SBATCH --partition=").Append(SafeName(Partition)).Append('\n');
        }
        text.Append("set -euo pipefail\n");
        text.Append("# One single-threaded training per task: many small trainings scale better across tasks than inside one.\n");
        text.Append("export DOTNET_gcServer=0\n");
        text.Append("exec ").Append(string.Join(' ', WorkerWords)).Append('\n');
        return text.ToString();
    }

    /// <summary>Quotes a literal for bash: in single quotes, a single quote written as <c>'\''</c>; plain words stay bare.</summary>
    /// <param name="word">Any text.</param>
    /// <returns>A word bash reads back as exactly <paramref name="word"/>.</returns>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        bool plain = word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or ',' or '@' or '+');
        return plain ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static string SafeName(string name) =>
        new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_')]);
}
