using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/InitLab.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(InitLab.Benchmarks.GemmBenchmarks).Assembly).Run(args);
