using System;

namespace Road
{
    /// <summary>Binds a dataset property to the machine reading comprehension head (span extraction, SQuAD 2.0 style).</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class MrcTaskAttribute : Attribute
    {
        public MrcTaskAttribute(DataFormat format, string train)
        {
            Format = format;
            Train = train;
        }

        public DataFormat Format { get; }

        /// <summary>The training file, relative to <c>ROAD_DATA</c> (or a toy task's name).</summary>
        public string Train { get; }

        /// <summary>The dev file the task is evaluated on.</summary>
        public string Dev { get; set; } = "";

        /// <summary>At most this many training examples (0: all).</summary>
        public int MaxTrainExamples { get; set; }

        public int MaxLength { get; set; } = 384;

        /// <summary>Context tokens two neighbouring windows share (HuggingFace's meaning of stride).</summary>
        public int Stride { get; set; } = 128;

        public int MaxQueryLength { get; set; } = 64;

        /// <summary>QuAC: a 3-way follow-up head (y/m/n) on [CLS].</summary>
        public bool FollowupHead { get; set; }

        /// <summary>QuAC: a 3-way yes/no head (y/n/x) on [CLS].</summary>
        public bool YesNoHead { get; set; }
    }

    /// <summary>Binds a dataset property to the sentiment head: one text, <see cref="Classes"/> ratings.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class SentimentTaskAttribute : Attribute
    {
        public SentimentTaskAttribute(DataFormat format, string train)
        {
            Format = format;
            Train = train;
        }

        public DataFormat Format { get; }
        public string Train { get; }
        public string Dev { get; set; } = "";
        public int MaxTrainExamples { get; set; }
        public int MaxLength { get; set; } = 256;
        public int Classes { get; set; } = 5;
    }

    /// <summary>Binds a dataset property to the two-way paraphrase identification head.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class ParaphraseTaskAttribute : Attribute
    {
        public ParaphraseTaskAttribute(DataFormat format, string train)
        {
            Format = format;
            Train = train;
        }

        public DataFormat Format { get; }
        public string Train { get; }
        public string Dev { get; set; } = "";
        public int MaxTrainExamples { get; set; }
        public int MaxLength { get; set; } = 128;
    }

    /// <summary>Binds a dataset property to the three-way natural language inference head.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class NliTaskAttribute : Attribute
    {
        public NliTaskAttribute(DataFormat format, string train)
        {
            Format = format;
            Train = train;
        }

        public DataFormat Format { get; }
        public string Train { get; }
        public string Dev { get; set; } = "";
        public int MaxTrainExamples { get; set; }
        public int MaxLength { get; set; } = 128;
    }
}
