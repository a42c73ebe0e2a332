namespace InitLab.Cli.Tests.Packaging;

/// <summary>The theory form of <see cref="OptInFactAttribute"/>: runs only when an environment variable is <c>1</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OptInTheoryAttribute : TheoryAttribute
{
    public OptInTheoryAttribute(string variable)
    {
        Variable = variable;
        Skip = OptInFactAttribute.SkipReason(variable);
    }

    /// <summary>The environment variable that turns the test on.</summary>
    public string Variable { get; }
}
