namespace Road.Data;

/// <summary>
/// Negative-question augmentation (DESIGN.md): for a fraction of the answerable training questions, chosen with a
/// seeded generator, an unanswerable copy asks the same question of another paragraph that contains none of its
/// answers. Questions for which no such paragraph turns up after a few draws get no copy.
/// </summary>
public static class NegativeQuestions
{
    private const int Draws = 20;

    public static List<MrcExample> Augment(IReadOnlyList<MrcExample> train, double ratio, int seed)
    {
        if (ratio is <= 0 or > 1) throw new RoadException($"the negative-question ratio must be in (0, 1], not {ratio}.");
        var random = new Random(seed);
        var contexts = train.Select(e => e.Context).Distinct(StringComparer.Ordinal).ToList();
        var answerable = train.Where(e => !e.IsImpossible).ToList();
        int wanted = (int)Math.Round(ratio * answerable.Count);
        var chosen = answerable.OrderBy(_ => random.Next()).Take(wanted);
        var augmented = new List<MrcExample>(train);
        foreach (var question in chosen)
        {
            for (int draw = 0; draw < Draws && contexts.Count > 1; draw++)
            {
                string other = contexts[random.Next(contexts.Count)];
                if (other == question.Context || question.Answers.Any(a => other.Contains(a.Text, StringComparison.OrdinalIgnoreCase))) continue;
                augmented.Add(new MrcExample(question.Id + "-negative", question.Question, other, []));
                break;
            }
        }
        return augmented;
    }
}
