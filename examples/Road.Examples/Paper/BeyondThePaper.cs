using Road.Data;
using Road.Pipeline;

namespace Road.Examples.Paper;

/// <summary>
/// The paper's future work: weighted KD on SQuAD 2.0 from "an ensemble of diverse models such as ELECTRA, ALBERT and
/// BERT". One teacher of each family (each finetuned on SQuAD 2.0 from its public checkpoint, reading the text with its
/// own tokenizer) teaches an ELECTRA-large student through weighted KD; their span distributions are mapped onto the
/// student's tokens through character offsets. Baseline: the student finetuned alone.
/// </summary>
[Experiment("road-hetero", Description = "Weighted KD on SQuAD 2.0 from BERT, ALBERT and ELECTRA teachers into an ELECTRA-large student (the paper's future work).", Runs = 5)]
[Encoder(EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraLarge)]
[TeacherEncoder("bert", EncoderFamily.Bert, Checkpoint = PaperCheckpoints.BertLarge)]
[TeacherEncoder("albert", EncoderFamily.Albert, Checkpoint = PaperCheckpoints.AlbertXLarge)]
public partial class RoadHetero
{
    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")]
    [Teacher(LayerDecay = PaperSettings.FinetuneLayerDecay)]
    [Teacher(Encoder = "bert", LayerDecay = PaperSettings.FinetuneLayerDecay)]
    [Teacher(Encoder = "albert", LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial MrcDataset Squad2 { get; }

    [Finetune(nameof(Squad2), Row = "single", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec Single { get; }

    [Finetune(nameof(Squad2), Row = "weighted KD (BERT, ALBERT, ELECTRA)", LayerDecay = PaperSettings.FinetuneLayerDecay), WeightedKd(Teachers = 3)]
    public partial StageSpec WeightedKd { get; }
}

/// <summary>
/// Distilling a large model into a smaller one, TextBrewer's and DistilBERT's use: three ELECTRA-large teachers
/// finetuned on SQuAD 2.0 teach an ELECTRA-base student by weighted KD. Baseline: ELECTRA-base finetuned alone. (For
/// ROaD-MTL teachers, declare the teacher encoder as road-electra-large's model:
/// <c>[TeacherEncoder("large", EncoderFamily.Electra, Experiment = "road-electra-large", Stage = "Mtl")]</c>.)
/// </summary>
[Experiment("road-distil-base", Description = "ELECTRA-large teachers distilled into an ELECTRA-base student on SQuAD 2.0 (weighted KD).", Runs = 5)]
[Encoder(EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraBase)]
[TeacherEncoder("large", EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraLarge)]
public partial class RoadDistilBase
{
    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")]
    [Teacher(Encoder = "large", Seeds = 3, LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial MrcDataset Squad2 { get; }

    [Finetune(nameof(Squad2), Row = "single", LayerDecay = PaperSettings.FinetuneLayerDecay)] public partial StageSpec Single { get; }

    [Finetune(nameof(Squad2), Row = "weighted KD from ELECTRA-large", LayerDecay = PaperSettings.FinetuneLayerDecay), WeightedKd(Teachers = 3)]
    public partial StageSpec WeightedKd { get; }
}

/// <summary>
/// DistilBERT's recipe at ELECTRA-large's width: a student of half the layers (12 of 24) starts from every other layer
/// of the first of three ELECTRA-large teachers finetuned on SQuAD 2.0 and learns by weighted KD from the three.
/// Baseline: the same student finetuned from those layers alone.
/// </summary>
[Experiment("road-distil-half", Description = "A 12-layer student of ELECTRA-large's width from every other layer of an ELECTRA-large teacher, with weighted KD from three, on SQuAD 2.0 (DistilBERT's recipe).", Runs = 5)]
[Encoder(EncoderFamily.Electra, Vocabulary = PaperCheckpoints.ElectraLarge, EmbeddingSize = 1024, HiddenSize = 1024, Layers = 12, Heads = 16, IntermediateSize = 4096, MaxPositions = 512)]
[TeacherEncoder("large", EncoderFamily.Electra, Checkpoint = PaperCheckpoints.ElectraLarge)]
public partial class RoadDistilHalf
{
    private const string Large = "large";

    [MrcTask(DataFormat.Squad2, PaperData.Squad2Train, Dev = PaperData.Squad2Dev, Label = "SQuAD 2.0")]
    [Teacher(Encoder = Large, Seeds = 3, LayerDecay = PaperSettings.FinetuneLayerDecay)]
    public partial MrcDataset Squad2 { get; }

    [Finetune(nameof(Squad2), Row = "from teacher layers", LayerDecay = PaperSettings.FinetuneLayerDecay, FromTeacher = Large, TeacherLayers = new[] { 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22 })]
    public partial StageSpec FromLayers { get; }

    [Finetune(nameof(Squad2), Row = "weighted KD from ELECTRA-large", LayerDecay = PaperSettings.FinetuneLayerDecay, FromTeacher = Large, TeacherLayers = new[] { 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22 })]
    [WeightedKd(Teachers = 3)]
    public partial StageSpec WeightedKd { get; }
}
