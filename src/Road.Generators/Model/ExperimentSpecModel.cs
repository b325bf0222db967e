namespace Road.Generators.Model
{
    // The generator's model of a declaration: strings, numbers and equatable arrays only, never Roslyn objects, so
    // that an unrelated edit leaves every pipeline step cached.

    /// <summary>One <c>[Experiment]</c> class, fully resolved (defaults filled in). <see cref="SharedBase"/>: whether it
    /// derives from an <c>[ExperimentBase]</c> class, whose datasets and stages come first.</summary>
    public sealed record ExperimentSpecModel(
        string Namespace,
        string ClassName,
        bool IsPartial,
        bool SharedBase,
        string Name,
        string Description,
        int Seed,
        int Runs,
        EncoderSpecModel Encoder,
        EquatableArray<TaskSpecModel> Tasks,
        EquatableArray<StageSpecModel> Stages,
        EquatableArray<TeacherEncoderModel> TeacherEncoders);

    /// <summary>A <c>[TeacherEncoder]</c> of an experiment: its name, the encoder it declares, and the earlier
    /// experiment and stage whose model it is, if it is one.</summary>
    public sealed record TeacherEncoderModel(string Name, EncoderSpecModel Encoder, string Experiment, string Stage);

    /// <summary>A <c>[Teacher(Encoder = ...)]</c> of a dataset: teachers of a teacher encoder and their finetuning.</summary>
    public sealed record TeacherGroupModel(string Encoder, int Seeds, int Epochs, int BatchSize, double LearningRate, double LayerDecay);

    /// <summary>The <c>[Encoder]</c> of an experiment.</summary>
    public sealed record EncoderSpecModel(
        string Family,
        string Checkpoint,
        int EmbeddingSize,
        int HiddenSize,
        int Layers,
        int Heads,
        int IntermediateSize,
        int MaxPositions,
        double Dropout,
        string Vocabulary);

    /// <summary>An <c>[ExperimentBase]</c> class: the dataset and stage properties experiments deriving from it share.</summary>
    public sealed record ExperimentBaseModel(string Namespace, string ClassName, bool IsPartial, bool SharedBase, EquatableArray<TaskSpecModel> Tasks, EquatableArray<StageSpecModel> Stages);

    /// <summary>A dataset property bound to a head. <see cref="Inherited"/>: declared by an <c>[ExperimentBase]</c> class,
    /// which implements its accessor. <see cref="TeacherSeeds"/> (the experiment's encoder's teachers) is 0, and
    /// <see cref="OtherTeachers"/> (teacher encoders' teachers) empty, when no stage distils from the dataset.</summary>
    public sealed record TaskSpecModel(
        bool Inherited,
        string PropertyName,
        string Accessibility,
        string Kind,
        string Format,
        string Train,
        string Dev,
        int MaxTrainExamples,
        int MaxLength,
        int Stride,
        int MaxQueryLength,
        double NegativeQuestionRatio,
        int TeacherSeeds,
        int TeacherEpochs,
        int TeacherBatchSize,
        double TeacherLearningRate,
        double TeacherLayerDecay,
        string TeacherFrom,
        int Classes,
        bool FollowupHead,
        bool YesNoHead,
        string TrainArticles,
        string DevArticles,
        string Label,
        EquatableArray<TeacherGroupModel> OtherTeachers);

    /// <summary>A <c>[Finetune]</c>, <c>[MultiTaskPretraining]</c> or <c>[Evaluate]</c> stage property. <see cref="Datasets"/>:
    /// the datasets of multi-task pretraining (empty: all); <see cref="Model"/>: the stage an evaluation scores;
    /// paper figures are NaN when not declared; <see cref="Inherited"/>: declared by an <c>[ExperimentBase]</c> class.</summary>
    public sealed record StageSpecModel(
        bool Inherited,
        string PropertyName,
        string Accessibility,
        string Target,
        int Epochs,
        int BatchSize,
        double LearningRate,
        double WarmupFraction,
        double WeightDecay,
        double MaxGradNorm,
        double LabelSmoothing,
        double LayerDecay,
        int GradientAccumulation,
        bool GroupByLength,
        string Kind,
        string From,
        string Row,
        MultiTaskModel? MultiTask,
        DistillationModel? Distillation,
        EquatableArray<string> Datasets,
        string Model,
        double PaperEm,
        double PaperF1,
        double PaperAccuracy,
        string FromTeacher,
        EquatableArray<int> TeacherLayers);

    /// <summary>A <c>[MultiTaskPretraining]</c> stage's settings.</summary>
    public sealed record MultiTaskModel(
        string Mode,
        string Sampling,
        double SamplingTemperature,
        int Steps,
        int BatchSize,
        int ExamplesPerPass,
        double LearningRate,
        double LayerDecay);

    /// <summary>A stage's distillation: Kd, Ensemble, WeightedKd or Annealing.</summary>
    public sealed record DistillationModel(string Kind, double Temperature, double Alpha, double W, int Teachers);
}
