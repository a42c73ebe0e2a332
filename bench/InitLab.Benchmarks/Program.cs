using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/InitLab.Benchmarks -- --filter '*' --job short
// dotnet run -c Release --project bench/InitLab.Benchmarks -- fusion-ab [rounds] [W2,W3,W4] [1,2]   (interleaved A/B, see FusionAb)
if (args.Length > 0 && args[0] == "fusion-ab")
{
    InitLab.Benchmarks.FusionAb.Run(args[1..]);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(InitLab.Benchmarks.GemmBenchmarks).Assembly).Run(args);
