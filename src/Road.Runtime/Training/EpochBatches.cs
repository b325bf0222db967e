namespace Road.Training;

/// <summary>
/// The batches of one epoch from a seeded shuffle. Grouped by length, as transformers' <c>group_by_length</c> does:
/// the shuffled features are cut into megabatches of 50 batches, each sorted by length, longest first, and cut into
/// batches; the batches are then shuffled, so that a batch pads little and lengths still vary across steps.
/// </summary>
public static class EpochBatches
{
    public const int BatchesPerMegabatch = 50;

    public static List<int[]> Draw(Random random, int count, int batchSize, Func<int, int>? length = null)
    {
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        if (length is null) return order.Chunk(batchSize).ToList();
        var batches = order.Chunk(batchSize * BatchesPerMegabatch)
            .SelectMany(mega => mega.OrderByDescending(length).Chunk(batchSize))
            .ToArray();
        random.Shuffle(batches);
        return [.. batches];
    }
}
