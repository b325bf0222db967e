using System.Text;
using Road.Encoders;
using Road.Hub;

namespace Road.Tests.Fetching;

/// <summary>FetchCheckpoint against a loopback Hub: the files chosen, verification, resume, tokens, offline, the cache.</summary>
public sealed class CheckpointFetchTests : IDisposable
{
    private const string Repo = "google/electra-tiny-discriminator";
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf-reference", "electra-tiny");
    private readonly string _root = Directory.CreateTempSubdirectory("road-fetch-").FullName;
    private readonly FakeHub _hub = new();
    private readonly RecordedDownloads _progress = new();

    public CheckpointFetchTests()
    {
        _hub.AddRepository(Repo, new Dictionary<string, byte[]>
        {
            ["config.json"] = File.ReadAllBytes(Path.Combine(Fixture, "config.json")),
            ["model.safetensors"] = File.ReadAllBytes(Path.Combine(Fixture, "model.safetensors")),
            ["pytorch_model.bin"] = Encoding.ASCII.GetBytes("an older pickled copy that must not be fetched when safetensors exist"),
            ["tf_model.h5"] = Encoding.ASCII.GetBytes("TensorFlow weights"),
            ["vocab.txt"] = File.ReadAllBytes(Path.Combine(Fixture, "vocab.txt")),
            ["tokenizer_config.json"] = Encoding.UTF8.GetBytes("{\"do_lower_case\": true}"),
            [".gitattributes"] = Encoding.ASCII.GetBytes("*.bin filter=lfs\n"),
            ["README.md"] = Encoding.UTF8.GetBytes("# ELECTRA tiny\n"),
        });
    }

    public void Dispose()
    {
        _hub.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private string Models => Path.Combine(_root, "models");

    private string Folder => Path.Combine(Models, "google", "electra-tiny-discriminator");

    private HubSettings Settings(string? token = null, bool offline = false) => new(_hub.Endpoint, token, offline, Path.Combine(_root, "hf-cache"));

    private FetchRecord Fetch(string? token = null, bool offline = false, string repo = Repo, string revision = "main") =>
        new CheckpointFetch(Settings(token, offline), _progress).Fetch(repo, revision, Models);

    private IEnumerable<SeenRequest> CdnGets => _hub.Cdn.Seen.Where(r => r.Method == "GET");

    [Fact]
    public void Fetches_the_config_the_safetensors_weights_and_the_tokenizer_files_verified_and_records_them()
    {
        var record = Fetch();

        Assert.Equal(["config.json", "fetch.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"],
            Directory.GetFiles(Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string file in new[] { "config.json", "model.safetensors", "vocab.txt" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(Fixture, file)), File.ReadAllBytes(Path.Combine(Folder, file)));
        Assert.Equal(FakeHub.Commit, record.Commit);
        var weights = Assert.Single(record.Files, f => f.Path == "model.safetensors");
        Assert.Equal("sha256:" + FakeHub.Sha256(File.ReadAllBytes(Path.Combine(Fixture, "model.safetensors"))), weights.Hash);
        Assert.Equal("git-sha1:" + FakeHub.GitBlobSha1(File.ReadAllBytes(Path.Combine(Fixture, "config.json"))), record.Files[0].Hash);
        Assert.Equal(record with { FetchedAt = default }, FetchRecord.Read(Folder)! with { FetchedAt = default, Files = record.Files });
        Assert.Equal(record.Files, FetchRecord.Read(Folder)!.Files);
        // The tree API was read page by page (two entries a page), and the folder loads as a run would load it.
        Assert.Equal(4, _hub.Server.Seen.Count(r => r.PathAndQuery.StartsWith("/api/models/", StringComparison.Ordinal)));
        Assert.Equal("electra", CheckpointInspection.Of(Folder).Config.ModelType);
    }

    [Fact]
    public void Git_blob_ids_are_computed_as_git_computes_them()
    {
        string file = Path.Combine(_root, "hello.txt");
        File.WriteAllText(file, "hello\n");
        // `printf 'hello\n' | git hash-object --stdin`
        Assert.Equal(ContentHash.GitBlob("ce013625030ba8dba906f756967f9e9ca394464a"), ContentHash.Compute(HashKind.GitBlobSha1, file));
        Assert.Equal(ContentHash.Sha256("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"), ContentHash.Compute(HashKind.Sha256, file));
    }

    [Fact]
    public void Takes_the_pickled_weights_when_there_are_no_safetensors_and_every_shard_an_index_names()
    {
        byte[] shard1 = File.ReadAllBytes(Path.Combine(Fixture, "model.safetensors"));
        byte[] shard2 = [.. shard1.Reverse()];
        _hub.AddRepository("org/sharded", new Dictionary<string, byte[]>
        {
            ["config.json"] = Encoding.UTF8.GetBytes("{}"),
            ["pytorch_model.bin.index.json"] = Encoding.UTF8.GetBytes("""{"metadata": {}, "weight_map": {"a": "pytorch_model-00001-of-00002.bin", "b": "pytorch_model-00002-of-00002.bin", "c": "pytorch_model-00001-of-00002.bin"}}"""),
            ["pytorch_model-00001-of-00002.bin"] = shard1,
            ["pytorch_model-00002-of-00002.bin"] = shard2,
            ["flax_model.msgpack"] = [1, 2, 3],
        });

        var record = Fetch(repo: "org/sharded");

        Assert.Equal(["config.json", "pytorch_model.bin.index.json", "pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin"], record.Files.Select(f => f.Path));
        Assert.Equal(shard2, File.ReadAllBytes(Path.Combine(Models, "org", "sharded", "pytorch_model-00002-of-00002.bin")));
    }

    [Fact]
    public void A_repository_with_only_tensorflow_weights_is_refused_by_name()
    {
        _hub.AddRepository("org/tf-only", new Dictionary<string, byte[]> { ["config.json"] = [], ["tf_model.h5"] = [1] });

        var e = Assert.Throws<RoadException>(() => Fetch(repo: "org/tf-only"));

        Assert.Equal("org/tf-only has no PyTorch weights (model.safetensors or pytorch_model.bin); it holds config.json, tf_model.h5. Road reads PyTorch weights only.", e.Message);
    }

    [Fact]
    public void The_token_goes_to_the_hub_only_and_is_written_nowhere()
    {
        const string token = "hf_SeCrEtTokenValue123";
        _hub.RequiredToken = token;

        var refused = Assert.Throws<RoadException>(() => Fetch());
        Assert.Contains("Set HF_TOKEN", refused.Message);
        var wrong = Assert.Throws<RoadException>(() => Fetch(token: "hf_wrong"));
        Assert.Contains("refused HF_TOKEN", wrong.Message);
        Assert.DoesNotContain("hf_wrong", wrong.Message);

        int refusedCalls = _hub.Server.Seen.Count;
        Fetch(token: token);

        Assert.All(_hub.Server.Seen.Skip(refusedCalls), r => Assert.Equal($"Bearer {token}", r.Authorization));
        Assert.NotEmpty(_hub.Cdn.Seen);
        Assert.All(_hub.Cdn.Seen, r => Assert.Null(r.Authorization));
        Assert.DoesNotContain(token, File.ReadAllText(Path.Combine(Folder, FetchRecord.FileName)));
        Assert.DoesNotContain(_progress.Notes, n => n.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public void A_connection_dropped_mid_file_is_resumed_with_a_range_request()
    {
        _hub.CdnFaults["model.safetensors"] = new Faults { Drops = 1 };

        Fetch();

        var gets = CdnGets.ToList();
        Assert.Equal(2, gets.Count);
        Assert.Null(gets[0].Range);
        long half = new FileInfo(Path.Combine(Fixture, "model.safetensors")).Length / 2;
        Assert.Equal($"bytes={half}-", gets[1].Range);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Fixture, "model.safetensors")), File.ReadAllBytes(Path.Combine(Folder, "model.safetensors")));
        Assert.False(File.Exists(Path.Combine(Folder, "model.safetensors.partial")));
    }

    [Fact]
    public void A_partial_file_from_an_earlier_run_is_resumed_where_it_ends()
    {
        byte[] weights = File.ReadAllBytes(Path.Combine(Fixture, "model.safetensors"));
        Directory.CreateDirectory(Folder);
        File.WriteAllBytes(Path.Combine(Folder, "model.safetensors.partial"), weights[..1000]);

        Fetch();

        Assert.Equal("bytes=1000-", Assert.Single(CdnGets).Range);
        Assert.Contains(("model.safetensors", 1000L), _progress.Transfers);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(Folder, "model.safetensors")));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_server_that_answers_a_range_with_the_whole_file_or_the_wrong_start_gets_the_file_from_the_start(bool ignoreRange, bool wrongStart)
    {
        byte[] weights = File.ReadAllBytes(Path.Combine(Fixture, "model.safetensors"));
        Directory.CreateDirectory(Folder);
        File.WriteAllBytes(Path.Combine(Folder, "model.safetensors.partial"), [.. Enumerable.Repeat((byte)7, 1000)]);
        _hub.CdnFaults["model.safetensors"] = new Faults { IgnoreRange = ignoreRange, WrongRangeStart = wrongStart };

        Fetch();

        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(Folder, "model.safetensors")));
    }

    [Fact]
    public void Wrong_bytes_are_one_error_naming_the_file_and_nothing_reaches_the_final_path()
    {
        _hub.CdnFaults["model.safetensors"] = new Faults { Corrupt = true };

        var e = Assert.Throws<RoadException>(() => Fetch());

        Assert.StartsWith("model.safetensors: the downloaded bytes do not match: expected sha256:", e.Message);
        Assert.False(File.Exists(Path.Combine(Folder, "model.safetensors")));
        Assert.False(File.Exists(Path.Combine(Folder, "model.safetensors.partial")));
        Assert.False(File.Exists(Path.Combine(Folder, FetchRecord.FileName)));
    }

    [Fact]
    public void A_connection_that_keeps_dropping_fails_by_name_and_keeps_the_partial_file_for_the_next_run()
    {
        _hub.CdnFaults["model.safetensors"] = new Faults { Drops = 1000, IgnoreRange = true };

        var e = Assert.Throws<RoadException>(() => Fetch());

        Assert.StartsWith($"model.safetensors: the download failed {VerifiedDownload.Attempts} times, last: ", e.Message);
        Assert.Contains("run again to resume from there", e.Message);
        Assert.Equal(VerifiedDownload.Attempts, CdnGets.Count());
        Assert.False(File.Exists(Path.Combine(Folder, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(Folder, "model.safetensors.partial")));
        Assert.False(File.Exists(Path.Combine(Folder, FetchRecord.FileName)));
    }

    [Fact]
    public void An_unknown_repository_or_revision_is_named_with_what_to_check()
    {
        var repo = Assert.Throws<RoadException>(() => Fetch(repo: "google/no-such-model"));
        var revision = Assert.Throws<RoadException>(() => Fetch(revision: "v9"));
        var id = Assert.Throws<RoadException>(() => Fetch(repo: "../etc"));

        Assert.Equal($"google/no-such-model at revision \"main\" was not found on {_hub.Endpoint} (404); check the repository id and --revision.", repo.Message);
        Assert.Equal($"{Repo} at revision \"v9\" was not found on {_hub.Endpoint} (404); check the repository id and --revision.", revision.Message);
        Assert.Equal("\"../etc\" is not a Hub repository id; write it as ORG/NAME, e.g. google/electra-large-discriminator.", id.Message);
    }

    [Fact]
    public void A_renamed_repository_is_followed_through_its_relative_redirect()
    {
        _hub.Renamed["electra/tiny"] = Repo;

        var record = Fetch(repo: "electra/tiny");

        Assert.Equal(FakeHub.Commit, record.Commit);
        Assert.True(File.Exists(Path.Combine(Models, "electra", "tiny", "model.safetensors")));
    }

    [Fact]
    public void A_second_fetch_verifies_what_is_there_and_downloads_nothing()
    {
        Fetch();
        int before = _hub.Cdn.Seen.Count;

        var record = Fetch();

        Assert.Equal(before, _hub.Cdn.Seen.Count);
        Assert.All(record.Files, f => Assert.Equal("verified on disk", f.Source));
    }

    [Fact]
    public void A_file_changed_on_disk_after_the_fetch_is_fetched_again()
    {
        Fetch();
        File.WriteAllText(Path.Combine(Folder, "vocab.txt"), "[PAD]\n");

        var record = Fetch();

        Assert.Equal("downloaded", Assert.Single(record.Files, f => f.Path == "vocab.txt").Source);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Fixture, "vocab.txt")), File.ReadAllBytes(Path.Combine(Folder, "vocab.txt")));
    }

    [Fact]
    public void Offline_a_complete_verified_folder_is_used_and_anything_missing_is_a_clear_error()
    {
        var none = Assert.Throws<RoadException>(() => Fetch(offline: true));
        Assert.StartsWith("HF_HUB_OFFLINE is set and ", none.Message);
        Assert.Contains("holds no fetched checkpoint", none.Message);
        Fetch();
        int requests = _hub.Server.Seen.Count + _hub.Cdn.Seen.Count;

        var record = Fetch(offline: true);
        Assert.Equal(FakeHub.Commit, record.Commit);
        File.Delete(Path.Combine(Folder, "vocab.txt"));
        File.AppendAllText(Path.Combine(Folder, "config.json"), " ");
        var incomplete = Assert.Throws<RoadException>(() => Fetch(offline: true));

        Assert.Equal(requests, _hub.Server.Seen.Count + _hub.Cdn.Seen.Count);
        Assert.Contains("config.json has ", incomplete.Message);
        Assert.Contains("vocab.txt is missing", incomplete.Message);
    }

    [Fact]
    public void A_verified_copy_in_the_huggingface_cache_is_copied_instead_of_downloaded()
    {
        byte[] weights = File.ReadAllBytes(Path.Combine(Fixture, "model.safetensors"));
        string snapshot = Path.Combine(_root, "hf-cache", "models--google--electra-tiny-discriminator", "snapshots", FakeHub.Commit);
        Directory.CreateDirectory(snapshot);
        File.WriteAllBytes(Path.Combine(snapshot, "model.safetensors"), weights);
        byte[] vocabulary = File.ReadAllBytes(Path.Combine(Fixture, "vocab.txt"));
        File.WriteAllBytes(Path.Combine(snapshot, "vocab.txt"), [.. vocabulary[..^1], (byte)'!']);

        var record = Fetch();

        Assert.Empty(CdnGets);
        Assert.Equal("huggingface cache", Assert.Single(record.Files, f => f.Path == "model.safetensors").Source);
        Assert.Equal("downloaded", Assert.Single(record.Files, f => f.Path == "vocab.txt").Source);
        Assert.Equal(vocabulary, File.ReadAllBytes(Path.Combine(Folder, "vocab.txt")));
    }
}
