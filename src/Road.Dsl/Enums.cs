namespace Road
{
    /// <summary>The encoder architectures Road implements.</summary>
    public enum EncoderFamily
    {
        Electra,
        Bert,
        Albert,
    }

    /// <summary>The file format a dataset is read in. <see cref="Toy"/> names a task Road generates itself.</summary>
    public enum DataFormat
    {
        Toy,
        Squad2,
        Mrqa,
        NewsQa,
        Quac,
        QaSrl,
        QaSrlV1,
        QaZre,
        MultiNli,
        GlueMnli,
        Snli,
        AmazonReviews,
        GlueQqp,
        Parquet,
    }
}
