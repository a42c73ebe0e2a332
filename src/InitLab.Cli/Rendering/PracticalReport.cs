using System.Globalization;
using System.Net;
using System.Text;
using InitLab.Common;
using InitLab.Diagnostics;
using InitLab.Persistence;
using InitLab.Practicals;
using InitLab.Practicals.Papers;

namespace InitLab.Cli.Rendering;

/// <summary>Writes results.json, the PNG figures and one self-contained report.html (images inline, no network).</summary>
internal static class PracticalReport
{
    public static void Write(string folder, PracticalOptions options, IReadOnlyList<PracticalResult> results, PropagationBands? he, PropagationBands? glorot, int bandWidth,
        IReadOnlyList<PaperCheck>? papers = null)
    {
        papers ??= [];
        Directory.CreateDirectory(folder);
        var json = Json(options, results);
        if (papers.Count > 0)
        {
            json["papers"] = PaperReport.Json(papers);
        }
        JsonReport.Write(Path.Combine(folder, "results.json"), json);
        var figures = new Dictionary<string, List<ReportFigure>>(StringComparer.Ordinal);
        foreach (var group in results.GroupBy(r => r.Case.Case))
        {
            var list = group.ToList();
            var files = new List<ReportFigure>
            {
                PracticalPlots.LossCurves(folder, group.Key, list),
                PracticalPlots.ActivationStd(folder, group.Key, list),
                PracticalPlots.GradientNorms(folder, group.Key, list),
            };
            if (group.Key == "glorot-bengio")
            {
                files.AddRange(list.Select(r => PracticalPlots.Histograms(folder, r)));
            }
            if (group.Key == "depth-sweep" && he is not null && glorot is not null)
            {
                files.Add(PracticalPlots.PropagationBands(folder, new Dictionary<string, PropagationBands> { ["he_normal"] = he, ["glorot_uniform"] = glorot }, bandWidth));
            }
            files.AddRange(list.Select(r => PracticalPlots.DecisionBoundary(folder, r)).OfType<ReportFigure>());
            figures[group.Key] = files;
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "report.html"), Html(folder, options, results, figures, he, glorot, bandWidth)
            .Replace(PapersPlaceholder, PaperReport.Html(folder, papers), StringComparison.Ordinal));
    }

    public static Dictionary<string, object?> Json(PracticalOptions options, IReadOnlyList<PracticalResult> results) => new()
    {
        ["generated_by"] = "initlab practicals",
        ["options"] = new Dictionary<string, object?>
        {
            ["data"] = options.Data,
            ["rows"] = options.Rows,
            ["seeds"] = options.Seeds,
            ["epochs"] = options.EffectiveEpochs,
            ["batch_size"] = options.BatchSize,
            ["learning_rate"] = options.LearningRate,
            ["momentum"] = options.Momentum,
            ["quick"] = options.Quick,
        },
        ["summary"] = new Dictionary<string, object?>
        {
            ["runs"] = results.Count,
            ["matches"] = results.Count(r => r.Matches),
        },
        ["cases"] = results.Select(CaseJson).ToList(),
    };

    private static Dictionary<string, object?> CaseJson(PracticalResult r) => new()
    {
        ["case"] = r.Case.Case,
        ["variant"] = r.Case.Variant,
        ["claim"] = r.Case.Claim,
        ["initializer"] = r.Case.KernelInitializer,
        ["bias_initializer"] = r.Case.BiasInitializer,
        ["activation"] = r.Case.Activation,
        ["depth"] = r.Case.HiddenLayers,
        ["width"] = r.Case.Width,
        ["optimizer"] = r.Case.Optimizer ?? "momentum",
        ["learning_rate"] = r.Case.LearningRate,
        ["seeds"] = r.Runs.Count,
        ["expected_verdict"] = VerdictClassifier.Name(r.Case.Expected),
        ["observed_verdict"] = VerdictClassifier.Name(r.Observed),
        ["matches"] = r.Matches,
        ["final_loss"] = r.MeanOfFinite(s => s.FinalLoss),
        ["accuracy"] = r.MeanOfFinite(s => s.TestAccuracy),
        ["seconds"] = r.Seconds,
        ["per_seed"] = r.Runs.Select(s => new Dictionary<string, object?>
        {
            ["seed"] = s.Seed,
            ["verdict"] = VerdictClassifier.Name(s.Verdict),
            ["reason"] = s.Reason,
            ["final_loss"] = s.FinalLoss,
            ["accuracy"] = s.TestAccuracy,
            ["diverged"] = s.Diverged,
        }).ToList(),
        ["metrics"] = new Dictionary<string, object?>
        {
            ["hidden_weight_change"] = r.Runs.Average(s => s.HiddenWeightChange),
            ["hidden_weights_unchanged"] = r.Runs.All(s => s.HiddenWeightsUnchanged),
            ["distinct_hidden_units"] = r.Runs[0].DistinctHiddenUnits.ToList(),
            ["hidden_rank"] = r.Runs[0].HiddenRanks.ToList(),
            ["dead_fraction"] = r.Runs.Max(s => s.AtInit.Hidden.Max(l => l.DeadFraction)),
            ["saturated_fraction"] = r.Runs.Max(s => s.AtInit.Hidden.Max(l => l.SaturatedFraction)),
            ["gradient_ratio_first_last"] = SampleStatistics.Median([.. r.Runs.Select(s => s.AtInit.GradientRatio)]),
            ["activation_std_ratio_last_first"] = SampleStatistics.Median([.. r.Runs.Select(s => s.AtInit.ActivationStdRatio)]),
            ["grad_norm_per_layer"] = r.MedianAtInit(l => l.GradientNorm).ToList(),
            ["activation_std_per_layer"] = r.MedianAtInit(l => l.ActivationStd).ToList(),
            ["predicted_activation_std_per_layer"] = r.Predicted?.Select(p => (object?)p.ActivationStd).ToList(),
            ["pre_activation_mean_square_per_layer"] = r.MedianAtInit(l => l.PreActivationMeanSquare).ToList(),
            ["predicted_pre_activation_mean_square_per_layer"] = r.Predicted?.Select(p => (object?)p.PreActivationMeanSquare).ToList(),
            ["predicted_gradient_factor_per_layer"] = r.Predicted?.Select(p => (object?)p.GradientFactor).ToList(),
        },
    };

    private static string Html(string folder, PracticalOptions options, IReadOnlyList<PracticalResult> results,
        Dictionary<string, List<ReportFigure>> figures, PropagationBands? he, PropagationBands? glorot, int bandWidth)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>InitLab practicals — weight initialization, measured</title>
            <style>
            body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:1080px;margin:2em auto;padding:0 1em;color:#1d2430;line-height:1.45}
            h1{font-size:1.8em;margin-bottom:.2em} h2{margin-top:2.2em;border-bottom:2px solid #dde3ea;padding-bottom:.2em}
            table{border-collapse:collapse;margin:1em 0;font-size:.84em;width:100%} th,td{border:1px solid #cfd6de;padding:.3em .45em;text-align:left;vertical-align:top}
            th{background:#eef2f6} td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap} table.case td.num{white-space:normal}
            .ok{color:#137333;font-weight:bold} .bad{color:#b3261e;font-weight:bold}
            blockquote{border-left:4px solid #8ab4f8;margin:1em 0;padding:.3em 1em;background:#f5f8fc}
            figure{margin:1.4em 0} img{max-width:100%;height:auto;border:1px solid #e3e7ec} figcaption{font-size:.92em;max-width:60em} .small{color:#5f6b7a;font-size:.9em}
            </style></head><body>
            """);
        int matches = results.Count(r => r.Matches);
        html.Append("<h1>InitLab practicals</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Every claim of the tutorial, run on a real network and measured. Data: <b>{Encode(options.Data)}</b> ({options.Rows} rows, 25% held out for testing, standardised), ");
        html.Append(CultureInfo.InvariantCulture, $"{options.Seeds} weight seed(s) per run, {options.EffectiveEpochs} epochs, batch {options.BatchSize}; SGD with momentum {options.Momentum} and learning rate {options.LearningRate} unless a case says otherwise. ");
        html.Append(CultureInfo.InvariantCulture, $"<b>{matches} of {results.Count}</b> runs show the verdict the tutorial predicts.</p>");
        var t = VerdictThresholds.Default;
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"small\">How to read a verdict (the same classifier and thresholds as <code>initlab diagnose</code>): measured on a 256-row probe batch at initialisation (signal and gradient scale per layer) and after training (did the hidden weights move, how many distinct units, test accuracy). Exploding when a statistic is NaN/∞ or a ratio exceeds {Threshold(t.ExplodingRatio)}; saturated when over {t.SaturatedFraction:P0} of a tanh/sigmoid layer's activations are in the flat tails; vanishing when the first layer's gradient is below {Threshold(t.VanishingGradientRatio)} of the last layer's or the last hidden layer's activation std below {Threshold(t.VanishingActivationRatio)} of the first's; slow convergence below {t.HealthyAccuracy:P0} test accuracy. Dotted lines are the mean-field (infinite-width) predictions; exact zeros are drawn on a separate '0 (no signal)' row below a dashed break.</p>");
        html.Append("<table><tr><th>case</th><th>initializer</th><th>activation</th><th>depth</th><th>expected</th><th>observed</th><th></th><th>final loss</th><th>accuracy</th><th>seconds</th></tr>");
        foreach (var r in results)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"#{r.Case.Case}\">{Breakable(r.Case.Id)}</a></td><td>{Breakable(r.Case.KernelInitializer)}</td><td>{Encode(r.Case.Activation)}</td><td class=\"num\">{r.Case.HiddenLayers}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{Breakable(VerdictClassifier.Name(r.Case.Expected))}</td><td>{Breakable(VerdictClassifier.Name(r.Observed))}</td><td class=\"{(r.Matches ? "ok" : "bad")}\">{(r.Matches ? "✓" : "✗")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Number(r.MeanOfFinite(s => s.FinalLoss))}</td><td class=\"num\">{Percent(r.MeanOfFinite(s => s.TestAccuracy))}</td><td class=\"num\">{r.Seconds:F2}</td></tr>");
        }
        html.Append("</table>");
        foreach (var group in results.GroupBy(r => r.Case.Case))
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"{group.Key}\">{Encode(group.Key)}</h2>");
            foreach (string claim in group.Select(r => r.Case.Claim).Distinct())
            {
                html.Append(CultureInfo.InvariantCulture, $"<blockquote>{Encode(claim)}</blockquote>");
            }
            // Eight columns, paired values in one cell: the table must fit an 800-px window without a scroll bar.
            html.Append("<table class=\"case\"><tr><th>run</th><th>expected → observed (reason, seed 1)</th><th>accuracy</th><th>activation std last/first hidden</th><th>gradient first/last layer</th><th>distinct units; rank (per hidden layer)</th><th>dead / saturated</th><th>hidden weight change</th></tr>");
            foreach (var r in group)
            {
                var s0 = r.Runs[0];
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Breakable(r.Case.Id)}<br><span class=\"small\">{r.Case.HiddenLayers}×{r.Case.Width} {Encode(r.Case.Activation)}, {Encode(r.Case.Optimizer ?? "momentum")} lr {r.Case.LearningRate ?? options.LearningRate}</span></td>");
                html.Append(CultureInfo.InvariantCulture, $"<td>{Breakable(VerdictClassifier.Name(r.Case.Expected))} → <span class=\"{(r.Matches ? "ok" : "bad")}\">{Breakable(VerdictClassifier.Name(r.Observed))}</span> — {Encode(s0.Reason)}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Percent(r.MeanOfFinite(s => s.TestAccuracy))}</td><td class=\"num\">{Number(SampleStatistics.Median([.. r.Runs.Select(s => s.AtInit.ActivationStdRatio)]))}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Number(SampleStatistics.Median([.. r.Runs.Select(s => s.AtInit.GradientRatio)]))}</td><td>{Compact(s0.DistinctHiddenUnits)}; {Compact(s0.HiddenRanks)}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Percent(r.Runs.Max(s => s.AtInit.Hidden.Max(l => l.DeadFraction)))} / {Percent(r.Runs.Max(s => s.AtInit.Hidden.Max(l => l.SaturatedFraction)))}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Number(r.Runs.Average(s => s.HiddenWeightChange))}</td></tr>");
            }
            html.Append("</table>");
            if (group.Key == "depth-sweep" && he is not null && glorot is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>Signal propagation at depth 30, width {bandWidth}, {he.ActivationStdRatios.Length} seeds: the median activation std ratio (last/first hidden layer) is <b>{Number(SampleStatistics.Quantile(he.ActivationStdRatios, 0.5))}</b> with He and <b>{Number(SampleStatistics.Quantile(glorot.ActivationStdRatios, 0.5))}</b> with Glorot; ");
                html.Append("the mean-field prediction q_l = σ_w²·E[φ(h)²] lies inside the 10th–90th percentile band of the measured E[z²] (at finite width the typical signal drifts below the mean, so a band is the fair comparison).</p>");
            }
            foreach (ReportFigure figure in figures[group.Key])
            {
                string data = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(folder, figure.File)));
                html.Append(CultureInfo.InvariantCulture,
                    $"<figure><img alt=\"{Encode(figure.Caption)}\" src=\"data:image/png;base64,{data}\"><figcaption>{Encode(figure.Caption)} <span class=\"small\">({Encode(figure.File)})</span></figcaption></figure>");
            }
        }
        html.Append(PapersPlaceholder);
        html.Append("<p class=\"small\">Generated by <code>initlab practicals</code>. Machine-readable results: results.json beside this page.</p>");
        // Marks the page for scripts/check-report.sh (headless Chromium): how many figures decoded, how many elements end
        // beyond the window's right edge (a horizontal scroll bar), and the page's scroll width over the window's.
        html.Append("<script>addEventListener('load',()=>{const d=document.documentElement,w=d.clientWidth,i=[...document.images];" +
            "const o=[...document.body.querySelectorAll('*')].filter(e=>e.getBoundingClientRect().right>w+0.5).map(e=>e.tagName.toLowerCase());" +
            "document.body.dataset.images=i.filter(x=>x.complete&&x.naturalWidth>0).length+'/'+i.length;" +
            "document.body.dataset.overflow=o.length+(o.length?' '+o.slice(0,5).join(','):'');" +
            "document.body.dataset.width=d.scrollWidth+'/'+w;});</script>");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private const string PapersPlaceholder = "<!-- papers -->";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    // Long identifiers (vanishing_gradients, xavier/glorot_uniform+sigmoid) may wrap after _ / + @, never inside a word
    // or a number, so the tables fit an 800-px window without a horizontal scroll bar.
    private static string Breakable(string text) => Encode(text).Replace("_", "_<wbr>", StringComparison.Ordinal)
        .Replace("/", "/<wbr>", StringComparison.Ordinal).Replace("+", "+<wbr>", StringComparison.Ordinal).Replace("@", "<wbr>@", StringComparison.Ordinal);

    // Runs of equal values as "64×29", so a 30-layer list is one short line: "2, 64×29".
    private static string Compact(IReadOnlyList<int> values)
    {
        var parts = new List<string>();
        for (int i = 0; i < values.Count;)
        {
            int j = i;
            while (j < values.Count && values[j] == values[i])
            {
                j++;
            }
            parts.Add(j - i == 1 ? values[i].ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{values[i]}×{j - i}"));
            i = j;
        }
        return string.Join(", ", parts);
    }

    private static string Threshold(double value) => value >= 1000 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("G3", CultureInfo.InvariantCulture);

    private static string Number(double value) => double.IsNaN(value) ? "—" : value.ToString("G3", CultureInfo.InvariantCulture);

    private static string Percent(double value) => double.IsNaN(value) ? "—" : value.ToString("P1", CultureInfo.InvariantCulture).Replace(" %", "\u00a0%", StringComparison.Ordinal);
}
