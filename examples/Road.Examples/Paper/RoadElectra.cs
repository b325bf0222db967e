using Road.Data;
using Road.Pipeline;

namespace Road.Examples.Paper;

// The nine multi-task datasets (the paper's Table 1 as we read it): five MRC (TriviaQA, Natural Questions, QuAC with its
// follow-up and yes/no heads, QA-SRL, QA-ZRE), two NLI (MNLI, SNLI), sentiment (Amazon) and paraphrase (QQP). SQuAD 2.0
// and NewsQA, the evaluation sets, stay out of multi-task learning, so NewsQA* is out of domain for the SQuAD model.

/// <summary>
/// The paper's Table 6: ROaD-Large. Multi-task pretraining with knowledge distillation over the nine datasets (one
/// teacher each, finetuned from ELECTRA-Large), then SQuAD 2.0 finetuning with weighted KD from three ROaD-MTL
/// teachers (the multi-task model finetuned on SQuAD 2.0 with three seeds); evaluated on SQuAD 2.0 dev and, out of
/// domain, on NewsQA dev with the SQuAD 2.0 model. Five runs averaged.
/// </summary>
[Experiment("road-electra-large", Description = "Table 6: ROaD-Large (MTL with KD over nine datasets, then SQuAD 2.0 with weighted KD from three ROaD-MTL teachers); SQuAD 2.0 and NewsQA* dev.", Runs = 5)]
[Encoder(EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraLarge)]
public partial class RoadElectraLarge
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

    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")]
    [Teacher(Seeds = 3, From = nameof(Mtl), LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial MrcDataset Squad2 { get; }

    [MrcTask(DataFormat.Mrqa, "", Dev = PaperData.NewsQaDev, Label = "NewsQA*")] public partial MrcDataset NewsQa { get; }

    [MultiTaskPretraining(Datasets = new[] { nameof(TriviaQa), nameof(NaturalQuestions), nameof(Quac), nameof(QaSrl), nameof(QaZre), nameof(Mnli), nameof(Snli), nameof(Amazon), nameof(Qqp) })]
    [KnowledgeDistillation]
    public partial StageSpec Mtl { get; }

    [Finetune(nameof(Squad2), From = nameof(Mtl), Row = "ROaD", LayerDecay = PaperSettings.FinetuneLayerDecay)]
    [WeightedKd(Teachers = 3)]
    public partial StageSpec Finetune { get; }

    [Evaluate(nameof(NewsQa), Model = nameof(Finetune), Row = "ROaD")] public partial StageSpec NewsQaOutOfDomain { get; }
}

/// <summary>
/// The paper's Table 7: ROaD-Base. Multi-task pretraining with knowledge distillation over the nine datasets (one
/// teacher each, finetuned from ELECTRA-Base), then SQuAD 2.0 finetuning with weighted KD from three ROaD-MTL
/// teachers (the multi-task model finetuned on SQuAD 2.0 with three seeds); evaluated on SQuAD 2.0 dev and, out of
/// domain, on NewsQA dev with the SQuAD 2.0 model. Five runs averaged.
/// </summary>
[Experiment("road-electra-base", Description = "Table 7: ROaD-Base (MTL with KD over nine datasets, then SQuAD 2.0 with weighted KD from three ROaD-MTL teachers); SQuAD 2.0 and NewsQA* dev.", Runs = 5)]
[Encoder(EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraBase)]
public partial class RoadElectraBase
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

    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")]
    [Teacher(Seeds = 3, From = nameof(Mtl), LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial MrcDataset Squad2 { get; }

    [MrcTask(DataFormat.Mrqa, "", Dev = PaperData.NewsQaDev, Label = "NewsQA*")] public partial MrcDataset NewsQa { get; }

    [MultiTaskPretraining(Datasets = new[] { nameof(TriviaQa), nameof(NaturalQuestions), nameof(Quac), nameof(QaSrl), nameof(QaZre), nameof(Mnli), nameof(Snli), nameof(Amazon), nameof(Qqp) })]
    [KnowledgeDistillation]
    public partial StageSpec Mtl { get; }

    [Finetune(nameof(Squad2), From = nameof(Mtl), Row = "ROaD", LayerDecay = PaperSettings.FinetuneLayerDecay)]
    [WeightedKd(Teachers = 3)]
    public partial StageSpec Finetune { get; }

    [Evaluate(nameof(NewsQa), Model = nameof(Finetune), Row = "ROaD")] public partial StageSpec NewsQaOutOfDomain { get; }
}
