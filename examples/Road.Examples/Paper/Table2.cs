using Road.Data;
using Road.Pipeline;

namespace Road.Examples.Paper;

// The nine multi-task datasets (the paper's Table 1 as we read it): five MRC (TriviaQA, Natural Questions, QuAC with its
// follow-up and yes/no heads, QA-SRL, QA-ZRE), two NLI (MNLI, SNLI), sentiment (Amazon) and paraphrase (QQP). SQuAD 2.0
// and NewsQA, the evaluation sets, stay out of multi-task learning, so NewsQA* is out of domain for the SQuAD model.

/// <summary>
/// The paper's Table 2 for BERT-large: finetuning from the pretrained encoder (baseline), after MT-DNN's multi-task
/// learning (one dataset and one head per dataset each step), and after ROaD's (gradients averaged over datasets within
/// each step, one head per task type), on SQuAD 2.0, MNLI-m and QQP. No distillation: the table compares the
/// multi-task methods alone.
/// </summary>
[Experiment("table2-bert-large", Description = "Table 2, BERT-large: baseline vs MT-DNN vs ROaD multi-task learning, finetuned on SQuAD 2.0, MNLI-m, QQP.", Runs = 5)]
[Encoder(EncoderFamily.Bert, Checkpoint = PaperCheckpoints.BertLarge)]
public partial class Table2BertLarge
{
    [MrcTask(DataFormat.Mrqa, PaperData.TriviaQaTrain, Dev = PaperData.TriviaQaDev, Label = "TriviaQA")] public partial MrcDataset TriviaQa { get; }
    [MrcTask(DataFormat.Mrqa, PaperData.NaturalQuestionsTrain, Dev = PaperData.NaturalQuestionsDev, Label = "NQ")] public partial MrcDataset NaturalQuestions { get; }
    [MrcTask(DataFormat.Quac, PaperData.QuacTrain, Dev = PaperData.QuacDev, Label = "QuAC", FollowupHead = true, YesNoHead = true)] public partial MrcDataset Quac { get; }
    [MrcTask(DataFormat.QaSrl, PaperData.QaSrlTrain, Dev = PaperData.QaSrlDev, Label = "QA-SRL")] public partial MrcDataset QaSrl { get; }
    [MrcTask(DataFormat.QaZre, PaperData.QaZreTrain, Dev = PaperData.QaZreDev, Label = "QA-ZRE")] public partial MrcDataset QaZre { get; }
    [NliTask(DataFormat.Parquet, PaperData.MnliTrain, Dev = PaperData.MnliDevMatched, Label = "MNLI-m")] public partial PairDataset Mnli { get; }
    [NliTask(DataFormat.Snli, PaperData.SnliTrain, Dev = PaperData.SnliDev, Label = "SNLI")] public partial PairDataset Snli { get; }
    [SentimentTask(DataFormat.AmazonReviews, PaperData.AmazonReviews, Label = "Amazon")] public partial TextDataset Amazon { get; }
    [ParaphraseTask(DataFormat.Parquet, PaperData.QqpTrain, Dev = PaperData.QqpDev, Label = "QQP")] public partial PairDataset Qqp { get; }

    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")] public partial MrcDataset Squad2 { get; }

    [MultiTaskPretraining(Mode = MultiTaskMode.MtDnn, Datasets = new[] { nameof(TriviaQa), nameof(NaturalQuestions), nameof(Quac), nameof(QaSrl), nameof(QaZre), nameof(Mnli), nameof(Snli), nameof(Amazon), nameof(Qqp) })] public partial StageSpec MtDnn { get; }

    [MultiTaskPretraining(Datasets = new[] { nameof(TriviaQa), nameof(NaturalQuestions), nameof(Quac), nameof(QaSrl), nameof(QaZre), nameof(Mnli), nameof(Snli), nameof(Amazon), nameof(Qqp) })] public partial StageSpec RoadMtl { get; }

    [Finetune(nameof(Squad2), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec BaselineSquad2 { get; }
    [Finetune(nameof(Mnli), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec BaselineMnli { get; }
    [Finetune(nameof(Qqp), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec BaselineQqp { get; }
    [Finetune(nameof(Squad2), Row = "MT-DNN", From = nameof(MtDnn), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec MtDnnSquad2 { get; }
    [Finetune(nameof(Mnli), Row = "MT-DNN", From = nameof(MtDnn), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec MtDnnMnli { get; }
    [Finetune(nameof(Qqp), Row = "MT-DNN", From = nameof(MtDnn), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec MtDnnQqp { get; }
    [Finetune(nameof(Squad2), Row = "ROaD MTL", From = nameof(RoadMtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec RoadSquad2 { get; }
    [Finetune(nameof(Mnli), Row = "ROaD MTL", From = nameof(RoadMtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec RoadMnli { get; }
    [Finetune(nameof(Qqp), Row = "ROaD MTL", From = nameof(RoadMtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec RoadQqp { get; }
}

/// <summary>
/// The paper's Table 2 for ALBERT-xlarge: finetuning from the pretrained encoder (baseline), after MT-DNN's multi-task
/// learning (one dataset and one head per dataset each step), and after ROaD's (gradients averaged over datasets within
/// each step, one head per task type), on SQuAD 2.0, MNLI-m and QQP. No distillation: the table compares the
/// multi-task methods alone.
/// </summary>
[Experiment("table2-albert-xlarge", Description = "Table 2, ALBERT-xlarge: baseline vs MT-DNN vs ROaD multi-task learning, finetuned on SQuAD 2.0, MNLI-m, QQP.", Runs = 5)]
[Encoder(EncoderFamily.Albert, Checkpoint = PaperCheckpoints.AlbertXLarge)]
public partial class Table2AlbertXLarge
{
    [MrcTask(DataFormat.Mrqa, PaperData.TriviaQaTrain, Dev = PaperData.TriviaQaDev, Label = "TriviaQA")] public partial MrcDataset TriviaQa { get; }
    [MrcTask(DataFormat.Mrqa, PaperData.NaturalQuestionsTrain, Dev = PaperData.NaturalQuestionsDev, Label = "NQ")] public partial MrcDataset NaturalQuestions { get; }
    [MrcTask(DataFormat.Quac, PaperData.QuacTrain, Dev = PaperData.QuacDev, Label = "QuAC", FollowupHead = true, YesNoHead = true)] public partial MrcDataset Quac { get; }
    [MrcTask(DataFormat.QaSrl, PaperData.QaSrlTrain, Dev = PaperData.QaSrlDev, Label = "QA-SRL")] public partial MrcDataset QaSrl { get; }
    [MrcTask(DataFormat.QaZre, PaperData.QaZreTrain, Dev = PaperData.QaZreDev, Label = "QA-ZRE")] public partial MrcDataset QaZre { get; }
    [NliTask(DataFormat.Parquet, PaperData.MnliTrain, Dev = PaperData.MnliDevMatched, Label = "MNLI-m")] public partial PairDataset Mnli { get; }
    [NliTask(DataFormat.Snli, PaperData.SnliTrain, Dev = PaperData.SnliDev, Label = "SNLI")] public partial PairDataset Snli { get; }
    [SentimentTask(DataFormat.AmazonReviews, PaperData.AmazonReviews, Label = "Amazon")] public partial TextDataset Amazon { get; }
    [ParaphraseTask(DataFormat.Parquet, PaperData.QqpTrain, Dev = PaperData.QqpDev, Label = "QQP")] public partial PairDataset Qqp { get; }

    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")] public partial MrcDataset Squad2 { get; }

    [MultiTaskPretraining(Mode = MultiTaskMode.MtDnn, Datasets = new[] { nameof(TriviaQa), nameof(NaturalQuestions), nameof(Quac), nameof(QaSrl), nameof(QaZre), nameof(Mnli), nameof(Snli), nameof(Amazon), nameof(Qqp) })] public partial StageSpec MtDnn { get; }

    [MultiTaskPretraining(Datasets = new[] { nameof(TriviaQa), nameof(NaturalQuestions), nameof(Quac), nameof(QaSrl), nameof(QaZre), nameof(Mnli), nameof(Snli), nameof(Amazon), nameof(Qqp) })] public partial StageSpec RoadMtl { get; }

    [Finetune(nameof(Squad2), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec BaselineSquad2 { get; }
    [Finetune(nameof(Mnli), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec BaselineMnli { get; }
    [Finetune(nameof(Qqp), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec BaselineQqp { get; }
    [Finetune(nameof(Squad2), Row = "MT-DNN", From = nameof(MtDnn), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec MtDnnSquad2 { get; }
    [Finetune(nameof(Mnli), Row = "MT-DNN", From = nameof(MtDnn), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec MtDnnMnli { get; }
    [Finetune(nameof(Qqp), Row = "MT-DNN", From = nameof(MtDnn), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec MtDnnQqp { get; }
    [Finetune(nameof(Squad2), Row = "ROaD MTL", From = nameof(RoadMtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec RoadSquad2 { get; }
    [Finetune(nameof(Mnli), Row = "ROaD MTL", From = nameof(RoadMtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec RoadMnli { get; }
    [Finetune(nameof(Qqp), Row = "ROaD MTL", From = nameof(RoadMtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec RoadQqp { get; }
}

/// <summary>
/// The paper's Table 2 for ELECTRA-large: finetuning from the pretrained encoder (baseline), after MT-DNN's multi-task
/// learning (one dataset and one head per dataset each step), and after ROaD's (gradients averaged over datasets within
/// each step, one head per task type), on SQuAD 2.0, MNLI-m and QQP. No distillation: the table compares the
/// multi-task methods alone.
/// </summary>
[Experiment("table2-electra-large", Description = "Table 2, ELECTRA-large: baseline vs MT-DNN vs ROaD multi-task learning, finetuned on SQuAD 2.0, MNLI-m, QQP.", Runs = 5)]
[Encoder(EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraLarge)]
public partial class Table2ElectraLarge
{
    [MrcTask(DataFormat.Mrqa, PaperData.TriviaQaTrain, Dev = PaperData.TriviaQaDev, Label = "TriviaQA")] public partial MrcDataset TriviaQa { get; }
    [MrcTask(DataFormat.Mrqa, PaperData.NaturalQuestionsTrain, Dev = PaperData.NaturalQuestionsDev, Label = "NQ")] public partial MrcDataset NaturalQuestions { get; }
    [MrcTask(DataFormat.Quac, PaperData.QuacTrain, Dev = PaperData.QuacDev, Label = "QuAC", FollowupHead = true, YesNoHead = true)] public partial MrcDataset Quac { get; }
    [MrcTask(DataFormat.QaSrl, PaperData.QaSrlTrain, Dev = PaperData.QaSrlDev, Label = "QA-SRL")] public partial MrcDataset QaSrl { get; }
    [MrcTask(DataFormat.QaZre, PaperData.QaZreTrain, Dev = PaperData.QaZreDev, Label = "QA-ZRE")] public partial MrcDataset QaZre { get; }
    [NliTask(DataFormat.Parquet, PaperData.MnliTrain, Dev = PaperData.MnliDevMatched, Label = "MNLI-m")] public partial PairDataset Mnli { get; }
    [NliTask(DataFormat.Snli, PaperData.SnliTrain, Dev = PaperData.SnliDev, Label = "SNLI")] public partial PairDataset Snli { get; }
    [SentimentTask(DataFormat.AmazonReviews, PaperData.AmazonReviews, Label = "Amazon")] public partial TextDataset Amazon { get; }
    [ParaphraseTask(DataFormat.Parquet, PaperData.QqpTrain, Dev = PaperData.QqpDev, Label = "QQP")] public partial PairDataset Qqp { get; }

    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")] public partial MrcDataset Squad2 { get; }

    [MultiTaskPretraining(Mode = MultiTaskMode.MtDnn, Datasets = new[] { nameof(TriviaQa), nameof(NaturalQuestions), nameof(Quac), nameof(QaSrl), nameof(QaZre), nameof(Mnli), nameof(Snli), nameof(Amazon), nameof(Qqp) })] public partial StageSpec MtDnn { get; }

    [MultiTaskPretraining(Datasets = new[] { nameof(TriviaQa), nameof(NaturalQuestions), nameof(Quac), nameof(QaSrl), nameof(QaZre), nameof(Mnli), nameof(Snli), nameof(Amazon), nameof(Qqp) })] public partial StageSpec RoadMtl { get; }

    [Finetune(nameof(Squad2), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec BaselineSquad2 { get; }
    [Finetune(nameof(Mnli), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec BaselineMnli { get; }
    [Finetune(nameof(Qqp), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec BaselineQqp { get; }
    [Finetune(nameof(Squad2), Row = "MT-DNN", From = nameof(MtDnn), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec MtDnnSquad2 { get; }
    [Finetune(nameof(Mnli), Row = "MT-DNN", From = nameof(MtDnn), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec MtDnnMnli { get; }
    [Finetune(nameof(Qqp), Row = "MT-DNN", From = nameof(MtDnn), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec MtDnnQqp { get; }
    [Finetune(nameof(Squad2), Row = "ROaD MTL", From = nameof(RoadMtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec RoadSquad2 { get; }
    [Finetune(nameof(Mnli), Row = "ROaD MTL", From = nameof(RoadMtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec RoadMnli { get; }
    [Finetune(nameof(Qqp), Row = "ROaD MTL", From = nameof(RoadMtl), LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec RoadQqp { get; }
}
