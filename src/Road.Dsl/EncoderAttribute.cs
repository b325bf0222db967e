using System;

namespace Road
{
    /// <summary>
    /// The encoder every task of the experiment shares: a HuggingFace checkpoint folder (under <c>ROAD_MODELS</c>), or,
    /// without <see cref="Checkpoint"/>, a fresh encoder of the given size initialised from the experiment's seed, which
    /// reads text with the tokenizer <see cref="Vocabulary"/> names (the toy vocabulary when it names none, for toy
    /// data only).
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public class EncoderAttribute : Attribute
    {
        public EncoderAttribute(EncoderFamily family) => Family = family;

        public EncoderFamily Family { get; }

        /// <summary>A checkpoint folder with config.json and model.safetensors; empty for a fresh encoder.</summary>
        public string Checkpoint { get; set; } = "";

        /// <summary>
        /// The tokenizer: a <c>vocab.txt</c> (WordPiece), a <c>spiece.model</c> (SentencePiece) or a checkpoint folder whose
        /// tokenizer is borrowed, under <c>ROAD_MODELS</c> when relative. Empty: the checkpoint's own tokenizer, or the toy
        /// vocabulary for an encoder without a checkpoint.
        /// </summary>
        public string Vocabulary { get; set; } = "";

        public int EmbeddingSize { get; set; } = RoadDefaults.EmbeddingSize;
        public int HiddenSize { get; set; } = RoadDefaults.HiddenSize;
        public int Layers { get; set; } = RoadDefaults.Layers;
        public int Heads { get; set; } = RoadDefaults.Heads;
        public int IntermediateSize { get; set; } = RoadDefaults.IntermediateSize;
        public int MaxPositions { get; set; } = RoadDefaults.MaxPositions;

        /// <summary>Hidden and attention dropout.</summary>
        public double Dropout { get; set; } = RoadDefaults.Dropout;
    }

    /// <summary>
    /// An encoder teachers are finetuned from instead of the experiment's: another family, size, checkpoint or tokenizer
    /// (<c>Vocabulary = "toy/pieces"</c> cuts the toy data into two-letter pieces). <c>[Teacher(Encoder = "name")]</c> on a
    /// dataset trains teachers of it; a student reads their outputs, mapped onto its own tokens for MRC.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class TeacherEncoderAttribute : EncoderAttribute
    {
        public TeacherEncoderAttribute(string name, EncoderFamily family) : base(family) => Name = name;

        /// <summary>What <c>[Teacher(Encoder = ...)]</c> calls it: letters, digits and underscores.</summary>
        public string Name { get; }

        /// <summary>With <see cref="Stage"/>: the teachers start from the encoder that stage of this experiment's newest
        /// completed run trained (a ROaD-MTL model of road-electra-large, say) instead of a checkpoint.</summary>
        public string Experiment { get; set; } = "";

        /// <summary>The stage of <see cref="Experiment"/> whose encoder the teachers start from.</summary>
        public string Stage { get; set; } = "";
    }
}
