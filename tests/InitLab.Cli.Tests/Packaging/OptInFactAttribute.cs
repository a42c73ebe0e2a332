namespace InitLab.Cli.Tests.Packaging;

/// <summary>A fact that runs only when an environment variable is <c>1</c> (CI's <c>.ci/run</c> sets it): for checks that
/// take minutes or need the network (packing and installing the NuGet packages, running every example); skipped, with the
/// reason, in a plain <c>dotnet test</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OptInFactAttribute : FactAttribute
{
    public OptInFactAttribute(string variable)
    {
        Variable = variable;
        Skip = SkipReason(variable);
    }

    /// <summary>The environment variable that turns the test on.</summary>
    public string Variable { get; }

    /// <summary>Null when <paramref name="variable"/> is <c>1</c>, else why the test is skipped.</summary>
    internal static string? SkipReason(string variable) =>
        Environment.GetEnvironmentVariable(variable) == "1" ? null : $"runs only with {variable}=1 (set by .ci/run); takes minutes";
}
