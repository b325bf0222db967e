using Road.Data;
using Road.Training;
using static TorchSharp.torch;

namespace Road.Tests;

/// <summary>Batches pad to their longest sequence (a multiple of 8), and can be grouped by length.</summary>
public sealed class BatchingTests
{
    private static PairFeature Feature(int length, int secondSegment) => new(CompactIds.From(Enumerable.Range(10, length).ToArray(), 100), secondSegment, 0);

    [Fact]
    public void A_batch_pads_to_its_longest_sequence_rounded_up_to_eight()
    {
        var features = new[] { Feature(5, 3), Feature(11, 4), Feature(40, 40) };
        var (ids, mask, types) = TensorBatch.Inputs(features, [0, 1], padId: 7, CPU);
        Assert.Equal([2L, 16], ids.shape);
        Assert.Equal(new long[] { 10, 11, 12, 13, 14, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7 }, ids[0].data<long>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, mask[0].data<long>().ToArray());
        Assert.Equal(new long[] { 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, types[0].data<long>().ToArray());
        Assert.Equal(11, mask[1].sum().item<long>());
        Assert.Equal(40, TensorBatch.Width(features, [2]));
    }

    [Fact]
    public void Without_grouping_an_epoch_is_the_seeded_shuffle_cut_into_batches()
    {
        var order = Enumerable.Range(0, 10).ToArray();
        new Random(3).Shuffle(order);
        Assert.Equal(order.Chunk(4).Select(b => string.Join(",", b)), EpochBatches.Draw(new Random(3), 10, 4).Select(b => string.Join(",", b)));
    }

    [Fact]
    public void Grouped_batches_hold_every_feature_once_pad_less_and_depend_only_on_the_seed()
    {
        var lengths = Enumerable.Range(0, 1000).Select(i => 8 + (i * 7919 % 377)).ToArray();
        var grouped = EpochBatches.Draw(new Random(5), lengths.Length, 16, i => lengths[i]);
        Assert.Equal(Enumerable.Range(0, lengths.Length), grouped.SelectMany(b => b).Order());
        Assert.Equal(grouped.Select(b => string.Join(",", b)), EpochBatches.Draw(new Random(5), lengths.Length, 16, i => lengths[i]).Select(b => string.Join(",", b)));
        long Padded(IEnumerable<int[]> batches) => batches.Sum(b => (long)b.Length * b.Max(i => lengths[i]));
        long random = Padded(EpochBatches.Draw(new Random(5), lengths.Length, 16));
        Assert.True(Padded(grouped) < 0.7 * random, $"grouped {Padded(grouped)} vs random {random} padded tokens");
    }
}
