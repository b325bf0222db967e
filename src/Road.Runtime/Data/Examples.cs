namespace Road.Data;

/// <summary>A gold answer: its text and its character offset into the context, or -1 when the text is not where the
/// dataset says (such an answer still counts for evaluation, but is never trained on).</summary>
public sealed record Answer(string Text, int Start)
{
    public bool IsLocated => Start >= 0;
}

/// <summary>Where a question sits in a QuAC dialog, with its follow-up (y/m/n) and yes/no (y/n/x) labels.</summary>
public sealed record DialogTurn(string DialogId, int Index, char Followup, char YesNo);

/// <summary>A reading-comprehension question over a context; no answers means unanswerable (SQuAD 2.0).</summary>
public sealed record MrcExample(string Id, string Question, string Context, IReadOnlyList<Answer> Answers, DialogTurn? Turn = null)
{
    public bool IsImpossible => Answers.Count == 0;

    /// <summary>The answer training labels point at: the first one found at its offset; null when none is.</summary>
    public Answer? TrainingAnswer => Answers.FirstOrDefault(a => a.IsLocated);

    /// <summary>Unanswerable, or with an answer found at its offset: what training can use.</summary>
    public bool IsTrainable => IsImpossible || TrainingAnswer is not null;
}

/// <summary>A sentence pair with a class label (NLI, paraphrase).</summary>
public sealed record PairExample(string Id, string First, string Second, int Label);

/// <summary>A single text with a class label (sentiment: the rating minus one).</summary>
public sealed record TextExample(string Id, string Text, int Label);

/// <summary>Train and dev splits of one dataset.</summary>
public sealed record Splits<T>(IReadOnlyList<T> Train, IReadOnlyList<T> Dev);

/// <summary>A single-text classification dataset (sentiment) with its label names.</summary>
public sealed class TextDataset(string name, Splits<TextExample> splits, IReadOnlyList<string> labels)
{
    public string Name { get; } = name;
    public IReadOnlyList<TextExample> Train { get; } = splits.Train;
    public IReadOnlyList<TextExample> Dev { get; } = splits.Dev;
    public IReadOnlyList<string> Labels { get; } = labels;
}

/// <summary>An MRC dataset as an experiment declares it: train and dev questions.</summary>
public sealed class MrcDataset(string name, Splits<MrcExample> splits)
{
    public string Name { get; } = name;
    public IReadOnlyList<MrcExample> Train { get; } = splits.Train;
    public IReadOnlyList<MrcExample> Dev { get; } = splits.Dev;
}

/// <summary>A sentence-pair classification dataset with its label names.</summary>
public sealed class PairDataset(string name, Splits<PairExample> splits, IReadOnlyList<string> labels)
{
    public string Name { get; } = name;
    public IReadOnlyList<PairExample> Train { get; } = splits.Train;
    public IReadOnlyList<PairExample> Dev { get; } = splits.Dev;
    public IReadOnlyList<string> Labels { get; } = labels;
}
