namespace Road.Training;

/// <summary>Hyperparameters of one finetuning run (the paper's Table 8 defaults, with warmup then linear decay).
/// <see cref="GradientAccumulation"/> splits each batch into that many micro-batches whose gradients add up to the
/// batch's, for batches that do not fit in memory at once. <see cref="GroupByLength"/> forms batches of similar
/// lengths (each batch pads to its longest sequence).</summary>
public sealed record FinetuneSettings(
    int Epochs = 3,
    int BatchSize = 32,
    double LearningRate = 5e-5,
    double WarmupFraction = 0.1,
    double WeightDecay = 0.01,
    double MaxGradNorm = 1.0,
    double AdamEpsilon = 1e-6,
    double LabelSmoothing = 0,
    double LayerDecay = 1.0,
    int GradientAccumulation = 1,
    bool GroupByLength = false);
