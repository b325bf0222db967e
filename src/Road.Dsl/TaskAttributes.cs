using System;

namespace Road
{
    /// <summary>What every task attribute declares: the data format, the training file, the dev file and a size limit.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public abstract class TaskAttribute : Attribute
    {
        protected TaskAttribute(DataFormat format, string train, int maxLength)
        {
            Format = format;
            Train = train;
            MaxLength = maxLength;
        }

        public DataFormat Format { get; }

        /// <summary>The training file, relative to <c>ROAD_DATA</c> (or a toy task's name); empty for a dataset that is
        /// only evaluated on (<c>[Evaluate]</c>).</summary>
        public string Train { get; }

        /// <summary>The dataset's name in the report's tables (the paper's column heading); the property name when empty.
        /// Datasets with one label share a column (SQuAD 2.0 with and without augmentation, say).</summary>
        public string Label { get; set; } = "";

        /// <summary>The dev file the task is evaluated on.</summary>
        public string Dev { get; set; } = "";

        /// <summary>At most this many training examples (0: all).</summary>
        public int MaxTrainExamples { get; set; }

        /// <summary>Tokens per input sequence.</summary>
        public int MaxLength { get; set; }
    }

    /// <summary>Binds a dataset property to the machine reading comprehension head (span extraction, SQuAD 2.0 style).</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class MrcTaskAttribute : TaskAttribute
    {
        public MrcTaskAttribute(DataFormat format, string train) : base(format, train, maxLength: RoadDefaults.MrcMaxLength) { }

        /// <summary>Context tokens two neighbouring windows share (HuggingFace's meaning of stride).</summary>
        public int Stride { get; set; } = RoadDefaults.Stride;

        public int MaxQueryLength { get; set; } = RoadDefaults.MaxQueryLength;

        /// <summary>QuAC: a 3-way follow-up head (y/m/n) on [CLS].</summary>
        public bool FollowupHead { get; set; }

        /// <summary>QuAC: a 3-way yes/no head (y/n/x) on [CLS].</summary>
        public bool YesNoHead { get; set; }

        /// <summary>SQuAD and QuAC files: the articles (elements of <c>data[]</c>, from 0) to train on, "a-b", "a-" or "a"; all when empty.</summary>
        public string TrainArticles { get; set; } = "";

        /// <summary>SQuAD and QuAC files: the articles to evaluate on, so that one file can give held-out articles.</summary>
        public string DevArticles { get; set; } = "";
    }

    /// <summary>Binds a dataset property to the sentiment head: one text, <see cref="Classes"/> ratings.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class SentimentTaskAttribute : TaskAttribute
    {
        public SentimentTaskAttribute(DataFormat format, string train) : base(format, train, maxLength: RoadDefaults.SentimentMaxLength) { }

        public int Classes { get; set; } = RoadDefaults.SentimentClasses;
    }

    /// <summary>Binds a dataset property to the two-way paraphrase identification head.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class ParaphraseTaskAttribute : TaskAttribute
    {
        public ParaphraseTaskAttribute(DataFormat format, string train) : base(format, train, maxLength: RoadDefaults.ParaphraseMaxLength) { }
    }

    /// <summary>Binds a dataset property to the three-way natural language inference head.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class NliTaskAttribute : TaskAttribute
    {
        public NliTaskAttribute(DataFormat format, string train) : base(format, train, maxLength: RoadDefaults.NliMaxLength) { }
    }
}
