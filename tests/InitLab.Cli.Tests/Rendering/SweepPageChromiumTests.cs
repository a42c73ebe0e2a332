using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using InitLab.Cli.Rendering;

namespace InitLab.Cli.Tests.Rendering;

/// <summary>
/// The report page in headless Chromium: a copy of it gets two extra scripts — one first in &lt;head&gt; that records every
/// console error and uncaught exception, one last in &lt;body&gt; that reads the heatmap, changes drop-downs the way a reader
/// does (set the value, fire "change") and reads it again — and Chromium's --dump-dom returns what they wrote into
/// &lt;body&gt;'s data attributes.
/// </summary>
public sealed partial class SweepPageChromiumTests
{
    private const string Recorder = "<script>window.__errors=[];const __e=console.error.bind(console);" +
        "console.error=(...a)=>{window.__errors.push(a.join(' '));__e(...a);};" +
        "addEventListener('error',e=>window.__errors.push('uncaught: '+e.message));</script>";

    private const string Probe = """
        <script>addEventListener('load',()=>{
          const b=document.body.dataset;
          const cell=(x,y)=>{const g=document.querySelector('#heatmap g.cell[data-x="'+x+'"][data-y="'+y+'"]');return g?g.querySelector('text').textContent:'missing';};
          const fills=()=>[...document.querySelectorAll('#heatmap g.cell rect')].map(r=>r.getAttribute('fill')).join(' ');
          const change=(id,value)=>{const s=document.getElementById(id);s.value=value;s.dispatchEvent(new Event('change'));};
          b.relu=cell('2','he_normal');b.reluCells=b.cells;b.reluFills=fills();
          change('filter-activation','tanh');
          b.tanh=cell('2','he_normal');b.tanhFills=fills();
          change('metric','seconds');
          b.seconds=cell('2','he_normal');
          change('filter-lr','0.01');
          b.lowLr=cell('2','he_normal');
          change('x-axis','lr');change('y-axis','depth');
          b.lrColumns=[...new Set([...document.querySelectorAll('#heatmap g.cell')].map(g=>g.dataset.x))].join(' ');
          b.errors=window.__errors.length+(window.__errors.length?': '+window.__errors.join(' | '):'');
          b.probed='yes';
        });</script>
        """;

    [ChromiumFact]
    public void Page_ChangeActivationMetricAndFilter_HeatmapRedrawsWithTheSelectedNumbers_NoConsoleErrors()
    {
        using var dir = new TempDirectory();
        string folder = Path.Combine(dir.Path, "report");
        Directory.CreateDirectory(folder);
        SweepReport.Write(folder, SweepReportFixtures.Sweep, SweepReportFixtures.DepthVsInit(), new SweepReportOptions(0.1, 0.55, "accuracy", 0.5));
        string page = File.ReadAllText(Path.Combine(folder, "report.html"));
        string probed = dir.File("probed.html");
        File.WriteAllText(probed, page.Replace("<head>", "<head>" + Recorder, StringComparison.Ordinal)
            .Replace("</body>", Probe + "</body>", StringComparison.Ordinal));

        Dictionary<string, string> body = DumpBodyData(probed, dir.File("profile"));

        Assert.Equal("yes", body.GetValueOrDefault("data-probed"));
        Assert.Equal("0", body["data-errors"]);
        Assert.Equal("6/6", body["data-images"]); // 3 figures per activation, all inline PNGs decoded
        Assert.Equal("0", body["data-overflow"]);
        // Fixture: accuracy = base − 0.02·depth + 0.05 (lr 0.1, the best lr, chosen while lr is "best of all") at seed mean;
        // relu he_normal base 0.9 → 0.91 at depth 2; tanh he_normal has base 0.8 and loses 0.1 more → 0.71. Cells show percent with one decimal.
        Assert.Equal("91.0", body["data-relu"]);
        Assert.Equal("6", body["data-relu-cells"]);
        Assert.Equal("71.0", body["data-tanh"]);
        Assert.NotEqual(body["data-relu-fills"], body["data-tanh-fills"]);
        Assert.Equal("0.5", body["data-seconds"]); // every fixture trial took 0.5 s
        // Holding lr at 0.01 removes the +0.05: tanh he_normal depth 2 → 0.66, but the metric is still seconds.
        Assert.Equal("0.5", body["data-low-lr"]);
        Assert.Equal("0.01 0.1", body["data-lr-columns"]);
    }

    [ChromiumFact]
    public void Page_LowLearningRateAccuracy_ShowsHeldValue()
    {
        using var dir = new TempDirectory();
        SweepReport.Write(dir.Path, SweepReportFixtures.Sweep, SweepReportFixtures.DepthVsInit(), new SweepReportOptions(0.1, 0.55, "accuracy", 0.5));
        string page = File.ReadAllText(dir.File("report.html"));
        const string HoldLr = "<script>addEventListener('load',()=>{const s=document.getElementById('filter-lr');s.value='0.01';s.dispatchEvent(new Event('change'));" +
            "const g=document.querySelector('#heatmap g.cell[data-x=\"2\"][data-y=\"he_normal\"]');document.body.dataset.held=g.querySelector('text').textContent;" +
            "document.body.dataset.title=g.querySelector('title').textContent.split('\\n')[0];});</script>";
        string probed = dir.File("probed.html");
        File.WriteAllText(probed, page.Replace("</body>", HoldLr + "</body>", StringComparison.Ordinal));

        Dictionary<string, string> body = DumpBodyData(probed, dir.File("profile"));

        // relu he_normal depth 2, lr 0.01: 0.9 − 0.04 = 0.86 over seeds 0.85/0.86/0.87: SE = 0.01/√3 = 0.577 points.
        Assert.Equal("86.0", body["data-held"]);
        Assert.Equal("test accuracy: 86.0 ± 0.6 (min 85.0, max 87.0, 3/3 seeds)", body["data-title"]);
    }

    private static Dictionary<string, string> DumpBodyData(string page, string profile)
    {
        var start = new ProcessStartInfo(ChromiumFactAttribute.Path,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--window-size=1280,1800",
            "--virtual-time-budget=15000", "--dump-dom", new Uri(page).AbsoluteUri,
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string dom = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "chromium did not finish in 2 minutes");
        Match body = BodyTag().Match(dom);
        Assert.True(body.Success, "no <body> in the dumped DOM; chromium said: " + error.Result);
        return Attribute().Matches(body.Value).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value), StringComparer.Ordinal);
    }

    [GeneratedRegex("<body[^>]*>")]
    private static partial Regex BodyTag();

    [GeneratedRegex("(data-[a-z-]+)=\"([^\"]*)\"")]
    private static partial Regex Attribute();
}
