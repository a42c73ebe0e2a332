namespace InitLab.Cli.Tests;

/// <summary>A fact that needs Debian's headless Chromium at /usr/bin/chromium; skipped, with the reason, where it is
/// missing (the lead's CI installs it: apt-get install -y chromium).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Path = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Path))
        {
            Skip = $"needs headless Chromium at {Path} (apt-get install -y chromium); not installed here";
        }
    }
}
