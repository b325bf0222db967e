using Road.Data;
using Road.Pipeline;

namespace Road.Examples.Paper;

/// <summary>
/// ROaD, the paper's model: multi-task pretraining with knowledge distillation over the nine datasets (one teacher
/// each, finetuned from the pretrained encoder), then SQuAD 2.0 finetuning with weighted KD from three ROaD-MTL
/// teachers (the multi-task model finetuned on SQuAD 2.0 with three seeds); evaluated on SQuAD 2.0 dev and, out of
/// domain, on NewsQA dev with the SQuAD 2.0 model. Five runs averaged.
/// </summary>
[ExperimentBase]
public abstract partial class RoadModel : MultiTaskDatasets
{
    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")]
    [Teacher(Seeds = 3, From = nameof(Mtl), LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial MrcDataset Squad2 { get; }

    [MrcTask(DataFormat.Mrqa, "", Dev = PaperData.NewsQaDev, Label = "NewsQA*")] public partial MrcDataset NewsQa { get; }

    [MultiTaskPretraining(Datasets = new[] { nameof(MultiTaskDatasets) })]
    [KnowledgeDistillation]
    public partial StageSpec Mtl { get; }

    [Finetune(nameof(Squad2), From = nameof(Mtl), Row = "ROaD", LayerDecay = PaperSettings.FinetuneLayerDecay)]
    [WeightedKd(Teachers = 3)]
    public partial StageSpec Finetune { get; }

    [Evaluate(nameof(NewsQa), Model = nameof(Finetune), Row = "ROaD")] public partial StageSpec NewsQaOutOfDomain { get; }
}

/// <summary>The paper's Table 6: ROaD-Large.</summary>
[Experiment("road-electra-large", Description = "Table 6: ROaD-Large (MTL with KD over nine datasets, then SQuAD 2.0 with weighted KD from three ROaD-MTL teachers); SQuAD 2.0 and NewsQA* dev.", Runs = 5)]
[Encoder(EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraLarge)]
public partial class RoadElectraLarge : RoadModel
{
}

/// <summary>The paper's Table 7: ROaD-Base.</summary>
[Experiment("road-electra-base", Description = "Table 7: ROaD-Base (MTL with KD over nine datasets, then SQuAD 2.0 with weighted KD from three ROaD-MTL teachers); SQuAD 2.0 and NewsQA* dev.", Runs = 5)]
[Encoder(EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraBase)]
public partial class RoadElectraBase : RoadModel
{
}
