using System.Xml.Linq;

namespace Road.Build;

/// <summary>Counts of a test run, read from the TRX files that <c>dotnet test --logger trx</c> writes (in the folder and
/// the folders under it).</summary>
public sealed record TestResults(int Passed, int Failed, int Skipped)
{
    public static TestResults Read(string folder)
    {
        int passed = 0, failed = 0, skipped = 0;
        foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.trx", SearchOption.AllDirectories) : [])
        {
            var counters = XDocument.Load(file).Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
            if (counters is null) continue;
            passed += (int?)counters.Attribute("passed") ?? 0;
            failed += (int?)counters.Attribute("failed") ?? 0;
            skipped += (int?)counters.Attribute("notExecuted") ?? 0;
        }
        return new TestResults(passed, failed, skipped);
    }

    /// <summary>The closing line CI reads.</summary>
    public override string ToString() => $"{Passed} passed, {Failed} failed" + (Skipped > 0 ? $", {Skipped} skipped" : "");
}
