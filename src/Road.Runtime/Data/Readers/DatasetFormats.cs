namespace Road.Data.Readers;

/// <summary>What a dataset file holds: questions (MRC), sentence pairs or single texts, with the label names.</summary>
public sealed record DatasetContents(IEnumerable<MrcExample>? Questions, IEnumerable<PairExample>? Pairs, IEnumerable<TextExample>? Texts, IReadOnlyList<string> LabelNames)
{
    public static DatasetContents OfMrc(IEnumerable<MrcExample> questions) => new(questions, null, null, []);

    public static DatasetContents OfPairs(IEnumerable<PairExample> pairs, IReadOnlyList<string> labels) => new(null, pairs, null, labels);

    public static DatasetContents OfTexts(IEnumerable<TextExample> texts, IReadOnlyList<string> labels) => new(null, null, texts, labels);
}

/// <summary>The dataset formats Road reads, by the ids users pass as <c>--format</c>.</summary>
public static class DatasetFormats
{
    public static readonly IReadOnlyList<string> Ids =
        ["squad2", "mrqa", "newsqa", "quac", "qasrl", "qasrl-v1", "qazre", "mnli", "glue-mnli", "snli", "amazon", "glue-qqp", "parquet"];

    /// <summary>The formats whose files are lists of articles, which <see cref="ArticleRange"/> can select from.</summary>
    public static readonly IReadOnlyList<string> WithArticles = ["squad2", "quac"];

    /// <summary>Reads lazily: enumerating the contents reads the file (pairs and texts stream; questions are held
    /// until the file's end). A question id that appears again replaces the earlier question, which is skipped and
    /// counted: the official SQuAD 2.0 script keeps an id's last question, so a run predicts and scores that one.</summary>
    public static DatasetContents Read(string format, string path, ReaderReport report, ArticleRange? articles = null)
    {
        if (articles is not null && !WithArticles.Contains(format))
            throw new RoadException($"{path}: articles can be selected in {string.Join(" and ", WithArticles)} files only, not {format}.");
        var contents = ReadFormat(format, path, report, articles);
        return contents.Questions is { } questions ? contents with { Questions = LastOfEachId(questions, path, report) } : contents;
    }

    private static IEnumerable<MrcExample> LastOfEachId(IEnumerable<MrcExample> questions, string path, ReaderReport report)
    {
        var all = questions.ToList();
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < all.Count; i++) last[all[i].Id] = i;
        for (int i = 0; i < all.Count; i++)
        {
            if (last[all[i].Id] == i) yield return all[i];
            else report.Skip("duplicate question id", path, $"question id \"{all[i].Id}\" appears again later in the file; the last is kept, as the official SQuAD 2.0 script keeps it");
        }
    }

    private static DatasetContents ReadFormat(string format, string path, ReaderReport report, ArticleRange? articles) => format switch
    {
        "squad2" => DatasetContents.OfMrc(Squad2Reader.Read(path, report, articles)),
        "mrqa" => DatasetContents.OfMrc(MrqaReader.Read(path, report)),
        "newsqa" => DatasetContents.OfMrc(NewsQaReader.Read(path, report)),
        "quac" => DatasetContents.OfMrc(QuacReader.Read(path, report, articles)),
        "qasrl" => DatasetContents.OfMrc(QaSrlReader.Read(path, report)),
        "qasrl-v1" => DatasetContents.OfMrc(QaSrlV1Reader.Read(path, report)),
        "qazre" => DatasetContents.OfMrc(QaZreReader.Read(path, report)),
        "mnli" or "snli" => DatasetContents.OfPairs(NliJsonlReader.Read(path, report), NliLabels.Names),
        "glue-mnli" => DatasetContents.OfPairs(GlueMnliReader.Read(path, report), NliLabels.Names),
        "glue-qqp" => DatasetContents.OfPairs(GlueQqpReader.Read(path, report), ["0", "1"]),
        "amazon" => DatasetContents.OfTexts(AmazonReviewsReader.Read(path, report), ["1", "2", "3", "4", "5"]),
        "parquet" => ParquetDatasetReader.Read(path, report),
        _ => throw new RoadException($"unknown format \"{format}\"; formats: {string.Join(", ", Ids)}."),
    };
}
