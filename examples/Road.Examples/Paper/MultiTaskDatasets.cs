using Road.Data;

namespace Road.Examples.Paper;

/// <summary>
/// The nine multi-task datasets (the paper's Table 1 as we read it): five MRC (TriviaQA, Natural Questions, QuAC with its
/// follow-up and yes/no heads, QA-SRL, QA-ZRE), two NLI (MNLI, SNLI), sentiment (Amazon) and paraphrase (QQP), each with
/// a teacher for knowledge distillation in multi-task learning (trained only by the experiments that distil). SQuAD 2.0
/// and NewsQA, the evaluation sets, stay out of multi-task learning, so NewsQA* is out of domain for the SQuAD model.
/// </summary>
[ExperimentBase]
public abstract partial class MultiTaskDatasets
{
    [MrcTask(DataFormat.Mrqa, PaperData.TriviaQaTrain, Dev = PaperData.TriviaQaDev, Label = "TriviaQA"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial MrcDataset TriviaQa { get; }

    [MrcTask(DataFormat.Mrqa, PaperData.NaturalQuestionsTrain, Dev = PaperData.NaturalQuestionsDev, Label = "NQ"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial MrcDataset NaturalQuestions { get; }

    [MrcTask(DataFormat.Quac, PaperData.QuacTrain, Dev = PaperData.QuacDev, Label = "QuAC", FollowupHead = true, YesNoHead = true), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial MrcDataset Quac { get; }

    [MrcTask(DataFormat.QaSrl, PaperData.QaSrlTrain, Dev = PaperData.QaSrlDev, Label = "QA-SRL"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial MrcDataset QaSrl { get; }

    [MrcTask(DataFormat.QaZre, PaperData.QaZreTrain, Dev = PaperData.QaZreDev, Label = "QA-ZRE"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial MrcDataset QaZre { get; }

    [NliTask(DataFormat.Parquet, PaperData.MnliTrain, Dev = PaperData.MnliDevMatched, Label = "MNLI-m"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial PairDataset Mnli { get; }

    [NliTask(DataFormat.Snli, PaperData.SnliTrain, Dev = PaperData.SnliDev, Label = "SNLI"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial PairDataset Snli { get; }

    [SentimentTask(DataFormat.AmazonReviews, PaperData.AmazonReviews, Label = "Amazon"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial TextDataset Amazon { get; }

    [ParaphraseTask(DataFormat.Parquet, PaperData.QqpTrain, Dev = PaperData.QqpDev, Label = "QQP"), Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial PairDataset Qqp { get; }
}
