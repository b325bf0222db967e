using System;

namespace Road
{
    /// <summary>How multi-task pretraining composes its updates.</summary>
    public enum MultiTaskMode
    {
        /// <summary>ROaD (Algorithm 1): every update averages the gradients of several passes, each on a sampled dataset; one head per task type.</summary>
        Road,
        /// <summary>MT-DNN: one dataset per update and one head per dataset.</summary>
        MtDnn,
    }

    /// <summary>How each pass picks its dataset.</summary>
    public enum TaskSampling
    {
        Proportional,
        Uniform,
        Temperature,
    }

    /// <summary>Multi-task learning as a second pretraining step on every dataset of the experiment (defaults: Table 8).</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class MultiTaskPretrainingAttribute : Attribute
    {
        public MultiTaskMode Mode { get; set; } = MultiTaskMode.Road;
        public TaskSampling Sampling { get; set; } = TaskSampling.Proportional;
        public double SamplingTemperature { get; set; } = RoadDefaults.SamplingTemperature;
        public int Steps { get; set; } = RoadDefaults.MultiTaskSteps;
        public int BatchSize { get; set; } = RoadDefaults.MultiTaskBatchSize;
        public int ExamplesPerPass { get; set; } = RoadDefaults.ExamplesPerPass;
        public double LearningRate { get; set; } = RoadDefaults.MultiTaskLearningRate;
        public double LayerDecay { get; set; } = RoadDefaults.MultiTaskLayerDecay;

        /// <summary>A stage whose encoder this one starts from; the experiment's encoder when empty.</summary>
        public string From { get; set; } = "";

        /// <summary>The datasets it trains on (use <c>nameof</c>; naming a <c>[ExperimentBase]</c> class the experiment derives
        /// from names all of its datasets); every dataset of the experiment when empty.</summary>
        public string[] Datasets { get; set; } = new string[0];
    }
}
