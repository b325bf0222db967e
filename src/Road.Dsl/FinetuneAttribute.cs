using System;

namespace Road
{
    /// <summary>
    /// A finetuning stage: trains the experiment's encoder with the head of <see cref="Target"/> on its training set,
    /// then evaluates on its dev set. Defaults are the paper's (Table 8).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class FinetuneAttribute : Attribute
    {
        public FinetuneAttribute(string target) => Target = target;

        /// <summary>The dataset property to finetune on (use <c>nameof</c>).</summary>
        public string Target { get; }

        public int Epochs { get; set; } = RoadDefaults.Epochs;
        public int BatchSize { get; set; } = RoadDefaults.BatchSize;
        public double LearningRate { get; set; } = RoadDefaults.LearningRate;
        public double WarmupFraction { get; set; } = RoadDefaults.WarmupFraction;
        public double WeightDecay { get; set; } = RoadDefaults.WeightDecay;
        public double MaxGradNorm { get; set; } = RoadDefaults.MaxGradNorm;

        /// <summary>Micro-batches per update whose gradients add up to the batch's (1: none).</summary>
        public int GradientAccumulation { get; set; } = RoadDefaults.GradientAccumulation;

        /// <summary>Batches of similar lengths (each pads to its longest sequence): faster on long-tailed data.</summary>
        public bool GroupByLength { get; set; }

        /// <summary>ELECTRA's layer-wise learning-rate multiplier (1: the same rate everywhere).</summary>
        public double LayerDecay { get; set; } = RoadDefaults.LayerDecay;

        /// <summary>A stage whose encoder this one starts from (multi-task pretraining, say); the experiment's encoder when empty.</summary>
        public string From { get; set; } = "";

        /// <summary>A teacher encoder (a <c>[TeacherEncoder]</c> name) whose first teacher of this stage's dataset the
        /// stage starts from instead of the experiment's encoder: its embeddings and the layers <see cref="TeacherLayers"/>
        /// (DistilBERT's start for a smaller student, which keeps every other layer). The experiment's encoder has the
        /// teacher's family, sizes and vocabulary but for its number of layers.</summary>
        public string FromTeacher { get; set; } = "";

        /// <summary>With <see cref="FromTeacher"/>: the teacher's layers (from 0) the student's take, one per student
        /// layer, in order.</summary>
        public int[] TeacherLayers { get; set; } = new int[0];

        /// <summary>The row of the report's table this stage's result fills (a row of the paper's tables).</summary>
        public string Row { get; set; } = "";

        /// <summary>The paper's exact match for this row and dataset, shown beside the measured one (NaN: none).</summary>
        public double PaperEm { get; set; } = double.NaN;

        /// <summary>The paper's F1 for this row and dataset (NaN: none).</summary>
        public double PaperF1 { get; set; } = double.NaN;

        /// <summary>The paper's accuracy in percent for this row and dataset (NaN: none).</summary>
        public double PaperAccuracy { get; set; } = double.NaN;
    }

    /// <summary>
    /// Evaluates the model (encoder and head) a finetuning stage trained on another dataset's dev set, as the paper's
    /// out-of-domain columns do (NewsQA* with the SQuAD 2.0 model). The dataset must be of the model's task kind.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class EvaluateAttribute : Attribute
    {
        public EvaluateAttribute(string target) => Target = target;

        /// <summary>The dataset property whose dev set is scored (use <c>nameof</c>).</summary>
        public string Target { get; }

        /// <summary>The finetuning stage whose model is scored (use <c>nameof</c>); it must be declared before.</summary>
        public string Model { get; set; } = "";

        /// <summary>The row of the report's table the result fills.</summary>
        public string Row { get; set; } = "";

        public double PaperEm { get; set; } = double.NaN;
        public double PaperF1 { get; set; } = double.NaN;
        public double PaperAccuracy { get; set; } = double.NaN;
    }
}
