using Road.Data;
using Road.Pipeline;

namespace Road.Examples.Paper;

// The nine multi-task datasets (the paper's Table 1 as we read it): five MRC (TriviaQA, Natural Questions, QuAC with its
// follow-up and yes/no heads, QA-SRL, QA-ZRE), two NLI (MNLI, SNLI), sentiment (Amazon) and paraphrase (QQP). SQuAD 2.0
// and NewsQA, the evaluation sets, stay out of multi-task learning, so NewsQA* is out of domain for the SQuAD model.

/// <summary>
/// The paper's Table 4: ELECTRA-large finetuned from the pretrained encoder (baseline), after ROaD multi-task learning
/// (+MTL), and after multi-task learning with knowledge distillation from one teacher per dataset (+KD), on SQuAD 2.0,
/// NewsQA, MNLI-m and QQP.
/// </summary>
[Experiment("table4-electra-large", Description = "Table 4: baseline vs +MTL vs +MTL+KD on SQuAD 2.0, NewsQA, MNLI-m, QQP (ELECTRA-large).", Runs = 5)]
[Encoder(EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraLarge)]
public partial class Table4ElectraLarge
{
    [MrcTask(DataFormat.Mrqa, PaperData.TriviaQaTrain, Dev = PaperData.TriviaQaDev, Label = "TriviaQA"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial MrcDataset TriviaQa { get; }
    [MrcTask(DataFormat.Mrqa, PaperData.NaturalQuestionsTrain, Dev = PaperData.NaturalQuestionsDev, Label = "NQ"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial MrcDataset NaturalQuestions { get; }
    [MrcTask(DataFormat.Quac, PaperData.QuacTrain, Dev = PaperData.QuacDev, Label = "QuAC", FollowupHead = true, YesNoHead = true), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial MrcDataset Quac { get; }
    [MrcTask(DataFormat.QaSrl, PaperData.QaSrlTrain, Dev = PaperData.QaSrlDev, Label = "QA-SRL"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial MrcDataset QaSrl { get; }
    [MrcTask(DataFormat.QaZre, PaperData.QaZreTrain, Dev = PaperData.QaZreDev, Label = "QA-ZRE"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial MrcDataset QaZre { get; }
    [NliTask(DataFormat.Parquet, PaperData.MnliTrain, Dev = PaperData.MnliDevMatched, Label = "MNLI-m"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial PairDataset Mnli { get; }
    [NliTask(DataFormat.Snli, PaperData.SnliTrain, Dev = PaperData.SnliDev, Label = "SNLI"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial PairDataset Snli { get; }
    [SentimentTask(DataFormat.AmazonReviews, PaperData.AmazonReviews, Label = "Amazon"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial TextDataset Amazon { get; }
    [ParaphraseTask(DataFormat.Parquet, PaperData.QqpTrain, Dev = PaperData.QqpDev, Label = "QQP"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial PairDataset Qqp { get; }

    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")] public partial MrcDataset Squad2 { get; }
    [MrcTask(DataFormat.Mrqa, PaperData.NewsQaTrain, Dev = PaperData.NewsQaDev, Label = "NewsQA")] public partial MrcDataset NewsQa { get; }

    [MultiTaskPretraining(Datasets = new[] { nameof(TriviaQa), nameof(NaturalQuestions), nameof(Quac), nameof(QaSrl), nameof(QaZre), nameof(Mnli), nameof(Snli), nameof(Amazon), nameof(Qqp) })] public partial StageSpec Mtl { get; }

    [MultiTaskPretraining(Datasets = new[] { nameof(TriviaQa), nameof(NaturalQuestions), nameof(Quac), nameof(QaSrl), nameof(QaZre), nameof(Mnli), nameof(Snli), nameof(Amazon), nameof(Qqp) }), KnowledgeDistillation] public partial StageSpec MtlKd { get; }

    [Finetune(nameof(Squad2), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec BaselineSquad2 { get; }
    [Finetune(nameof(NewsQa), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec BaselineNewsQa { get; }
    [Finetune(nameof(Mnli), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec BaselineMnli { get; }
    [Finetune(nameof(Qqp), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec BaselineQqp { get; }
    [Finetune(nameof(Squad2), Row = "+MTL", From = nameof(Mtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec MtlSquad2 { get; }
    [Finetune(nameof(NewsQa), Row = "+MTL", From = nameof(Mtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec MtlNewsQa { get; }
    [Finetune(nameof(Mnli), Row = "+MTL", From = nameof(Mtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec MtlMnli { get; }
    [Finetune(nameof(Qqp), Row = "+MTL", From = nameof(Mtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec MtlQqp { get; }
    [Finetune(nameof(Squad2), Row = "+KD", From = nameof(MtlKd), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec KdSquad2 { get; }
    [Finetune(nameof(NewsQa), Row = "+KD", From = nameof(MtlKd), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec KdNewsQa { get; }
    [Finetune(nameof(Mnli), Row = "+KD", From = nameof(MtlKd), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec KdMnli { get; }
    [Finetune(nameof(Qqp), Row = "+KD", From = nameof(MtlKd), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec KdQqp { get; }
}
