using Parquet;
using Parquet.Serialization;

namespace Road.Data.Readers;

/// <summary>
/// HuggingFace <c>datasets</c> Parquet exports, read row group by row group through Parquet.Net. The task is told by
/// the columns: <c>context, question, answers{text, answer_start}</c> (squad_v2), <c>premise, hypothesis, label</c>
/// (multi_nli, glue/mnli) or <c>sentence1, sentence2, gold_label</c>, <c>question1, question2, label|is_duplicate</c>
/// (glue/qqp), <c>overall, reviewText</c> (Amazon reviews).
/// </summary>
public static class ParquetDatasetReader
{
    public static DatasetContents Read(string path, ReaderReport report)
    {
        if (!File.Exists(path)) throw new RoadException($"{path}: file not found.");
        HashSet<string> columns;
        try
        {
            columns = ParquetReader.ReadSchemaAsync(path).GetAwaiter().GetResult().Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or Parquet.ParquetException)
        {
            throw new RoadException($"{path}: not a readable Parquet file ({e.Message}).");
        }
        bool Has(params string[] names) => names.All(columns.Contains);
        if (Has("context", "question", "answers")) return DatasetContents.OfMrc(Mrc(path, report));
        if (Has("premise", "hypothesis", "label")) return DatasetContents.OfPairs(Rows(path).Select(r => Nli(r, "premise", "hypothesis", r.Long("label"), report)).OfType<PairExample>(), NliLabels.Names);
        if (Has("sentence1", "sentence2", "gold_label")) return DatasetContents.OfPairs(Rows(path).Select(r => Nli(r, "sentence1", "sentence2", r.String("gold_label") is { } g ? NliLabels.Index(g) ?? -1 : null, report)).OfType<PairExample>(), NliLabels.Names);
        if (Has("question1", "question2") && (Has("label") || Has("is_duplicate"))) return DatasetContents.OfPairs(Qqp(path, report), ["0", "1"]);
        if (Has("overall", "reviewText")) return DatasetContents.OfTexts(Amazon(path, report), ["1", "2", "3", "4", "5"]);
        throw new RoadException($"{path}: columns {string.Join(", ", columns.Order(StringComparer.Ordinal))} match no dataset Road reads from Parquet (see DATA-FORMATS: squad_v2, multi_nli, snli, glue/qqp, Amazon reviews).");
    }

    /// <summary>Rows as column name -> value, one row group at a time; required and optional columns alike.</summary>
    private static IEnumerable<Row> Rows(string path)
    {
        int groups;
        using (var stream = File.OpenRead(path))
        {
            var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
            groups = reader.RowGroupCount;
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        int index = 0;
        for (int g = 0; g < groups; g++)
        {
            using var stream = File.OpenRead(path);
            foreach (var values in ParquetSerializer.DeserializeUntypedAsync(stream, null, g).GetAwaiter().GetResult().Data)
                yield return new Row(path, index++, values);
        }
    }

    private static IEnumerable<MrcExample> Mrc(string path, ReaderReport report)
    {
        foreach (var row in Rows(path))
        {
            string context = row.String("context") ?? throw row.Error("context must not be null");
            string question = row.String("question") ?? throw row.Error("question must not be null");
            var answers = row.Values.GetValueOrDefault("answers") as IDictionary<string, object>;
            object? Field(string name) => answers is not null && answers.TryGetValue(name, out var v) ? v : null;
            var texts = Row.List(Field("text")).Select(t => Row.AsString(t) ?? throw row.Error("answers.text should hold strings")).ToList();
            var starts = Row.List(Field("answer_start")).Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            if (texts.Count != starts.Count) throw row.Error($"answers.text has {texts.Count} entries but answers.answer_start {starts.Count}");
            var index = new Tokenization.CodePointIndex(context);
            var parsed = new List<Answer>();
            for (int a = 0; a < texts.Count; a++)
            {
                int start = AnswerLocation.Check(context, texts[a], index.ToUtf16(starts[a]));
                if (start < 0)
                    report.Fault("answer not at answer_start", $"{row}.answers[{a}]", $"\"{texts[a]}\" is not at offset {starts[a]}; the question is evaluated, not trained on");
                parsed.Add(new Answer(texts[a], start));
            }
            yield return new MrcExample(row.String("id") ?? $"{row.Index}", question, context, parsed);
        }
    }

    private static PairExample? Nli(Row row, string first, string second, long? label, ReaderReport report)
    {
        if (label is null or < 0)
        {
            report.Skip("no gold label", row.ToString(), "the label is missing, -1 or \"-\"");
            return null;
        }
        if (label > 2) throw row.Error($"the label should be 0, 1 or 2, found {label}");
        return new PairExample($"{row.Index}", row.String(first) ?? throw row.Error($"{first} must not be null"), row.String(second) ?? throw row.Error($"{second} must not be null"), (int)label);
    }

    private static IEnumerable<PairExample> Qqp(string path, ReaderReport report)
    {
        foreach (var row in Rows(path))
        {
            long? label = row.Long("label") ?? row.Long("is_duplicate");
            string? first = row.String("question1"), second = row.String("question2");
            if (string.IsNullOrWhiteSpace(first) || string.IsNullOrWhiteSpace(second) || label is not (0 or 1))
            {
                report.Skip("missing fields", row.ToString(), "a question is empty or the label is not 0/1");
                continue;
            }
            yield return new PairExample(row.Long("idx")?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? $"{row.Index}", first, second, (int)label);
        }
    }

    private static IEnumerable<TextExample> Amazon(string path, ReaderReport report)
    {
        foreach (var row in Rows(path))
        {
            string? review = row.String("reviewText");
            double? rating = row.Values.GetValueOrDefault("overall") is { } o ? Convert.ToDouble(o, System.Globalization.CultureInfo.InvariantCulture) : null;
            if (string.IsNullOrWhiteSpace(review) || rating is not (1 or 2 or 3 or 4 or 5))
            {
                report.Skip("empty review or no rating", row.ToString(), "reviewText is empty or overall is not 1-5");
                continue;
            }
            yield return new TextExample($"{row.Index}", review, (int)rating.Value - 1);
        }
    }

    private sealed record Row(string File, int Index, Dictionary<string, object> Values)
    {
        public string? String(string column) => Values.GetValueOrDefault(column) is { } value
            ? AsString(value) ?? throw Error($"{column} should be a string, found {value.GetType().Name}")
            : null;

        // Parquet.Net hands nested strings over as character memory.
        public static string? AsString(object? value) => value switch
        {
            string s => s,
            ReadOnlyMemory<char> m => m.ToString(),
            _ => null,
        };

        public long? Long(string column) => Values.GetValueOrDefault(column) is { } v ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : null;

        public static IEnumerable<object?> List(object? value) => value switch
        {
            null => [],
            System.Collections.IEnumerable items and not string => items.Cast<object?>(),
            var single => [single],
        };

        public RoadException Error(string what) => new($"{this}: {what}.");

        public override string ToString() => $"{File}: row {Index}";
    }
}
