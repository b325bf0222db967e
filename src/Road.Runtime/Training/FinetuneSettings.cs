namespace Road.Training;

/// <summary>Hyperparameters of one finetuning run (the paper's Table 8 defaults, with warmup then linear decay).
/// <see cref="GradientAccumulation"/> splits each batch into that many micro-batches whose gradients add up to the
/// batch's, for batches that do not fit in memory at once. <see cref="GroupByLength"/> forms batches of similar
/// lengths (each batch pads to its longest sequence).</summary>
public sealed record FinetuneSettings(
    int Epochs = RoadDefaults.Epochs,
    int BatchSize = RoadDefaults.BatchSize,
    double LearningRate = RoadDefaults.LearningRate,
    double WarmupFraction = RoadDefaults.WarmupFraction,
    double WeightDecay = RoadDefaults.WeightDecay,
    double MaxGradNorm = RoadDefaults.MaxGradNorm,
    double AdamEpsilon = RoadDefaults.AdamEpsilon,
    double LabelSmoothing = 0,
    double LayerDecay = RoadDefaults.LayerDecay,
    int GradientAccumulation = RoadDefaults.GradientAccumulation,
    bool GroupByLength = false);
