using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text;
using ICSharpCode.SharpZipLib.BZip2;
using Road.Data;
using Road.Datasets;
using Road.Hub;

namespace Road.Tests.Fetching;

/// <summary>FetchData against a loopback mirror (ROAD_FETCH_MIRROR's layout) and a loopback Hub.</summary>
public sealed class DatasetFetchTests : IDisposable
{
    private const string GlueCommit = FakeHub.Commit;
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Fixtures", "data");
    private readonly string _root = Directory.CreateTempSubdirectory("road-data-").FullName;
    private readonly Dictionary<string, byte[]> _mirrored = [];
    private readonly LoopbackServer _mirror;
    private readonly FakeHub _hub = new();
    private readonly RecordedDownloads _progress = new();
    private readonly byte[] _snliZip = Zip(("snli_1.0/snli_1.0_dev.jsonl", Sample("snli/snli_1.0.sample.jsonl")), ("snli_1.0/README.txt", "SNLI"u8.ToArray()));
    private readonly byte[] _qazreTar = TarBz2(("relation_splits/dev.0", Sample("qa_zre/relation_splits.dev.0.sample")), ("relation_splits/dev.1", [1, 2, 3]));
    private readonly byte[] _squad = Sample("squad2/dev-v2.0.sample.json");
    private readonly byte[] _amazon = Sample("amazon/AMAZON_FASHION_5.sample.json");
    private readonly byte[] _parquet = Encoding.ASCII.GetBytes("PAR1 stands in for a parquet file: FetchData does not read it");

    public DatasetFetchTests()
    {
        _mirror = new LoopbackServer(context =>
        {
            if (_mirrored.TryGetValue(context.Request.Url!.AbsolutePath, out byte[]? bytes)) ServedBytes.Serve(context, bytes);
            else context.Response.StatusCode = 404;
        });
        Mirror("/nlp.example.org/snli/snli_1.0.zip", _snliZip);
        Mirror("/zeroshot.example.org/relation_splits.tar.bz2", _qazreTar);
        Mirror("/squad.example.org/dataset/dev-v2.0.json", _squad);
        Mirror("/reviews.example.org/files/AMAZON_FASHION_5.json", _amazon);
        _hub.AddRepository("datasets/nyu-mll/glue", new Dictionary<string, byte[]> { ["mnli/validation_matched-00000-of-00001.parquet"] = _parquet });
    }

    public void Dispose()
    {
        _mirror.Dispose();
        _hub.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static byte[] Sample(string path) => File.ReadAllBytes(Path.Combine(Samples, path));

    private void Mirror(string path, byte[] bytes) => _mirrored[path] = bytes;

    private string Data => Path.Combine(_root, "data");

    private static DatasetManifest Manifest(string files) => DatasetManifest.Parse(
        $$"""{"datasets": [{"name": "paper", "title": "test data", "licence": "CC BY-SA 4.0", "verified_here": true, "files": [{{files}}]}]}""", "test manifest");

    private string AllFiles => $$"""
        {"url": "https://nlp.example.org/snli/snli_1.0.zip", "size": {{_snliZip.Length}}, "sha256": "{{FakeHub.Sha256(_snliZip)}}", "unpack": "zip", "members": {"snli_1.0/snli_1.0_dev.jsonl": "snli/dev.jsonl"} },
        {"url": "http://zeroshot.example.org/relation_splits.tar.bz2", "unpack": "tar.bz2", "members": {"relation_splits/dev.0": "qazre/dev.0"} },
        {"url": "https://squad.example.org/dataset/dev-v2.0.json", "md5": "{{Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(_squad))}}", "output": "squad2/dev-v2.0.json"},
        {"url": "https://reviews.example.org/files/AMAZON_FASHION_5.json", "output": "amazon/reviews.json"},
        {"hub": {"repo": "nyu-mll/glue", "commit": "{{GlueCommit}}", "path": "mnli/validation_matched-00000-of-00001.parquet"}, "output": "mnli/validation_matched.parquet"}
        """;

    private DatasetRecord Fetch(DatasetManifest manifest, bool offline = false) =>
        new DatasetFetch(new HubSettings(_hub.Endpoint, null, offline, Path.Combine(_root, "hf-cache")), new DataMirror(_mirror.Address), _progress, manifest).Fetch("paper", Data);

    private string Folder => Path.Combine(Data, "paper");

    [Fact]
    public void Fetches_through_the_mirror_and_the_hub_unpacks_archives_and_records_every_hash()
    {
        var record = Fetch(Manifest(AllFiles));

        Assert.Equal(["amazon/reviews.json", "mnli/validation_matched.parquet", "qazre/dev.0", "snli/dev.jsonl", "squad2/dev-v2.0.json"], record.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal(Sample("snli/snli_1.0.sample.jsonl"), File.ReadAllBytes(Path.Combine(Folder, "snli", "dev.jsonl")));
        Assert.Equal(Sample("qa_zre/relation_splits.dev.0.sample"), File.ReadAllBytes(Path.Combine(Folder, "qazre", "dev.0")));
        Assert.Equal(_parquet, File.ReadAllBytes(Path.Combine(Folder, "mnli", "validation_matched.parquet")));
        Assert.False(File.Exists(Path.Combine(Folder, "qazre", "dev.1")));
        // The readers take what came out: the same counts as the samples themselves.
        Assert.Equal(Counts("snli", Path.Combine(Samples, "snli", "snli_1.0.sample.jsonl")), Counts("snli", Path.Combine(Folder, "snli", "dev.jsonl")));
        Assert.Equal(Counts("squad2", Path.Combine(Samples, "squad2", "dev-v2.0.sample.json")), Counts("squad2", Path.Combine(Folder, "squad2", "dev-v2.0.json")));
        // Non-Hub URLs went to the mirror under <host>/<path>; the Hub file came from the Hub at its commit.
        Assert.Contains(_mirror.Seen, r => r.PathAndQuery == "/zeroshot.example.org/relation_splits.tar.bz2");
        Assert.Contains(_hub.Server.Seen, r => r.PathAndQuery == $"/datasets/nyu-mll/glue/resolve/{GlueCommit}/mnli/validation_matched-00000-of-00001.parquet");
        var sources = DatasetRecord.Read(Folder)!.Sources.ToDictionary(s => s.Source);
        Assert.Equal(new DownloadedSource("http://zeroshot.example.org/relation_splits.tar.bz2", _qazreTar.Length, "sha256:" + FakeHub.Sha256(_qazreTar), Pinned: false),
            sources["http://zeroshot.example.org/relation_splits.tar.bz2"]);
        Assert.True(sources["https://nlp.example.org/snli/snli_1.0.zip"].Pinned);
        Assert.Equal("sha256:" + FakeHub.Sha256(_parquet), sources[$"hf://datasets/nyu-mll/glue@{GlueCommit}/mnli/validation_matched-00000-of-00001.parquet"].Sha256);
    }

    [Fact]
    public void A_second_fetch_verifies_what_is_there_and_downloads_nothing()
    {
        Fetch(Manifest(AllFiles));
        int requests = _mirror.Seen.Count + _hub.Server.Seen.Count;

        Fetch(Manifest(AllFiles));

        Assert.Equal(requests, _mirror.Seen.Count + _hub.Server.Seen.Count);
        Assert.Equal(5, _progress.Notes.Count(n => n.EndsWith("already here, verified", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_source_that_changed_since_its_first_download_is_refused_against_the_recorded_hash()
    {
        Fetch(Manifest(AllFiles));
        File.Delete(Path.Combine(Folder, "amazon", "reviews.json"));
        Mirror("/reviews.example.org/files/AMAZON_FASHION_5.json", [.. _amazon.Take(_amazon.Length - 1), (byte)'#']);

        var e = Assert.Throws<RoadException>(() => Fetch(Manifest(AllFiles)));

        Assert.StartsWith($"paper/AMAZON_FASHION_5.json: the downloaded bytes do not match: expected sha256:{FakeHub.Sha256(_amazon)}, got sha256:", e.Message);
        Assert.False(File.Exists(Path.Combine(Folder, "amazon", "reviews.json")));
    }

    [Fact]
    public void A_pinned_md5_that_does_not_match_is_refused_and_nothing_is_written()
    {
        var manifest = Manifest("""{"url": "https://squad.example.org/dataset/dev-v2.0.json", "md5": "62108c273c268d70893182d5cf8df740", "output": "squad2/dev-v2.0.json"}""");

        var e = Assert.Throws<RoadException>(() => Fetch(manifest));

        Assert.StartsWith("paper/dev-v2.0.json: the downloaded bytes do not match: expected md5:62108c273c268d70893182d5cf8df740, got md5:", e.Message);
        Assert.False(Directory.Exists(Path.Combine(Folder, "squad2")) && Directory.EnumerateFiles(Path.Combine(Folder, "squad2")).Any());
        Assert.False(File.Exists(Path.Combine(Folder, "fetch.json")));
    }

    [Fact]
    public void A_member_the_archive_lacks_is_named_with_what_it_holds()
    {
        var manifest = Manifest("""{"url": "https://nlp.example.org/snli/snli_1.0.zip", "unpack": "zip", "members": {"snli_1.0/snli_1.0_train.jsonl": "snli/train.jsonl"}}""");

        var e = Assert.Throws<RoadException>(() => Fetch(manifest));

        Assert.EndsWith("snli_1.0.zip: the archive has no snli_1.0/snli_1.0_train.jsonl; it holds snli_1.0/snli_1.0_dev.jsonl, snli_1.0/README.txt. The source has changed: update the dataset manifest.", e.Message);
    }

    [Fact]
    public void A_missing_source_is_one_error_naming_it()
    {
        var manifest = Manifest("""{"url": "https://squad.example.org/dataset/train-v2.0.json", "output": "squad2/train-v2.0.json"}""");

        var e = Assert.Throws<RoadException>(() => Fetch(manifest));

        Assert.Equal($"paper/train-v2.0.json: not found at {_mirror.Address}squad.example.org/dataset/train-v2.0.json (404); check the name and revision.", e.Message);
    }

    [Fact]
    public void Offline_a_complete_folder_is_verified_and_a_missing_file_is_named()
    {
        var none = Assert.Throws<RoadException>(() => Fetch(Manifest(AllFiles), offline: true));
        Assert.Contains("holds no fetched dataset", none.Message);
        Fetch(Manifest(AllFiles));
        int requests = _mirror.Seen.Count + _hub.Server.Seen.Count;

        Fetch(Manifest(AllFiles), offline: true);
        File.Delete(Path.Combine(Folder, "qazre", "dev.0"));
        var e = Assert.Throws<RoadException>(() => Fetch(Manifest(AllFiles), offline: true));

        Assert.Equal(requests, _mirror.Seen.Count + _hub.Server.Seen.Count);
        Assert.Equal($"HF_HUB_OFFLINE is set and {Folder} is incomplete: qazre/dev.0 is missing; run FetchData --dataset paper where the network can be reached.", e.Message);
    }

    [Theory]
    [InlineData("""{"url": "ftp://x.org/a", "output": "a"}""", "test manifest: $.datasets[0].files[0].url \"ftp://x.org/a\" is not an http(s) address.")]
    [InlineData("""{"hub": {"repo": "nyu-mll/glue", "commit": "main", "path": "a"}, "output": "a"}""", "test manifest: $.datasets[0].files[0].hub.commit \"main\" is not a 40-digit commit; pin Hub files by commit, never by branch.")]
    [InlineData("""{"url": "https://x.org/a.zip", "unpack": "rar", "members": {"a": "a"}}""", "test manifest: $.datasets[0].files[0]: give output (a file used as it is) or unpack (zip, tar, tar.bz2) with members.")]
    [InlineData("""{"url": "https://x.org/a", "output": "../a"}""", "test manifest: $.datasets[0].files[0]: output \"../a\" must be a relative path inside the dataset folder.")]
    [InlineData("""{"url": "https://x.org/a", "output": "a", "sha": "00"}""", "test manifest: $.datasets[0].files[0].sha: The JSON property 'sha' could not be mapped to any .NET member contained in type 'Road.Datasets.SourceFile'.")]
    public void A_manifest_mistake_is_named_by_its_json_path(string file, string message)
    {
        Assert.Equal(message, Assert.Throws<RoadException>(() => Manifest(file)).Message);
    }

    [Fact]
    public void Roads_manifest_names_every_dataset_of_the_paper_with_its_licence_and_pins_hub_files_by_commit()
    {
        var manifest = DatasetManifest.Road;

        Assert.Equal(["squad2", "newsqa", "triviaqa", "naturalquestions", "quac", "qasrl", "qazre", "mnli", "snli", "amazon", "qqp"], manifest.Datasets.Select(d => d.Name));
        Assert.All(manifest.Datasets, d => Assert.False(string.IsNullOrWhiteSpace(d.Licence)));
        Assert.All(manifest.Datasets.SelectMany(d => d.Files).Where(f => f.Hub is not null), f => Assert.Matches("^[0-9a-f]{40}$", f.Hub!.Commit));
        Assert.Equal("unknown dataset \"squad\"; known datasets: squad2, newsqa, triviaqa, naturalquestions, quac, qasrl, qazre, mnli, snli, amazon, qqp.",
            Assert.Throws<RoadException>(() => manifest.Find("squad")).Message);
    }

    [Fact]
    public void The_mirror_keeps_host_path_and_query()
    {
        var mirror = new DataMirror(new Uri("http://mirror.lan/files"));

        Assert.Equal(new Uri("http://mirror.lan/files/s3.us-east-2.amazonaws.com/mrqa/release/v2/dev/NewsQA.jsonl.gz?v=1"),
            mirror.Rewrite(new Uri("https://s3.us-east-2.amazonaws.com/mrqa/release/v2/dev/NewsQA.jsonl.gz?v=1")));
    }

    private static string Counts(string format, string path) =>
        System.Text.RegularExpressions.Regex.Replace(DatasetDescription.Describe(format, path).ToText(), @"\S*[/\\]\S*", "<file>");

    private static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
                using (var entry = zip.CreateEntry(name).Open()) entry.Write(bytes);
        return memory.ToArray();
    }

    private static byte[] TarBz2(params (string Name, byte[] Bytes)[] entries)
    {
        using var memory = new MemoryStream();
        using (var bzip = new BZip2OutputStream(memory) { IsStreamOwner = false })
        using (var tar = new TarWriter(bzip, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, bytes) in entries)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
        return memory.ToArray();
    }
}
