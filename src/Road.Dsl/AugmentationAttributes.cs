using System;

namespace Road
{
    /// <summary>
    /// Negative-question augmentation for an MRC dataset: for <see cref="Ratio"/> of its answerable training questions,
    /// an unanswerable copy is added, paired with another paragraph that does not contain the answer.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class NegativeQuestionsAttribute : Attribute
    {
        /// <summary>The fraction of answerable training questions that get an unanswerable copy, in (0, 1].</summary>
        public double Ratio { get; set; } = RoadDefaults.NegativeQuestionRatio;
    }

    /// <summary>Label smoothing for a stage's cross-entropy losses: the gold class keeps 1 - Epsilon of the mass.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class LabelSmoothingAttribute : Attribute
    {
        /// <summary>The probability mass spread evenly over all classes, in [0, 1).</summary>
        public double Epsilon { get; set; } = RoadDefaults.LabelSmoothing;
    }
}
