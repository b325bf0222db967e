using System.Text.Json.Nodes;

namespace Road.Build.Tests;

/// <summary>
/// The malformed-input corpus (Malformed/, made by make_corpus.py): broken data files of every format, hostile or
/// damaged checkpoint folders, bad prediction files. Each, through the command a user would run, ends with exit code
/// 1 and one error line that names the file (with its line or JSON path where there is one), no stack trace, and no
/// output file that looks complete.
/// </summary>
public sealed class MalformedInputTests
{
    private static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "Malformed");
    private const string PickleWitness = "/tmp/road-malformed-pickle-ran";

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in JsonNode.Parse(File.ReadAllText(Path.Combine(Corpus, "cases.json")))!.AsArray()) data.Add(c!["name"]!.GetValue<string>());
        return data;
    }

    [Fact]
    public void The_corpus_holds_at_least_forty_inputs() => Assert.True(Cases().Count >= 40, $"{Cases().Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_malformed_input_is_one_clear_error(string name)
    {
        var c = JsonNode.Parse(File.ReadAllText(Path.Combine(Corpus, "cases.json")))!.AsArray().Single(x => x!["name"]!.GetValue<string>() == name)!;
        string output = Directory.CreateTempSubdirectory("road-malformed-").FullName;
        try
        {
            var args = c["args"]!.AsArray().Select(a => a!.GetValue<string>().Replace("{corpus}", Corpus).Replace("{output}", output)).ToArray();
            var (code, _, error) = BuildCommandTests.Build(args);
            Assert.Equal(1, code);
            var errors = error.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
            string line = Assert.Single(errors);
            Assert.Contains(c["expect"]!.GetValue<string>(), line);
            // The message names the file or folder that is wrong.
            Assert.Contains(c["names"]!.GetValue<string>(), line);
            Assert.DoesNotContain("   at ", error);
            Assert.DoesNotContain("Unhandled exception", error);
            Assert.Empty(Directory.GetFileSystemEntries(output));
            Assert.False(File.Exists(PickleWitness), "unpickling ran the pickle's function call");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
