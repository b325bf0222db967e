using Road.Data;
using Road.Pipeline;

namespace Road.Stages;

/// <summary>A dataset with its declaration, as stages receive it: MRC questions, sentence pairs or single texts.</summary>
public sealed record BoundTask(TaskSpec Spec, MrcDataset? Mrc, PairDataset? Pairs, TextDataset? Texts)
{
    public BoundTask(TaskSpec spec, MrcDataset dataset) : this(spec, dataset, null, null) { }

    public BoundTask(TaskSpec spec, PairDataset dataset) : this(spec, null, dataset, null) { }

    public BoundTask(TaskSpec spec, TextDataset dataset) : this(spec, null, null, dataset) { }

    /// <summary>The class count of a classification dataset (its labels); 0 for MRC.</summary>
    public int Classes => Pairs?.Labels.Count ?? Texts?.Labels.Count ?? 0;
}
