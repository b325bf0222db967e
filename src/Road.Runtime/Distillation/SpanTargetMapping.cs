using Road.Data;
using Road.Tokenization;
using Road.Training;
using static TorchSharp.torch;

namespace Road.Distillation;

/// <summary>Where a teacher's span probability went when it was mapped onto a student's tokens (start and end
/// distributions together, as fractions of their total): onto a student token with the same boundary, moved to the
/// nearest boundary by <see cref="TokenAlignment"/>'s rule, or outside the student's window (given to [CLS]).</summary>
public sealed record MappingCoverage(double Exact, double Moved, double Outside, int Windows)
{
    public string Describe() => FormattableString.Invariant(
        $"{100 * Exact:F1}% of the teacher's span probability on matching token boundaries, {100 * Moved:F1}% moved to the nearest boundary, {100 * Outside:F1}% outside the student's window, over {Windows} windows");
}

/// <summary>Running sums of probability mass by where it went.</summary>
public sealed class MappingTally
{
    private double _exact, _moved, _outside;
    private int _windows;

    public void Add(double mass, AlignedToken place)
    {
        if (place.Token < 0) _outside += mass;
        else if (place.Exact) _exact += mass;
        else _moved += mass;
    }

    public void CountWindow() => _windows++;

    public MappingCoverage Coverage()
    {
        double total = Math.Max(_exact + _moved + _outside, double.Epsilon);
        return new MappingCoverage(_exact / total, _moved / total, _outside / total, _windows);
    }
}

/// <summary>
/// One question's alignment between a teacher's tokenization and a student's: its question tokens and its context
/// tokens (<see cref="TokenAlignment"/>), and with them the map from a teacher window's positions
/// (<c>[CLS] question [SEP] context [SEP]</c>) to a student window's. [CLS] and the two [SEP]s map onto their own
/// kind; a question or context position goes where its token's boundary lands, when that is inside the student's
/// window; otherwise its probability goes to [CLS], as a gold answer outside a window points at [CLS].
/// </summary>
public sealed class ExampleAlignment(TokenAlignment question, TokenAlignment context)
{
    /// <summary>Maps a probability distribution over a teacher window's positions (span starts or, with
    /// <paramref name="ends"/>, span ends) onto the positions of a student window of the same question. No probability is
    /// lost: every position's lands somewhere, so the result sums to what the input summed to.</summary>
    public double[] Map(ReadOnlySpan<double> probabilities, MrcFeature teacher, MrcFeature student, bool ends, MappingTally? tally = null)
    {
        var mapped = new double[student.Ids.Length];
        for (int p = 0; p < teacher.Ids.Length; p++)
        {
            double mass = probabilities[p];
            var place = Place(p, teacher, student, ends);
            tally?.Add(mass, place);
            mapped[place.Token < 0 ? 0 : place.Token] += mass;
        }
        return mapped;
    }

    // The student position teacher position p goes to (-1: none, its probability goes to [CLS]).
    private AlignedToken Place(int p, MrcFeature teacher, MrcFeature student, bool ends)
    {
        if (p == 0) return new AlignedToken(0, true);
        if (p == teacher.SecondSegment - 1) return new AlignedToken(student.SecondSegment - 1, true);
        if (p == teacher.Ids.Length - 1) return new AlignedToken(student.Ids.Length - 1, true);
        if (p < teacher.SecondSegment)
        {
            var token = ends ? question.End(p - 1) : question.Start(p - 1);
            return token.Token >= 0 && token.Token < student.QuestionLength ? token with { Token = 1 + token.Token } : token with { Token = -1 };
        }
        var place = ends ? context.End(teacher.WindowStart + p - teacher.SecondSegment) : context.Start(teacher.WindowStart + p - teacher.SecondSegment);
        int inWindow = place.Token - student.WindowStart;
        return place.Token >= 0 && inWindow >= 0 && inWindow < student.WindowLength
            ? place with { Token = student.SecondSegment + inWindow }
            : place with { Token = -1 };
    }
}

/// <summary>
/// A teacher's MRC soft targets, computed over its own tokenization of the training set, mapped onto the student's
/// windows, so that a teacher of another family (WordPiece BERT, SentencePiece ALBERT) teaches an ELECTRA student.
/// For each student window the teacher window of the same question that shares the most context characters with it is
/// read; its start and end distributions (softmax at temperature 1) are mapped by <see cref="ExampleAlignment"/> and
/// stored as log-probabilities (the padding logit where none landed), its answerability logit is kept. Distillation
/// applies its temperature afterwards: where tokens line up one to one, softmax(log p / T) is exactly the teacher's
/// softmax(z / T); where several teacher tokens share one student token, their summed probability is tempered together.
/// Weighted KD's "is this teacher right" is the teacher's own argmax against its own gold labels in its own windows,
/// kept as <c>start_correct</c>, <c>end_correct</c> and <c>answerable_correct</c> (1 or 0).
/// </summary>
public static class SpanTargetMapping
{
    /// <summary>The output that says, per feature, whether the teacher was right about <paramref name="output"/>.</summary>
    public static string Correctness(string output) => output + "_correct";

    public static (SoftTargets Targets, MappingCoverage Coverage) Mrc(
        SoftTargets teacher, IReadOnlyList<MrcFeature> teacherFeatures, ITokenizer teacherTokenizer,
        IReadOnlyList<MrcFeature> studentFeatures, ITokenizer studentTokenizer, IReadOnlyList<MrcExample> examples, int studentMaxLength)
    {
        var teacherStart = Rows(teacher.Outputs["start"]);
        var teacherEnd = Rows(teacher.Outputs["end"]);
        var teacherAnswerable = teacher.Outputs["answerable"].to(ScalarType.Float32).data<float>().ToArray();
        var windowsOf = teacherFeatures.Select((f, i) => (f.ExampleIndex, i)).ToLookup(x => x.ExampleIndex, x => x.i);
        var contexts = new Dictionary<(ContextTokens, ContextTokens), TokenAlignment>();
        var questions = new Dictionary<int, TokenAlignment>();
        var tally = new MappingTally();
        int n = studentFeatures.Count;
        var (start, end) = (new float[n * studentMaxLength], new float[n * studentMaxLength]);
        var (answerable, startCorrect, endCorrect, answerableCorrect) = (new float[n], new float[n], new float[n], new float[n]);
        for (int s = 0; s < n; s++)
        {
            var student = studentFeatures[s];
            int t = Closest(windowsOf[student.ExampleIndex], teacherFeatures, student)
                ?? throw new RoadException($"the teacher has no window for question {examples[student.ExampleIndex].Id}; its features were built from other examples than the student's.");
            var window = teacherFeatures[t];
            if (!questions.TryGetValue(student.ExampleIndex, out var question))
            {
                string text = examples[student.ExampleIndex].Question;
                questions[student.ExampleIndex] = question = TokenAlignment.Between(Offsets(teacherTokenizer.Tokenize(text)), Offsets(studentTokenizer.Tokenize(text)));
            }
            if (!contexts.TryGetValue((window.Context, student.Context), out var context))
                contexts[(window.Context, student.Context)] = context = TokenAlignment.Between(Offsets(window.Context), Offsets(student.Context));
            var alignment = new ExampleAlignment(question, context);
            tally.CountWindow();
            var startLogits = teacherStart.Row(t, window.Ids.Length);
            var endLogits = teacherEnd.Row(t, window.Ids.Length);
            Write(alignment.Map(Softmax(startLogits), window, student, ends: false, tally), start.AsSpan(s * studentMaxLength, studentMaxLength));
            Write(alignment.Map(Softmax(endLogits), window, student, ends: true, tally), end.AsSpan(s * studentMaxLength, studentMaxLength));
            answerable[s] = teacherAnswerable[t];
            startCorrect[s] = ArgMax(startLogits) == window.StartPosition ? 1 : 0;
            endCorrect[s] = ArgMax(endLogits) == window.EndPosition ? 1 : 0;
            answerableCorrect[s] = teacherAnswerable[t] > 0 == (window.StartPosition != 0) ? 1 : 0;
        }
        var targets = new SoftTargets(new Dictionary<string, Tensor>
        {
            ["start"] = tensor(start, [n, studentMaxLength]),
            ["end"] = tensor(end, [n, studentMaxLength]),
            ["answerable"] = tensor(answerable),
            [Correctness("start")] = tensor(startCorrect),
            [Correctness("end")] = tensor(endCorrect),
            [Correctness("answerable")] = tensor(answerableCorrect),
        });
        return (targets, tally.Coverage());
    }

    // The teacher window of the question that shares the most context characters with the student's window (the first
    // of equals); null when the teacher has none for the question.
    private static int? Closest(IEnumerable<int> windows, IReadOnlyList<MrcFeature> teacherFeatures, MrcFeature student)
    {
        var (from, to) = Characters(student);
        int? best = null;
        int bestOverlap = -1;
        foreach (int w in windows)
        {
            var (start, end) = Characters(teacherFeatures[w]);
            int overlap = Math.Max(0, Math.Min(end, to) - Math.Max(start, from));
            if (overlap > bestOverlap) (best, bestOverlap) = (w, overlap);
        }
        return best;
    }

    private static (int From, int To) Characters(MrcFeature window) => window.WindowLength == 0
        ? (0, 0)
        : (window.Context.Offset(window.WindowStart).Start, window.Context.Offset(window.WindowStart + window.WindowLength - 1).End);

    private static List<(int, int)> Offsets(IReadOnlyList<TokenSpan> tokens) => tokens.Select(t => (t.Start, t.End)).ToList();

    private static List<(int, int)> Offsets(ContextTokens tokens) => Enumerable.Range(0, tokens.Count).Select(tokens.Offset).ToList();

    private static double[] Softmax(ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float z in logits) max = Math.Max(max, z);
        var p = new double[logits.Length];
        double sum = 0;
        for (int i = 0; i < p.Length; i++) sum += p[i] = Math.Exp(logits[i] - max);
        for (int i = 0; i < p.Length; i++) p[i] /= sum;
        return p;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    // Log-probabilities over the student's positions, the padding logit where none landed and past the window.
    private static void Write(double[] probabilities, Span<float> row)
    {
        row.Fill((float)MrcObjective.PaddingLogit);
        for (int i = 0; i < probabilities.Length; i++)
            if (probabilities[i] > 0) row[i] = (float)Math.Max(Math.Log(probabilities[i]), MrcObjective.PaddingLogit);
    }

    private static LogitRows Rows(Tensor logits) => new(logits.to(ScalarType.Float32).data<float>().ToArray(), (int)logits.shape[1]);

    private sealed record LogitRows(float[] Values, int Width)
    {
        public ReadOnlySpan<float> Row(int row, int length) => Values.AsSpan(row * Width, length);
    }
}
