using Road.Data;
using Road.Pipeline;

namespace Road.Examples.Paper;

/// <summary>
/// The paper's Table 5: SQuAD 2.0 finetuning of the ROaD-MTL model (multi-task learning with knowledge distillation)
/// alone (single), distilled from the mean of three ROaD-MTL teachers (ensemble), from one (KD), with teacher
/// annealing, and with weighted KD over the three. The teachers are the ROaD-MTL model finetuned on SQuAD 2.0 with
/// three seeds.
/// </summary>
[Experiment("table5-electra-large", Description = "Table 5: single vs ensemble vs KD vs annealing vs weighted KD on SQuAD 2.0 with ROaD-MTL teachers (ELECTRA-large).", Runs = 5)]
[Encoder(EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraLarge)]
public partial class Table5ElectraLarge : MultiTaskDatasets
{
    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")]
    [Teacher(Seeds = 3, From = nameof(Mtl), LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial MrcDataset Squad2 { get; }

    [MultiTaskPretraining(Datasets = new[] { nameof(MultiTaskDatasets) }), KnowledgeDistillation] public partial StageSpec Mtl { get; }

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
