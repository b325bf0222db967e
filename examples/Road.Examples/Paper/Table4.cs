using Road.Data;
using Road.Pipeline;

namespace Road.Examples.Paper;

/// <summary>
/// The paper's Table 4: ELECTRA-large finetuned from the pretrained encoder (baseline), after ROaD multi-task learning
/// (+MTL), and after multi-task learning with knowledge distillation from one teacher per dataset (+KD), on SQuAD 2.0,
/// NewsQA, MNLI-m and QQP.
/// </summary>
[Experiment("table4-electra-large", Description = "Table 4: baseline vs +MTL vs +MTL+KD on SQuAD 2.0, NewsQA, MNLI-m, QQP (ELECTRA-large).", Runs = 5)]
[Encoder(EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraLarge)]
public partial class Table4ElectraLarge : MultiTaskDatasets
{
    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")] public partial MrcDataset Squad2 { get; }
    [MrcTask(DataFormat.Mrqa, PaperData.NewsQaTrain, Dev = PaperData.NewsQaDev, Label = "NewsQA")] public partial MrcDataset NewsQa { get; }

    [MultiTaskPretraining(Datasets = new[] { nameof(MultiTaskDatasets) })] public partial StageSpec Mtl { get; }

    [MultiTaskPretraining(Datasets = new[] { nameof(MultiTaskDatasets) }), KnowledgeDistillation] public partial StageSpec MtlKd { get; }

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
