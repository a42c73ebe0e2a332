using System.Globalization;
using InitLab.Activations;
using InitLab.Theory;

namespace InitLab.Sweeps.Analysis;

/// <summary>
/// The trainability phase diagram of Schoenholz et al. 2017 (<i>Deep Information Propagation</i>, Fig. 6): test accuracy
/// over depth × σ_w² at a fixed activation and σ_b², set against the mean-field theory — the ordered/chaotic boundary
/// (the critical σ_w², where χ₁ = 1) and the depth <see cref="Factor"/>·ξ_c, beyond which the paper found networks
/// untrainable. A depth counts as trainable when its mean test accuracy over seeds reaches <see cref="Threshold"/>.
/// </summary>
public sealed class TrainabilityDiagram
{
    private TrainabilityDiagram(string activation, double biasVariance, double criticalWeightVariance, double chance, double threshold,
        double factor, HeatmapGrid grid, IReadOnlyList<TrainabilityColumn> columns)
    {
        Activation = activation;
        BiasVariance = biasVariance;
        CriticalWeightVariance = criticalWeightVariance;
        Chance = chance;
        Threshold = threshold;
        Factor = factor;
        Grid = grid;
        Columns = columns;
    }

    /// <summary>The activation's name.</summary>
    public string Activation { get; }

    /// <summary>σ_b².</summary>
    public double BiasVariance { get; }

    /// <summary>The σ_w² where χ₁ = 1 at this σ_b² (NaN when there is no transition).</summary>
    public double CriticalWeightVariance { get; }

    /// <summary>The accuracy of guessing (e.g. 0.1 for 10 balanced classes).</summary>
    public double Chance { get; }

    /// <summary>Mean test accuracy at or above which a depth counts as trainable.</summary>
    public double Threshold { get; }

    /// <summary>The multiple of ξ_c drawn as the theory's depth bound (6 in the paper).</summary>
    public double Factor { get; }

    /// <summary>Test accuracy over σ_w² (columns) × depth (rows).</summary>
    public HeatmapGrid Grid { get; }

    /// <summary>One column per σ_w², ascending.</summary>
    public IReadOnlyList<TrainabilityColumn> Columns { get; }

    /// <summary>Builds the diagram.</summary>
    /// <param name="groups">Configurations of the sweep.</param>
    /// <param name="threshold">Mean test accuracy that counts as trainable, in (chance, 1].</param>
    /// <param name="chance">Accuracy of guessing, in [0, 1).</param>
    /// <param name="filter">Settings to hold (e.g. activation=tanh when the sweep has several); null: none.</param>
    /// <param name="factor">Multiple of ξ_c (default 6).</param>
    /// <param name="weightVarianceAxis">Setting holding σ_w².</param>
    /// <param name="depthAxis">Setting holding the depth (hidden layers, the theory's layer count).</param>
    /// <param name="biasVarianceSetting">Setting holding σ_b² (0 when no configuration sets it).</param>
    /// <param name="activationSetting">Setting holding the activation's name.</param>
    /// <returns>The diagram.</returns>
    /// <exception cref="ArgumentException">The filtered configurations do not share one activation and one σ_b², or a σ_w² or depth is not a number.</exception>
    public static TrainabilityDiagram Build(IReadOnlyList<ConfigurationGroup> groups, double threshold, double chance,
        IReadOnlyDictionary<string, string>? filter = null, double factor = 6, string weightVarianceAxis = "sigma-w2",
        string depthAxis = "depth", string biasVarianceSetting = "sigma-b2", string activationSetting = "activation")
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (!(chance >= 0 && chance < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(chance), chance, "TrainabilityDiagram: chance must be in [0, 1), e.g. 0.1 for 10 balanced classes.");
        }
        if (!(threshold > chance && threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold,
                string.Create(CultureInfo.InvariantCulture, $"TrainabilityDiagram: the trainable accuracy must be above chance ({chance}) and at most 1."));
        }
        if (!(factor > 0) || !double.IsFinite(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "TrainabilityDiagram: the factor of ξ_c must be finite and > 0 (6 in the paper).");
        }
        HeatmapGrid grid = HeatmapGrid.Build(groups, weightVarianceAxis, depthAxis, TrialMetric.TestAccuracy, filter);
        ConfigurationGroup[] used = [.. grid.Cells().Select(c => c.Best)];
        string activationName = Single(used, activationSetting, null)
            ?? throw new ArgumentException($"TrainabilityDiagram: no configuration sets '{activationSetting}'.", nameof(groups));
        double biasVariance = Number(Single(used, biasVarianceSetting, "0")!, biasVarianceSetting);
        Activation activation = ActivationRegistry.Resolve(activationName);
        if (!grid.X.IsNumeric || !grid.Y.IsNumeric)
        {
            throw new ArgumentException($"TrainabilityDiagram: '{weightVarianceAxis}' and '{depthAxis}' must be numbers; got {string.Join(", ", grid.X.Values)} and {string.Join(", ", grid.Y.Values)}.", nameof(groups));
        }
        var columns = new List<TrainabilityColumn>();
        for (int column = 0; column < grid.X.Values.Count; column++)
        {
            double weightVariance = ObservedAxis.Number(grid.X.Values[column]);
            var depths = new List<(double Depth, MetricSummary Summary)>();
            for (int row = 0; row < grid.Y.Values.Count; row++)
            {
                if (grid[column, row] is HeatmapCell cell)
                {
                    depths.Add((ObservedAxis.Number(cell.Y), cell.Summary));
                }
            }
            double? maxTrainable = null, firstUntrainable = null;
            foreach ((double depth, MetricSummary summary) in depths)
            {
                // Trainable up to the first depth that fails: a lucky deep point past a failure does not extend the range.
                if (summary.Mean >= threshold)
                {
                    maxTrainable = depth;
                }
                else
                {
                    firstUntrainable = depth;
                    break;
                }
            }
            var theory = new MeanField(activation, weightVariance, biasVariance);
            double xi = theory.CorrelationDepthScale;
            columns.Add(new TrainabilityColumn(weightVariance, depths, maxTrainable, firstUntrainable, theory.Chi1, xi, factor * xi));
        }
        return new TrainabilityDiagram(activation.Name, biasVariance, MeanField.CriticalWeightVariance(activation, biasVariance), chance, threshold,
            factor, grid, columns);
    }

    private static string? Single(IReadOnlyList<ConfigurationGroup> groups, string setting, string? missing)
    {
        string[] values = [.. groups.Select(g => g[setting] ?? missing).OfType<string>().Distinct(StringComparer.Ordinal)];
        if (values.Length > 1)
        {
            throw new ArgumentException($"TrainabilityDiagram: the configurations mix {setting} = {string.Join(", ", values)}; hold one (filter {setting}=VALUE).", nameof(groups));
        }
        return values.Length == 0 ? missing : values[0];
    }

    private static double Number(string text, string setting)
    {
        double value = ObservedAxis.Number(text);
        return double.IsFinite(value) ? value : throw new ArgumentException($"TrainabilityDiagram: {setting} must be a number; got '{text}'.", nameof(setting));
    }
}
