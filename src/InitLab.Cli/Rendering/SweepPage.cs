using System.Globalization;
using System.Net;
using System.Text;
using InitLab.Sweeps;
using InitLab.Sweeps.Analysis;

namespace InitLab.Cli.Rendering;

/// <summary>
/// The sweep report's HTML page: one file, nothing fetched. The figures are inline PNGs; every configuration's metrics
/// over seeds are embedded as JSON, and a small vanilla script draws an SVG heatmap of the metric, axes and filters the
/// reader picks from drop-downs (a cell shows the best configuration over the axes left at "best of all", as the PNG
/// heatmaps do). After each drawing the script records in &lt;body&gt; how many cells it drew (data-cells) and how often it
/// drew (data-renders), for headless tests.
/// </summary>
internal static class SweepPage
{
    public static string Html(string folder, SweepInfo sweep, IReadOnlyList<TrialRecord> trials, IReadOnlyList<ConfigurationGroup> groups,
        IReadOnlyList<ObservedAxis> axes, SweepReportOptions options, IReadOnlyList<ReportFigure> figures,
        IReadOnlyList<(string Activation, HeatmapGrid Grid)> bestTables, IReadOnlyList<TrainabilityDiagram> diagrams, IReadOnlyList<string> notes)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>InitLab sweep {Encode(sweep.Name)}</title>
            <link rel="icon" href="data:,">
            <style>
            body{"{"}font-family:"DejaVu Sans",system-ui,sans-serif;max-width:1080px;margin:2em auto;padding:0 1em;color:#1d2430;line-height:1.45{"}"}
            h1{"{"}font-size:1.8em;margin-bottom:.2em{"}"} h2{"{"}margin-top:2.2em;border-bottom:2px solid #dde3ea;padding-bottom:.2em{"}"}
            table{"{"}border-collapse:collapse;margin:1em 0;font-size:.84em;width:100%{"}"} th,td{"{"}border:1px solid #cfd6de;padding:.3em .45em;text-align:left;vertical-align:top{"}"}
            th{"{"}background:#eef2f6{"}"} td.num{"{"}text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap{"}"}
            figure{"{"}margin:1.4em 0{"}"} img{"{"}max-width:100%;height:auto;border:1px solid #e3e7ec{"}"} figcaption{"{"}font-size:.92em;max-width:60em{"}"} .small{"{"}color:#5f6b7a;font-size:.9em{"}"}
            #controls{"{"}display:flex;flex-wrap:wrap;gap:.4em 1.2em;margin:1em 0{"}"} #controls label{"{"}font-size:.92em{"}"} #controls select{"{"}margin-left:.3em;max-width:16em{"}"}
            #heatmap svg{"{"}max-width:100%;height:auto;display:block{"}"} #heatmap text{"{"}font-family:"DejaVu Sans",system-ui,sans-serif{"}"}
            </style></head><body>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<h1>Sweep <code>{Encode(sweep.Name)}</code></h1>");
        int done = trials.Count(t => t.Status == TrialStatus.Done), failed = trials.Count(t => t.Status == TrialStatus.Failed);
        html.Append(CultureInfo.InvariantCulture, $"<p>{trials.Count} trials in {groups.Count} configurations: <b>{done} done</b>, {failed} failed, {trials.Count - done - failed} pending or running. ");
        html.Append(string.Join("; ", axes.Select(a => $"<b>{Encode(a.Name)}</b> {Encode(string.Join(", ", a.Values))}")));
        string[] fixedSettings = [.. groups.SelectMany(g => g.Settings.Keys).Distinct().Where(k => axes.All(a => a.Name != k)).Order(StringComparer.Ordinal)
            .Select(k => $"{k}={SweepAnalysis.SharedValue(groups, k) ?? "(varies)"}")];
        html.Append(CultureInfo.InvariantCulture, $". Fixed: {Encode(string.Join(", ", fixedSettings))}.</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"small\">Each number is a mean over seeds (± its standard error where two or more seeds finished). Time to threshold is the first epoch where the training history's <code>{Encode(options.ThresholdKey)}</code> reaches {options.Threshold.ToString("G4", CultureInfo.InvariantCulture)}; seeds that never reach it are left out of the mean and counted as \"k/n\". Chance accuracy is {options.Chance.ToString("P1", CultureInfo.InvariantCulture)}.</p>");
        foreach (string note in notes)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"small\">{Encode(note)}</p>");
        }
        foreach (TrainabilityDiagram diagram in diagrams)
        {
            AppendDiagramTable(html, diagram);
        }
        html.Append("<h2 id=\"explore\">Explore</h2><p class=\"small\">Pick the metric, the axes and the value of every other setting; \"best of all\" lets each cell take the best configuration over that setting (hover a cell for its settings, mean ± SE, min–max and seeds).</p>");
        html.Append("<div id=\"controls\"></div><div id=\"heatmap\"></div><p id=\"selection\" class=\"small\"></p><div id=\"cell-table\"></div>");
        foreach (ReportFigure figure in figures)
        {
            string data = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(folder, figure.File)));
            html.Append(CultureInfo.InvariantCulture,
                $"<figure><img alt=\"{Encode(figure.Caption)}\" src=\"data:image/png;base64,{data}\"><figcaption>{Encode(figure.Caption)} <span class=\"small\">({Encode(figure.File)})</span></figcaption></figure>");
        }
        foreach ((string activation, HeatmapGrid grid) in bestTables)
        {
            AppendBestTable(html, activation, grid, axes);
        }
        AppendFailures(html, trials);
        html.Append("<p class=\"small\">Generated by <code>initlab sweep report</code>. Machine-readable results: results.json beside this page.</p>");
        // JsonReport's encoder already writes '<' as \u003C; the replacement keeps "</script>" out of the data even if that changes.
        html.Append("<script type=\"application/json\" id=\"sweep-data\">")
            .Append(PageData(groups, axes, options).Replace("</", "<\\/", StringComparison.Ordinal))
            .Append("</script>");
        html.Append("<script>").Append(Script).Append("</script>");
        // Marks the page for scripts/check-report.sh, as the practicals report does.
        html.Append("<script>addEventListener('load',()=>{const d=document.documentElement,w=d.clientWidth,i=[...document.images];" +
            "const o=[...document.body.querySelectorAll('*')].filter(e=>e.getBoundingClientRect().right>w+0.5).map(e=>e.tagName.toLowerCase());" +
            "document.body.dataset.images=i.filter(x=>x.complete&&x.naturalWidth>0).length+'/'+i.length;" +
            "document.body.dataset.overflow=o.length+(o.length?' '+o.slice(0,5).join(','):'');" +
            "document.body.dataset.width=d.scrollWidth+'/'+w;});</script>");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>The JSON the page's script reads: metrics, axes (with display labels), defaults and one entry per
    /// configuration holding its settings and, per metric, [mean, se, min, max, count, total] (null where not finite).</summary>
    internal static string PageData(IReadOnlyList<ConfigurationGroup> groups, IReadOnlyList<ObservedAxis> axes, SweepReportOptions options)
    {
        bool phase = axes.Any(a => a.Name == "sigma-w2") && axes.Any(a => a.Name == "depth") && axes.All(a => a.Name != "init");
        // The phase diagram's orientation (σ_w² across, depth up) when the sweep is one; else depth across.
        string x = phase ? "sigma-w2" : axes.Any(a => a.Name == "depth") ? "depth" : axes.Count > 0 ? axes[0].Name : "";
        string y = PreferredRows.FirstOrDefault(n => n != x && axes.Any(a => a.Name == n))
            ?? axes.FirstOrDefault(a => a.Name != x)?.Name ?? x;
        var filters = new Dictionary<string, object?>();
        // Different activations are different experiments: show one at a time unless the reader asks for "best of all".
        if (axes.FirstOrDefault(a => a.Name == "activation") is ObservedAxis activation && x != "activation" && y != "activation")
        {
            filters["activation"] = activation.Values[0];
        }
        var data = new Dictionary<string, object?>
        {
            ["metrics"] = options.Metrics.Select(m => new Dictionary<string, object?>
            {
                ["name"] = m.Name,
                ["label"] = m.Label,
                ["higher"] = m.HigherIsBetter,
                ["fraction"] = m.Name.Contains("accuracy", StringComparison.Ordinal) && !m.Name.StartsWith("epochs", StringComparison.Ordinal),
            }).ToList(),
            ["axes"] = axes.Select(a => new Dictionary<string, object?> { ["name"] = a.Name, ["label"] = SweepPlots.Label(a.Name), ["values"] = a.Values.ToList() }).ToList(),
            ["defaults"] = new Dictionary<string, object?> { ["x"] = x, ["y"] = y, ["filters"] = filters },
            ["configs"] = groups.Select(g => new Dictionary<string, object?>
            {
                ["s"] = g.Settings.ToDictionary(kv => kv.Key, kv => (object?)kv.Value),
                ["m"] = options.Metrics.ToDictionary(m => m.Name, m =>
                {
                    MetricSummary s = g.Summarize(m);
                    return (object?)new List<object?> { s.Mean, s.StandardError, s.Min, s.Max, s.Count, s.Total };
                }),
            }).ToList(),
        };
        return JsonReport.Serialize(data).Trim();
    }

    private static readonly string[] PreferredRows = ["init", "depth", "sigma-w2"];

    private static void AppendDiagramTable(StringBuilder html, TrainabilityDiagram d)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"phase-{Encode(PracticalPlots.Slug(d.Activation))}\">Trainability: {Encode(d.Activation)}, σ_b² = {d.BiasVariance:G3}</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Encode(SweepReport.PhaseCaption(d))}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<table><tr><th>σ_w²</th><th>χ₁</th><th>ξ_c (layers)</th><th>{d.Factor:G3}ξ_c</th><th>largest trainable depth</th><th>first untrainable depth</th><th>measured / {d.Factor:G3}ξ_c</th><th>{d.Factor:G3}ξ_c in the bracket</th></tr>");
        foreach (TrainabilityColumn c in d.Columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"num\">{c.WeightVariance:G4}</td><td class=\"num\">{c.Chi1:F3}</td><td class=\"num\">{Number(c.CorrelationDepthScale)}</td><td class=\"num\">{Number(c.TheoryDepth)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{(c.MaxTrainableDepth is double m ? m.ToString(CultureInfo.InvariantCulture) : "none")}</td><td class=\"num\">{(c.FirstUntrainableDepth is double f ? f.ToString(CultureInfo.InvariantCulture) : "beyond the grid")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{(double.IsFinite(c.Ratio) ? c.Ratio.ToString("F2", CultureInfo.InvariantCulture) : "—")}</td><td>{(c.TheoryWithinBracket ? "yes" : "no")}</td></tr>");
        }
        html.Append("</table>");
    }

    private static void AppendBestTable(StringBuilder html, string activation, HeatmapGrid grid, IReadOnlyList<ObservedAxis> axes)
    {
        string[] free = [.. axes.Select(a => a.Name).Where(n => n != grid.X.Name && n != grid.Y.Name && !grid.Filter.ContainsKey(n))];
        html.Append(CultureInfo.InvariantCulture, $"<h2>Best configuration per cell: {Encode(activation)}</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"small\">By mean test accuracy over seeds; {(free.Length == 0 ? "every other setting is fixed, so each cell has one configuration." : "chosen over " + Encode(string.Join(", ", free)) + ".")}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<table><tr><th>{Encode(grid.Y.Name)}</th><th>{Encode(grid.X.Name)}</th><th>best {Encode(free.Length == 0 ? "(only) configuration" : string.Join(", ", free))}</th><th>test accuracy ± SE</th><th>min–max</th><th>seeds done</th></tr>");
        foreach (HeatmapCell c in grid.Cells())
        {
            string settings = free.Length == 0 ? "—" : string.Join(", ", free.Select(n => $"{n}={c.Best[n] ?? "—"}"));
            MetricSummary s = c.Summary;
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(c.Y)}</td><td class=\"num\">{Encode(c.X)}</td><td>{Encode(settings)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Percent(s.Mean)}{(double.IsFinite(s.StandardError) ? " ± " + Percent(s.StandardError) : "")}</td><td class=\"num\">{Percent(s.Min)}–{Percent(s.Max)}</td><td class=\"num\">{s.Count}/{s.Total}</td></tr>");
        }
        html.Append("</table>");
    }

    private static void AppendFailures(StringBuilder html, IReadOnlyList<TrialRecord> trials)
    {
        var failed = trials.Where(t => t.Status == TrialStatus.Failed).ToList();
        if (failed.Count == 0)
        {
            return;
        }
        html.Append(CultureInfo.InvariantCulture, $"<h2>Failed trials ({failed.Count})</h2><table><tr><th>trial</th><th>why</th></tr>");
        foreach (TrialRecord t in failed.Take(50))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(t.Spec.ToString())}</td><td>{Encode(t.Error ?? "")}</td></tr>");
        }
        html.Append("</table>");
        if (failed.Count > 50)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"small\">… and {failed.Count - 50} more (results.json lists every configuration).</p>");
        }
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Number(double value) => double.IsPositiveInfinity(value) ? "∞" : double.IsNaN(value) ? "—" : value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Percent(double value) => double.IsFinite(value) ? (100 * value).ToString("F1", CultureInfo.InvariantCulture) + "\u00a0%" : "—";

    // The page's script: builds the drop-downs from the embedded data and redraws the SVG heatmap on every change.
    private const string Script = """
        (()=>{'use strict';
        const D=JSON.parse(document.getElementById('sweep-data').textContent);
        const NS='http://www.w3.org/2000/svg';
        const controls=document.getElementById('controls'),box=document.getElementById('heatmap');
        const VIRIDIS=[[68,1,84],[72,40,120],[62,74,137],[49,104,142],[38,130,142],[31,158,137],[53,183,121],[109,205,89],[180,222,44],[253,231,37]];
        if(D.axes.length===0){box.textContent='Every trial has the same settings: nothing to draw.';document.body.dataset.cells='0';return;}
        function pick(id,label,options,value){
          const l=document.createElement('label');l.textContent=label;
          const s=document.createElement('select');s.id=id;
          for(const [v,t] of options){const o=document.createElement('option');o.value=v;o.textContent=t;s.appendChild(o);}
          s.value=value;s.addEventListener('change',render);l.appendChild(s);controls.appendChild(l);return s;}
        const metric=pick('metric','metric',D.metrics.map(m=>[m.name,m.label]),D.metrics[0].name);
        const axisOptions=D.axes.map(a=>[a.name,a.label]);
        const xSel=pick('x-axis','columns',axisOptions,D.defaults.x);
        const ySel=pick('y-axis','rows',axisOptions,D.defaults.y);
        const filters={};
        for(const a of D.axes){filters[a.name]=pick('filter-'+a.name,a.label,[['','best of all'],...a.values.map(v=>[v,v])],D.defaults.filters[a.name]??'');}
        function colour(t){t=Math.min(1,Math.max(0,t));const p=t*(VIRIDIS.length-1),i=Math.min(VIRIDIS.length-2,Math.floor(p)),f=p-i;
          const c=VIRIDIS[i].map((v,k)=>Math.round(v+(VIRIDIS[i+1][k]-v)*f));return 'rgb('+c.join(',')+')';}
        const finite=v=>typeof v==='number'&&isFinite(v);
        function better(m,a,b){if(!finite(a))return false;if(!finite(b))return true;return m.higher?a>b:a<b;}
        function fmt(m,v){if(!finite(v))return '—';if(m.fraction)return (100*v).toFixed(1);return Math.abs(v)>=1000?v.toFixed(0):String(Number(v.toPrecision(3)));}
        function el(name,attrs,text){const e=document.createElementNS(NS,name);for(const k in attrs)e.setAttribute(k,attrs[k]);if(text!==undefined)e.textContent=text;return e;}
        let renders=0;
        function render(){
          const m=D.metrics.find(x=>x.name===metric.value);
          const x=xSel.value;let y=ySel.value;
          if(x===y){const other=D.axes.find(a=>a.name!==x);if(other){y=other.name;ySel.value=y;}}
          for(const [name,s] of Object.entries(filters))s.parentElement.hidden=(name===x||name===y);
          const held=Object.entries(filters).filter(([n,s])=>n!==x&&n!==y&&s.value!=='');
          const kept=D.configs.filter(c=>c.s[x]!==undefined&&c.s[y]!==undefined&&held.every(([n,s])=>c.s[n]===s.value));
          const order=name=>{const a=D.axes.find(a=>a.name===name);const present=new Set(kept.map(c=>c.s[name]));return a?a.values.filter(v=>present.has(v)):[...present];};
          const xs=x===y?[kept.length?kept[0].s[x]:'']:order(x),ys=x===y?[]:order(y);
          const cells=new Map(),count=new Map();
          for(const c of kept){const k=c.s[x]+'\u0000'+c.s[y];count.set(k,(count.get(k)||0)+1);const cur=cells.get(k);
            if(!cur||better(m,c.m[m.name][0],cur.m[m.name][0]))cells.set(k,c);}
          const values=[...cells.values()].map(c=>c.m[m.name][0]).filter(finite);
          let lo=m.fraction?0:Math.min(...values),hi=m.fraction?1:Math.max(...values);
          if(!(hi>lo)){lo=values.length?values[0]-1:0;hi=lo+2;}
          const longest=Math.max(4,...ys.map(v=>v.length));
          const left=Math.min(170,24+7.2*longest),cw=Math.max(46,Math.min(92,760/Math.max(1,xs.length))),ch=30,top=8;
          const legend=m.label+(m.fraction?' (%)':'')+(m.higher?', higher is better':', lower is better'),gw=Math.min(260,xs.length*cw);
          const width=Math.max(left+xs.length*cw+16,left+gw+24+6.6*legend.length),height=top+ys.length*ch+96;
          const svg=el('svg',{xmlns:NS,viewBox:'0 0 '+width+' '+height,width:width,height:height,role:'img','aria-label':m.label+' over '+x+' and '+y});
          let drawn=0;
          ys.forEach((yv,r)=>{const py=top+(ys.length-1-r)*ch;
            svg.appendChild(el('text',{x:left-6,y:py+ch/2+4,'text-anchor':'end','font-size':12},yv));
            xs.forEach((xv,col)=>{const px=left+col*cw,k=xv+'\u0000'+yv,c=cells.get(k);const g=el('g',{'class':'cell','data-x':xv,'data-y':yv});
              if(!c){g.appendChild(el('rect',{x:px,y:py,width:cw-1,height:ch-1,fill:'#d9d9d9'}));svg.appendChild(g);return;}
              const s=c.m[m.name],v=s[0],t=finite(v)?(v-lo)/(hi-lo):0;
              g.appendChild(el('rect',{x:px,y:py,width:cw-1,height:ch-1,fill:finite(v)?colour(t):'#9aa0a6'}));
              const label=fmt(m,v)+(s[4]<s[5]?' ('+s[4]+'/'+s[5]+')':'');
              g.appendChild(el('text',{x:px+cw/2,y:py+ch/2+4,'text-anchor':'middle','font-size':s[4]<s[5]?10:12,fill:finite(v)&&t>0.6?'#000':'#fff'},label));
              const settings=Object.entries(c.s).map(([a,b])=>a+'='+b).join(', ');
              g.appendChild(el('title',{},m.label+': '+fmt(m,v)+(finite(s[1])?' ± '+fmt(m,s[1]):'')+' (min '+fmt(m,s[2])+', max '+fmt(m,s[3])+', '+s[4]+'/'+s[5]+' seeds)\n'+settings+(count.get(k)>1?'\nbest of '+count.get(k)+' configurations':'')));
              svg.appendChild(g);drawn++;});});
          xs.forEach((xv,col)=>svg.appendChild(el('text',{x:left+col*cw+cw/2,y:top+ys.length*ch+16,'text-anchor':'middle','font-size':12},xv)));
          const label=D.axes.find(a=>a.name===x);
          svg.appendChild(el('text',{x:left+xs.length*cw/2,y:top+ys.length*ch+36,'text-anchor':'middle','font-size':13},label?label.label:x));
          const gy=top+ys.length*ch+52;
          for(let i=0;i<40;i++)svg.appendChild(el('rect',{x:left+i*gw/40,y:gy,width:gw/40+0.5,height:12,fill:colour(i/39)}));
          svg.appendChild(el('text',{x:left,y:gy+28,'font-size':11},fmt(m,lo)));
          svg.appendChild(el('text',{x:left+gw,y:gy+28,'font-size':11,'text-anchor':'end'},fmt(m,hi)));
          svg.appendChild(el('text',{x:left+gw+10,y:gy+11,'font-size':11},legend));
          box.replaceChildren(svg);
          const free=D.axes.filter(a=>a.name!==x&&a.name!==y&&filters[a.name].value==='').map(a=>a.name);
          document.getElementById('selection').textContent=kept.length+' configurations shown'+(held.length?' ('+held.map(([n,s])=>n+'='+s.value).join(', ')+')':'')+
            (free.length?'; each cell shows the best over '+free.join(', ')+'.':'.')+(drawn===0?' No configuration matches: choose other values.':'');
          renders++;document.body.dataset.cells=String(drawn);document.body.dataset.renders=String(renders);
        }
        render();})();
        """;
}
