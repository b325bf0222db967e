using System.Text;
using Road.Tests.Fetching;

namespace Road.Build.Tests;

/// <summary>FetchCheckpoint and FetchData as users type them, against loopback servers.</summary>
public sealed class FetchCommandTests : IDisposable
{
    private const string Token = "hf_CommandLineSecret42";
    private readonly string _root = Directory.CreateTempSubdirectory("road-fetch-cli-").FullName;
    private readonly FakeHub _hub = new() { RequiredToken = Token };

    public FetchCommandTests()
    {
        _hub.AddRepository("google/electra-small-discriminator", new Dictionary<string, byte[]>
        {
            ["config.json"] = Encoding.UTF8.GetBytes("""{"model_type": "electra"}"""),
            ["pytorch_model.bin"] = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))],
            ["vocab.txt"] = Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n[CLS]\n[SEP]\n"),
        });
    }

    public void Dispose()
    {
        _hub.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private Dictionary<string, string> Environment(string? token = Token) => new()
    {
        ["HF_ENDPOINT"] = _hub.Endpoint.ToString(),
        ["HF_TOKEN"] = token ?? "",
        ["HF_HOME"] = Path.Combine(_root, "hf-home"),
        ["ROAD_MODELS"] = Path.Combine(_root, "models"),
    };

    [Fact]
    public void FetchCheckpoint_downloads_into_ROAD_MODELS_and_never_prints_the_token()
    {
        var (code, output, error) = BuildCommandTests.Build(Environment(), "FetchCheckpoint", "--repo", "google/electra-small-discriminator");

        Assert.True(code == 0, output + error);
        string folder = Path.Combine(_root, "models", "google", "electra-small-discriminator");
        string summary = $"google/electra-small-discriminator (commit {FakeHub.Commit}): 3 files, 300.0 kB (3 downloaded) in {folder}";
        Assert.True(output.Contains(summary, StringComparison.Ordinal), output);
        Assert.Equal(300_000, new FileInfo(Path.Combine(folder, "pytorch_model.bin")).Length);
        Assert.DoesNotContain(Token, output + error);
    }

    [Fact]
    public void FetchData_takes_the_paper_datasets_through_ROAD_FETCH_MIRROR_and_enforces_the_pinned_hashes()
    {
        byte[] quac = Encoding.UTF8.GetBytes("{\"data\": []}");
        using var mirror = new LoopbackServer(context =>
        {
            if (context.Request.Url!.AbsolutePath.StartsWith("/s3.amazonaws.com/my89public/quac/", StringComparison.Ordinal)
                || context.Request.Url.AbsolutePath.StartsWith("/rajpurkar.github.io/SQuAD-explorer/dataset/", StringComparison.Ordinal))
                ServedBytes.Serve(context, quac);
            else
                context.Response.StatusCode = 404;
        });
        var environment = new Dictionary<string, string> { ["ROAD_FETCH_MIRROR"] = mirror.Address.ToString(), ["ROAD_DATA"] = Path.Combine(_root, "data"), ["HF_HUB_OFFLINE"] = "" };

        var (code, output, error) = BuildCommandTests.Build(environment, "FetchData", "--dataset", "quac");
        var (squadCode, _, squadError) = BuildCommandTests.Build(environment, "FetchData", "--dataset", "squad2");
        var (unknownCode, _, unknownError) = BuildCommandTests.Build(environment, "FetchData", "--dataset", "squad");

        Assert.True(code == 0, output + error);
        Assert.Contains($"quac: 2 files in {Path.Combine(_root, "data", "quac")}", output);
        Assert.Equal(quac, File.ReadAllBytes(Path.Combine(_root, "data", "quac", "val_v0.2.json")));
        Assert.Equal(1, squadCode);
        Assert.Contains("error: squad2/train-v2.0.json: the downloaded bytes do not match: expected md5:62108c273c268d70893182d5cf8df740, got md5:", squadError);
        Assert.False(File.Exists(Path.Combine(_root, "data", "squad2", "train-v2.0.json")));
        Assert.Equal(1, unknownCode);
        Assert.Contains("error: unknown dataset \"squad\"; known datasets: squad2, newsqa, triviaqa, naturalquestions, quac, qasrl, qazre, mnli, snli, amazon, qqp.", unknownError);
    }

    [Fact]
    public void FetchCheckpoint_without_the_token_a_gated_repository_needs_is_one_error()
    {
        var (code, output, error) = BuildCommandTests.Build(Environment(token: null), "FetchCheckpoint", "--repo", "google/electra-small-discriminator");

        Assert.Equal(1, code);
        Assert.Contains("error: the Hub answered 401 for google/electra-small-discriminator: it is gated, private or does not exist. Set HF_TOKEN to a token with read access (https://huggingface.co/settings/tokens).", error);
        Assert.False(Directory.Exists(Path.Combine(_root, "models", "google")));
        Assert.DoesNotContain("   at ", output + error);
    }
}
