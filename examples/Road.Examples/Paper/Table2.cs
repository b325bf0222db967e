using Road.Data;
using Road.Pipeline;

namespace Road.Examples.Paper;

/// <summary>
/// The paper's Table 2: finetuning from the pretrained encoder (baseline), after MT-DNN's multi-task learning (one
/// dataset and one head per dataset each step), and after ROaD's (gradients averaged over datasets within each step,
/// one head per task type), on SQuAD 2.0, MNLI-m and QQP, for each encoder below. No distillation: the table compares
/// the multi-task methods alone, so the shared datasets' teachers are not trained.
/// </summary>
[ExperimentBase]
public abstract partial class Table2 : MultiTaskDatasets
{
    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")] public partial MrcDataset Squad2 { get; }

    [MultiTaskPretraining(Mode = MultiTaskMode.MtDnn, Datasets = new[] { nameof(MultiTaskDatasets) })] public partial StageSpec MtDnn { get; }

    [MultiTaskPretraining(Datasets = new[] { nameof(MultiTaskDatasets) })] public partial StageSpec RoadMtl { get; }

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

/// <summary>The paper's Table 2 on BERT-large.</summary>
[Experiment("table2-bert-large", Description = "Table 2, BERT-large: baseline vs MT-DNN vs ROaD multi-task learning, finetuned on SQuAD 2.0, MNLI-m, QQP.", Runs = 5)]
[Encoder(EncoderFamily.Bert, Checkpoint = PaperCheckpoints.BertLarge)]
public partial class Table2BertLarge : Table2
{
}

/// <summary>The paper's Table 2 on ALBERT-xlarge.</summary>
[Experiment("table2-albert-xlarge", Description = "Table 2, ALBERT-xlarge: baseline vs MT-DNN vs ROaD multi-task learning, finetuned on SQuAD 2.0, MNLI-m, QQP.", Runs = 5)]
[Encoder(EncoderFamily.Albert, Checkpoint = PaperCheckpoints.AlbertXLarge)]
public partial class Table2AlbertXLarge : Table2
{
}

/// <summary>The paper's Table 2 on ELECTRA-large.</summary>
[Experiment("table2-electra-large", Description = "Table 2, ELECTRA-large: baseline vs MT-DNN vs ROaD multi-task learning, finetuned on SQuAD 2.0, MNLI-m, QQP.", Runs = 5)]
[Encoder(EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraLarge)]
public partial class Table2ElectraLarge : Table2
{
}
