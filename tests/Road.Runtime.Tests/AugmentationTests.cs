using Road.Data;
using Road.Data.Toy;
using Road.Heads;
using Road.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Tests;

/// <summary>Negative-question augmentation and label smoothing.</summary>
public sealed class AugmentationTests
{
    [Fact]
    public void Negative_copies_ask_the_same_question_of_a_paragraph_without_the_answer()
    {
        var train = ToyTasks.Mrc(seed: 3, 300, 10).Train;
        int answerable = train.Count(e => !e.IsImpossible);
        var augmented = NegativeQuestions.Augment(train, 0.5, seed: 9);
        var negatives = augmented.Skip(train.Count).ToList();
        Assert.Equal(train, augmented.Take(train.Count));
        Assert.InRange(negatives.Count, (int)(0.45 * answerable), (int)Math.Round(0.5 * answerable));
        foreach (var negative in negatives)
        {
            var source = train.Single(e => e.Id + "-negative" == negative.Id);
            Assert.True(negative.IsImpossible);
            Assert.Equal(source.Question, negative.Question);
            Assert.NotEqual(source.Context, negative.Context);
            Assert.DoesNotContain(source.Answers[0].Text, negative.Context, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(negatives.Select(n => n.Id), NegativeQuestions.Augment(train, 0.5, seed: 9).Skip(train.Count).Select(n => n.Id));
        Assert.NotEqual(negatives.Select(n => n.Id), NegativeQuestions.Augment(train, 0.5, seed: 10).Skip(train.Count).Select(n => n.Id));
    }

    [Fact]
    public void Label_smoothing_mixes_the_gold_one_hot_with_the_uniform_distribution()
    {
        torch.manual_seed(1);
        var head = new ClassificationHead(8, 3, 0.0);
        var features = new List<PairFeature> { new(CompactIds.From([2, 5, 3], 10), 3, 2), new(CompactIds.From([2, 6, 3], 10), 1, 0) };
        var encoder = Road.Encoders.EncoderModel.Create(new Road.Encoders.EncoderConfig { VocabSize = 10, EmbeddingSize = 8, HiddenSize = 8, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 8, MaxPositionEmbeddings = 8, HiddenDropoutProb = 0, AttentionProbsDropoutProb = 0 });
        encoder.eval();
        var logits = PairObjective.Forward(encoder, head, features, [0, 1], CPU);
        var logProbabilities = nn.functional.log_softmax(logits, 1);
        double epsilon = 0.2;
        // (1 - eps) * CE(gold) + eps * mean over classes of -log p
        var expected = ((1 - epsilon) * -(logProbabilities[0, 2] + logProbabilities[1, 0]) / 2 + epsilon * -logProbabilities.mean()).item<float>();
        var actual = new PairObjective("t", head, features, epsilon).Loss(encoder, [0, 1], CPU).item<float>();
        Assert.Equal(expected, actual, 5);
    }
}
