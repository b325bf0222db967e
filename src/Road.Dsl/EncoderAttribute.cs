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
    public sealed class EncoderAttribute : Attribute
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

        public int EmbeddingSize { get; set; } = 128;
        public int HiddenSize { get; set; } = 256;
        public int Layers { get; set; } = 4;
        public int Heads { get; set; } = 4;
        public int IntermediateSize { get; set; } = 1024;
        public int MaxPositions { get; set; } = 512;

        /// <summary>Hidden and attention dropout.</summary>
        public double Dropout { get; set; } = 0.1;
    }
}
