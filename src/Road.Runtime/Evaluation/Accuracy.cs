namespace Road.Evaluation;

/// <summary>Classification accuracy as a fraction in [0, 1].</summary>
public sealed record AccuracyResult(double Accuracy, int Total)
{
    public static AccuracyResult Of(IReadOnlyList<int> gold, IReadOnlyList<int> predicted)
    {
        if (gold.Count != predicted.Count) throw new RoadException($"{predicted.Count} predictions for {gold.Count} labelled examples.");
        int right = gold.Zip(predicted).Count(p => p.First == p.Second);
        return new AccuracyResult(gold.Count == 0 ? 0 : (double)right / gold.Count, gold.Count);
    }
}
