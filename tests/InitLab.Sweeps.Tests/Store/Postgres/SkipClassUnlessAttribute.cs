namespace InitLab.Sweeps.Tests.Store.Postgres;

/// <summary>Skips every test of the class it marks, inherited ones included, when <see cref="SkipReason"/> is not null.</summary>
/// <remarks>xUnit 2 can skip only per method (<c>[Fact(Skip = …)]</c>), but the store contract's tests are inherited facts of
/// <c>SweepStoreContractTests</c>, shared with SQLite, which must always run; so <see cref="ClassSkippingTestFramework"/>
/// reads this attribute on the concrete class at discovery and reports its tests as skipped with the reason.</remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public abstract class SkipClassUnlessAttribute : Attribute
{
    /// <summary>Why the class's tests cannot run here, or null when they can.</summary>
    public abstract string? SkipReason { get; }
}
