namespace Road.Examples.Paper;

/// <summary>
/// Where the paper's datasets are under <c>ROAD_DATA</c>: <c>&lt;dataset&gt;/&lt;file&gt;</c> as <c>./build.sh FetchData
/// --dataset &lt;dataset&gt;</c> writes them (Road.Runtime/Datasets/datasets.json), so Preflight can name the command
/// that fetches a missing file.
/// </summary>
internal static class PaperData
{
    public const string Squad2Train = "squad2/train-v2.0.json";
    public const string Squad2Dev = "squad2/dev-v2.0.json";
    public const string NewsQaTrain = "newsqa/train.jsonl.gz";
    public const string NewsQaDev = "newsqa/dev.jsonl.gz";
    public const string TriviaQaTrain = "triviaqa/train.jsonl.gz";
    public const string TriviaQaDev = "triviaqa/dev.jsonl.gz";
    public const string NaturalQuestionsTrain = "naturalquestions/train.jsonl.gz";
    public const string NaturalQuestionsDev = "naturalquestions/dev.jsonl.gz";
    public const string QuacTrain = "quac/train_v0.2.json";
    public const string QuacDev = "quac/val_v0.2.json";
    public const string QaSrlTrain = "qasrl/train.jsonl.gz";
    public const string QaSrlDev = "qasrl/dev.jsonl.gz";
    public const string QaZreTrain = "qazre/train.0";
    public const string QaZreDev = "qazre/dev.0";
    public const string MnliTrain = "mnli/train.parquet";
    public const string MnliDevMatched = "mnli/validation_matched.parquet";
    public const string SnliTrain = "snli/snli_1.0_train.jsonl";
    public const string SnliDev = "snli/snli_1.0_dev.jsonl";
    public const string AmazonReviews = "amazon/Video_Games_5.json.gz";
    public const string QqpTrain = "qqp/train.parquet";
    public const string QqpDev = "qqp/validation.parquet";
}

/// <summary>The paper's pretrained encoders, by Hub repository (<c>./build.sh FetchCheckpoint --repo ...</c>).</summary>
internal static class PaperCheckpoints
{
    public const string ElectraLarge = "google/electra-large-discriminator";
    public const string ElectraBase = "google/electra-base-discriminator";
    public const string BertLarge = "google-bert/bert-large-uncased";
    public const string AlbertXLarge = "albert/albert-xlarge-v2";
}

/// <summary>
/// The paper's finetuning settings (Table 8): 3 epochs, batch 32, lr 5e-5, warmup 10%, Adam eps 1e-6, clipping 1.0
/// are the DSL's defaults; the layer-wise learning-rate multiplier of finetuning is 0.9.
/// </summary>
internal static class PaperSettings
{
    public const double FinetuneLayerDecay = 0.9;
}
