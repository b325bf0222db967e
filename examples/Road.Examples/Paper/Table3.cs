using Road.Data;
using Road.Pipeline;

namespace Road.Examples.Paper;

/// <summary>
/// The paper's Table 3: SQuAD 2.0 finetuning as it is (baseline), with label smoothing, with negative-question
/// augmentation (unanswerable copies of answerable questions paired with other paragraphs), and with both, for each
/// encoder below.
/// </summary>
[ExperimentBase]
public abstract partial class Table3
{
    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")] public partial MrcDataset Squad2 { get; }

    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0"), NegativeQuestions]
    public partial MrcDataset Squad2Negatives { get; }

    [Finetune(nameof(Squad2), Row = "baseline", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec Baseline { get; }

    [Finetune(nameof(Squad2), Row = "+ label smoothing", LayerDecay = PaperSettings.FinetuneLayerDecay), LabelSmoothing]
    public partial StageSpec Smoothed { get; }

    [Finetune(nameof(Squad2Negatives), Row = "+ negative questions", LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial StageSpec Negatives { get; }

    [Finetune(nameof(Squad2Negatives), Row = "+ both", LayerDecay = PaperSettings.FinetuneLayerDecay), LabelSmoothing]
    public partial StageSpec Both { get; }
}

/// <summary>The paper's Table 3 on BERT-large.</summary>
[Experiment("table3-bert-large", Description = "Table 3, BERT-large: SQuAD 2.0 with label smoothing and negative-question augmentation.", Runs = 5)]
[Encoder(EncoderFamily.Bert, Checkpoint = PaperCheckpoints.BertLarge)]
public partial class Table3BertLarge : Table3
{
}

/// <summary>The paper's Table 3 on ALBERT-xlarge.</summary>
[Experiment("table3-albert-xlarge", Description = "Table 3, ALBERT-xlarge: SQuAD 2.0 with label smoothing and negative-question augmentation.", Runs = 5)]
[Encoder(EncoderFamily.Albert, Checkpoint = PaperCheckpoints.AlbertXLarge)]
public partial class Table3AlbertXLarge : Table3
{
}

/// <summary>The paper's Table 3 on ELECTRA-large.</summary>
[Experiment("table3-electra-large", Description = "Table 3, ELECTRA-large: SQuAD 2.0 with label smoothing and negative-question augmentation.", Runs = 5)]
[Encoder(EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraLarge)]
public partial class Table3ElectraLarge : Table3
{
}
