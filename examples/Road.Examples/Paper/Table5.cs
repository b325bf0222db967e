using Road.Data;
using Road.Pipeline;

namespace Road.Examples.Paper;

// The nine multi-task datasets (the paper's Table 1 as we read it): five MRC (TriviaQA, Natural Questions, QuAC with its
// follow-up and yes/no heads, QA-SRL, QA-ZRE), two NLI (MNLI, SNLI), sentiment (Amazon) and paraphrase (QQP). SQuAD 2.0
// and NewsQA, the evaluation sets, stay out of multi-task learning, so NewsQA* is out of domain for the SQuAD model.

/// <summary>
/// The paper's Table 5: SQuAD 2.0 finetuning of the ROaD-MTL model (multi-task learning with knowledge distillation)
/// alone (single), distilled from the mean of three ROaD-MTL teachers (ensemble), from one (KD), with teacher
/// annealing, and with weighted KD over the three. The teachers are the ROaD-MTL model finetuned on SQuAD 2.0 with
/// three seeds.
/// </summary>
[Experiment("table5-electra-large", Description = "Table 5: single vs ensemble vs KD vs annealing vs weighted KD on SQuAD 2.0 with ROaD-MTL teachers (ELECTRA-large).", Runs = 5)]
[Encoder(EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraLarge)]
public partial class Table5ElectraLarge
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

    [MultiTaskPretraining(Datasets = new[] { nameof(TriviaQa), nameof(NaturalQuestions), nameof(Quac), nameof(QaSrl), nameof(QaZre), nameof(Mnli), nameof(Snli), nameof(Amazon), nameof(Qqp) }), KnowledgeDistillation] public partial StageSpec Mtl { get; }

    [Finetune(nameof(Squad2), Row = "single", From = nameof(Mtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec Single { get; }

    [Finetune(nameof(Squad2), Row = "ensemble", From = nameof(Mtl), LayerDecay = PaperSettings.FinetuneLayerDecay), TeacherEnsemble(Teachers = 3)]
    public partial StageSpec Ensemble { get; }

    [Finetune(nameof(Squad2), Row = "KD", From = nameof(Mtl), LayerDecay = PaperSettings.FinetuneLayerDecay), KnowledgeDistillation]
    public partial StageSpec Kd { get; }

    [Finetune(nameof(Squad2), Row = "annealing", From = nameof(Mtl), LayerDecay = PaperSettings.FinetuneLayerDecay), TeacherAnnealing(Teachers = 3)]
    public partial StageSpec Annealing { get; }

    [Finetune(nameof(Squad2), Row = "weighted KD", From = nameof(Mtl), LayerDecay = PaperSettings.FinetuneLayerDecay), WeightedKd(Teachers = 3)]
    public partial StageSpec WeightedKd { get; }
}
