using System;

namespace Road
{
    /// <summary>Trains teachers on this dataset (one per seed) whose outputs later stages distil from: of the experiment's
    /// encoder, or of a <c>[TeacherEncoder]</c> named by <see cref="Encoder"/> (one attribute per encoder; distilling stages
    /// read the experiment's encoder's teachers first, then the others in declaration order).</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
    public sealed class TeacherAttribute : Attribute
    {
        /// <summary>The <c>[TeacherEncoder]</c> the teachers are finetuned from; the experiment's encoder when empty.</summary>
        public string Encoder { get; set; } = "";

        /// <summary>How many teachers, each from its own seed (ensembles and weighted KD use several).</summary>
        public int Seeds { get; set; } = RoadDefaults.TeacherSeeds;
        public int Epochs { get; set; } = RoadDefaults.Epochs;
        public int BatchSize { get; set; } = RoadDefaults.BatchSize;
        public double LearningRate { get; set; } = RoadDefaults.LearningRate;

        /// <summary>ELECTRA's layer-wise learning-rate multiplier of the teachers' finetuning (1: none).</summary>
        public double LayerDecay { get; set; } = RoadDefaults.LayerDecay;

        /// <summary>A stage whose encoder the teachers are finetuned from (the paper's Table 5 teachers are ROaD-MTL
        /// models: <c>From = nameof(Mtl)</c>); the experiment's encoder when empty. They train right after that stage.</summary>
        public string From { get; set; } = "";
    }

    /// <summary>The KD loss (T, alpha) against one teacher of the stage's datasets.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class KnowledgeDistillationAttribute : Attribute
    {
        public double Temperature { get; set; } = RoadDefaults.Temperature;
        public double Alpha { get; set; } = RoadDefaults.Alpha;
    }

    /// <summary>The KD loss against the mean of several teachers' logits.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class TeacherEnsembleAttribute : Attribute
    {
        public int Teachers { get; set; } = RoadDefaults.EnsembleTeachers;
        public double Temperature { get; set; } = RoadDefaults.Temperature;
        public double Alpha { get; set; } = RoadDefaults.Alpha;
    }

    /// <summary>Weighted KD (the paper's Algorithm 2): wrong teachers weigh W, right ones make up the rest.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class WeightedKdAttribute : Attribute
    {
        /// <summary>The weight of a teacher that is wrong on an example, in (0, 1).</summary>
        public double W { get; set; } = RoadDefaults.W;
        public int Teachers { get; set; } = RoadDefaults.EnsembleTeachers;
        public double Temperature { get; set; } = RoadDefaults.Temperature;
        public double Alpha { get; set; } = RoadDefaults.Alpha;
    }

    /// <summary>Teacher annealing (Clark et al. 2019): the target moves from the teachers' mean to the gold label.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class TeacherAnnealingAttribute : Attribute
    {
        public int Teachers { get; set; } = RoadDefaults.AnnealingTeachers;
    }
}
