// Kazan's benchmark harness. The data generator and the scenarios are being built (see docs/performance.md);
// until then this only checks that the harness builds against the application.
Console.WriteLine("Kazan.Bench: usage: dotnet run -c Release --project bench/Kazan.Bench -- --tier S|M|L --db sqlite|postgres");
Console.WriteLine("No scenarios are implemented yet.");
return args.Length == 0 ? 0 : 2;
