namespace InitLab.Sweeps;

/// <summary>A sweep as a store holds it.</summary>
/// <param name="Id">The store's id of the sweep.</param>
/// <param name="Name">Its unique name.</param>
/// <param name="DefinitionJson">The sweep definition it was last started with (axes, fixed settings, seeds), as JSON.</param>
/// <param name="CreatedUtc">When it was first created.</param>
public sealed record SweepInfo(long Id, string Name, string DefinitionJson, DateTime CreatedUtc);
