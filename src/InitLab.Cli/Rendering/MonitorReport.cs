using System.Globalization;
using System.Net;
using System.Text;
using InitLab.Diagnostics;
using InitLab.Persistence;

namespace InitLab.Cli.Rendering;

/// <summary>
/// Writes a <see cref="TrainingMonitor"/>'s records as <c>monitor.csv</c> (one row per step and layer),
/// <c>monitor.json</c> (the same plus histograms and the initial-loss check) and <c>dashboard.html</c>, a self-contained
/// page (figures inlined as PNG data URIs), each file atomically.
/// </summary>
internal static class MonitorReport
{
    public const string CsvFile = "monitor.csv";
    public const string JsonFile = "monitor.json";
    public const string HtmlFile = "dashboard.html";

    public static void Write(string folder, TrainingMonitor monitor, string runDescription)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, CsvFile), Csv(monitor.Samples));
        AtomicFile.WriteAllText(Path.Combine(folder, JsonFile), JsonReport.Serialize(Json(monitor, runDescription)));
        AtomicFile.WriteAllText(Path.Combine(folder, HtmlFile), Html(monitor, runDescription));
    }

    internal static string Csv(IReadOnlyList<MonitorSample> samples)
    {
        var text = new StringBuilder("step,epoch,loss,layer,activation,activation_mean,activation_std,saturated_fraction,dead_fraction,gradient_std,weight_std,grad_to_data,update_to_data_log10\n");
        foreach (MonitorSample s in samples)
        {
            foreach (LayerMonitorSample l in s.Layers)
            {
                text.AppendLine(string.Join(',', N(s.Step), N(s.Epoch), N(s.Loss), Quote(l.Layer), Quote(l.Activation), N(l.ActivationMean), N(l.ActivationStd),
                    N(l.SaturatedFraction), N(l.DeadFraction), N(l.GradientStd), N(l.WeightStd), N(l.GradientToData), N(l.UpdateToDataLog10)));
            }
        }
        return text.ToString();
    }

    private static Dictionary<string, object?> Json(TrainingMonitor monitor, string run) => new()
    {
        ["run"] = run,
        ["every"] = monitor.Every,
        ["tanh_saturation"] = TrainingMonitor.TanhSaturation,
        ["sigmoid_saturation"] = TrainingMonitor.SigmoidSaturation,
        ["reference_update_to_data"] = TrainingMonitor.ReferenceUpdateToData,
        ["initial_loss"] = monitor.InitialLoss is not InitialLossCheck c ? null : new Dictionary<string, object?>
        {
            ["loss"] = c.Loss,
            ["classes"] = c.Classes,
            ["expected"] = c.Expected,
            ["relative_deviation"] = c.RelativeDeviation,
            ["tolerance"] = InitialLossCheck.Tolerance,
            ["warning"] = c.Warning,
        },
        ["samples"] = monitor.Samples.Select(s => new Dictionary<string, object?>
        {
            ["step"] = s.Step,
            ["epoch"] = s.Epoch,
            ["loss"] = s.Loss,
            ["layers"] = s.Layers.Select(l =>
            {
                Dictionary<string, object?> layer = LayerJson(l);
                layer["update_to_data_log10"] = l.UpdateToDataLog10;
                return layer;
            }).ToList(),
        }).ToList(),
    };

    /// <summary>One layer's statistics as JSON (shared with <c>diagnose --model</c>, which has no update and so no
    /// update:data ratio).</summary>
    public static Dictionary<string, object?> LayerJson(LayerMonitorSample l) => new()
    {
        ["layer"] = l.Layer,
        ["activation"] = l.Activation,
        ["activation_mean"] = l.ActivationMean,
        ["activation_std"] = l.ActivationStd,
        ["saturated_fraction"] = l.SaturatedFraction,
        ["dead_fraction"] = l.DeadFraction,
        ["gradient_std"] = l.GradientStd,
        ["weight_std"] = l.WeightStd,
        ["grad_to_data"] = l.GradientToData,
        ["histogram"] = new Dictionary<string, object?> { ["lower"] = l.Histogram.Lower, ["upper"] = l.Histogram.Upper, ["counts"] = l.Histogram.Counts },
    };

    private static string Html(TrainingMonitor monitor, string run)
    {
        IReadOnlyList<MonitorSample> samples = monitor.Samples;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>initlab training monitor</title><style>")
            .Append("*{box-sizing:border-box}body{font-family:sans-serif;max-width:960px;margin:1em auto;padding:0 8px;color:#222}figure{margin:1.5em 0}img{max-width:100%;height:auto;border:1px solid #ddd}")
            .Append("figcaption{font-size:0.9em;color:#444}.warn{background:#fff4d6;border-left:4px solid #e0a000;padding:.5em}.ok{background:#e9f7ec;border-left:4px solid #2a9d4b;padding:.5em}")
            .Append("table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#f3f3f3}")
            .Append("</style></head><body>\n<h1>Training monitor</h1>\n<p>").Append(E(run)).Append("</p>\n");
        if (samples.Count == 0)
        {
            return html.Append("<p>No step was recorded.</p></body></html>\n").ToString();
        }
        html.Append(CultureInfo.InvariantCulture, $"<p>{samples.Count} records, every {monitor.Every} steps (steps {samples[0].Step}–{samples[^1].Step}); all layers in {CsvFile} and {JsonFile}.</p>\n");
        html.Append(InitialLossBlock(monitor.InitialLoss));
        html.Append(LastTable(samples[^1]));
        bool saturating = samples[0].Layers.Any(l => l.Activation is "tanh" or "sigmoid");
        bool rectified = samples[0].Layers.Any(l => l.Activation == "relu" || l.Activation.StartsWith("leaky_relu", StringComparison.Ordinal));
        Figure(html, MonitorPlots.OverSteps(samples, "activation std per layer", "log₁₀ activation std", l => Math.Log10(l.ActivationStd)),
            "Activation std per layer (log₁₀). Healthy: roughly level across layers and steps; falling layer after layer means the signal fades with depth, rising means it explodes.");
        if (saturating)
        {
            Figure(html, MonitorPlots.OverSteps(samples, "saturated activations", "% saturated", l => 100 * l.SaturatedFraction),
                "Share of activations in the flat tails (tanh |a| > 0.97, sigmoid outside [0.03, 0.97]): there the derivative is < 0.06, and a layer mostly saturated passes little gradient. A sigmoid or softmax output layer saturating as the model grows confident is expected.");
        }
        if (rectified)
        {
            Figure(html, MonitorPlots.OverSteps(samples, "dead ReLU units", "% dead units", l => 100 * l.DeadFraction),
                "Share of units that are zero on every row of the batch (dead ReLUs receive no gradient).");
        }
        Figure(html, MonitorPlots.OverSteps(samples, "grad:data ratio std(∇W)/std(W)", "log₁₀ grad:data", l => Math.Log10(l.GradientToData)),
            "Gradient std over weight std per layer (log₁₀). Layers far below the others learn far more slowly: a vanishing gradient shows as the first layers lying decades under the last.");
        Figure(html, MonitorPlots.OverSteps(samples, "update:data ratio log₁₀(std(ΔW)/std(W))", "log₁₀ update:data", l => l.UpdateToDataLog10, -3, "1e-3 reference"),
            "How much one step changes each kernel relative to its size. Around −3 (dashed) is the usual healthy value: well below, the layer barely learns (learning rate too low or gradient vanished); well above (> −1), updates are too large.");
        foreach (MonitorSample sample in HistogramSteps(samples))
        {
            Figure(html, MonitorPlots.Histograms(sample), string.Create(CultureInfo.InvariantCulture,
                $"Activation histograms of the hidden layers at step {sample.Step}: {TrainingMonitor.HistogramBins} bins over [−1, 1] for tanh, [0, 1] for sigmoid/softmax, [−4, 4] otherwise (values beyond are counted in the end bins). Collapsing onto 0 means the signal vanished; piling at ±1 means tanh saturates."));
        }
        if (samples[0].Layers.Count > MonitorPlots.MaxLayersShown)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Figures show {MonitorPlots.MaxLayersShown} of the {samples[0].Layers.Count} layers, evenly spaced; the table and files have all.</p>\n");
        }
        // The same marks as the practicals report, so scripts/check-report.sh can check this page in headless Chromium.
        html.Append("<script>addEventListener('load',()=>{const d=document.documentElement,w=d.clientWidth,i=[...document.images];" +
            "const o=[...document.body.querySelectorAll('*')].filter(e=>e.getBoundingClientRect().right>w+0.5).map(e=>e.tagName.toLowerCase());" +
            "document.body.dataset.images=i.filter(x=>x.complete&&x.naturalWidth>0).length+'/'+i.length;" +
            "document.body.dataset.overflow=o.length+(o.length?' '+o.slice(0,5).join(','):'');" +
            "document.body.dataset.width=d.scrollWidth+'/'+w;});</script>");
        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>First, middle and last records (fewer when there are fewer).</summary>
    internal static IReadOnlyList<MonitorSample> HistogramSteps(IReadOnlyList<MonitorSample> samples) =>
        [.. new[] { 0, samples.Count / 2, samples.Count - 1 }.Distinct().Select(i => samples[i])];

    private static string InitialLossBlock(InitialLossCheck? check)
    {
        if (check is null)
        {
            return "<p class=\"ok\">Initial-loss check: not applicable (the loss has no classes).</p>\n";
        }
        string text = check.Warning ?? string.Create(CultureInfo.InvariantCulture,
            $"initial loss {check.Loss:G4} vs −ln(1/{check.Classes}) = {check.Expected:G4} ({Math.Round(100 * check.RelativeDeviation, 1) + 0.0:+0.0;-0.0;0.0} %, within ±{InitialLossCheck.Tolerance:P0}): the untrained net spreads its guesses evenly, as it should.");
        return $"<p class=\"{(check.IsFarOff ? "warn" : "ok")}\">Initial-loss check: {E(text)}</p>\n";
    }

    private static string LastTable(MonitorSample last)
    {
        var table = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<h2>Step {last.Step} (last record, loss {last.Loss:G4})</h2>\n<table><tr><th>layer</th><th>activation</th><th>act. mean</th><th>act. std</th><th>saturated</th><th>dead</th><th>grad std</th><th>grad:data</th><th>log₁₀ update:data</th></tr>\n");
        foreach (LayerMonitorSample l in last.Layers)
        {
            table.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{E(l.Layer)}</td><td>{E(l.Activation)}</td><td>{G(l.ActivationMean)}</td><td>{G(l.ActivationStd)}</td><td>{l.SaturatedFraction:P1}</td><td>{l.DeadFraction:P1}</td><td>{G(l.GradientStd)}</td><td>{G(l.GradientToData)}</td><td>{G(l.UpdateToDataLog10)}</td></tr>\n");
        }
        return table.Append("</table>\n").ToString();
    }

    private static void Figure(StringBuilder html, (byte[] Png, IReadOnlyList<string> NotDrawn) figure, string caption) =>
        Figure(html, figure.Png, figure.NotDrawn.Count == 0 ? caption
            : caption + " Not drawn (no finite value at any step, e.g. a gradient that underflowed to exactly 0): " + string.Join(", ", figure.NotDrawn) + ".");

    private static void Figure(StringBuilder html, byte[] png, string caption) =>
        html.Append("<figure><img alt=\"").Append(E(caption)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png))
            .Append("\"><figcaption>").Append(E(caption)).Append("</figcaption></figure>\n");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string G(double value) => double.IsFinite(value) ? value.ToString("G3", CultureInfo.InvariantCulture) : NonFiniteStatistic.Symbol(value);

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string text) => text.Contains(',', StringComparison.Ordinal) ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
