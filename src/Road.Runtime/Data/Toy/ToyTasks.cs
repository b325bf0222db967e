namespace Road.Data.Toy;

/// <summary>
/// Deterministic toy tasks a small encoder trained from scratch can learn in a minute on a CPU, in the shapes of
/// the paper's tasks: span extraction with unanswerable questions (SQuAD 2.0's shape) and three-way sentence-pair
/// classification (MNLI's shape).
/// </summary>
public static class ToyTasks
{
    public const string FactsMrc = "toy/facts-mrc";
    public const string FactsNli = "toy/facts-nli";

    public static readonly IReadOnlyList<string> NliLabels = ["entailment", "neutral", "contradiction"];

    public static IReadOnlyList<string> Names { get; } = [FactsMrc, FactsNli];

    /// <summary>"what does P have ?" over three or four facts; a third of the questions ask about someone absent.</summary>
    public static Splits<MrcExample> Mrc(int seed, int trainCount, int devCount) =>
        new(MrcSplit(new Random(seed), "train", trainCount), MrcSplit(new Random(seed + 1), "dev", devCount));

    /// <summary>Premise: two facts. Hypothesis: one fact that is stated (entailment), gives a stated owner's thing
    /// another colour (contradiction), or is about someone not mentioned (neutral).</summary>
    public static Splits<PairExample> Nli(int seed, int trainCount, int devCount) =>
        new(NliSplit(new Random(seed), "train", trainCount), NliSplit(new Random(seed + 1), "dev", devCount));

    private static List<MrcExample> MrcSplit(Random random, string split, int count)
    {
        var examples = new List<MrcExample>(count);
        for (int i = 0; i < count; i++)
        {
            var facts = ToyWorld.Facts(random, 2 + random.Next(2));
            string context = string.Join(" ", facts.Select(f => f.Sentence));
            string id = $"facts-mrc-{split}-{i:D5}";
            if (random.Next(3) == 0)
            {
                examples.Add(new MrcExample(id, $"what does {ToyWorld.Stranger(random, facts)} have ?", context, []));
                continue;
            }
            var asked = facts[random.Next(facts.Count)];
            int start = context.IndexOf(asked.Sentence, StringComparison.Ordinal) + $"{asked.Person} has a ".Length;
            examples.Add(new MrcExample(id, $"what does {asked.Person} have ?", context, [new Answer(asked.Object, start)]));
        }
        return examples;
    }

    private static List<PairExample> NliSplit(Random random, string split, int count)
    {
        var examples = new List<PairExample>(count);
        for (int i = 0; i < count; i++)
        {
            var facts = ToyWorld.Facts(random, 2);
            string premise = string.Join(" ", facts.Select(f => f.Sentence));
            int label = random.Next(3);
            var about = facts[random.Next(2)];
            var hypothesis = label switch
            {
                0 => about,
                1 => about with { Person = ToyWorld.Stranger(random, facts) },
                _ => Different(random, about),
            };
            examples.Add(new PairExample($"facts-nli-{split}-{i:D5}", premise, hypothesis.Sentence, label));
        }
        return examples;
    }

    private static ToyWorld.Fact Different(Random random, ToyWorld.Fact fact)
    {
        while (true)
        {
            var other = fact with { Colour = ToyWorld.Colours[random.Next(ToyWorld.Colours.Length)] };
            if (other != fact) return other;
        }
    }
}
