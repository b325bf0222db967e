using System.Text.RegularExpressions;

namespace Road.Training;

/// <summary>
/// ELECTRA's layer-wise learning rate: depth 0 for the embeddings (and ALBERT's embedding mapping), i + 1 for encoder
/// layer i, n + 1 for a pooler, n + 2 for task heads; lr(depth) = lr * multiplier^(n + 2 - depth). ALBERT's layers
/// share one set of parameters, which gets depth n (they serve every layer, the top one included).
/// </summary>
public static partial class LayerwiseLearningRate
{
    public static int Depth(string name, int layers)
    {
        if (name.StartsWith("embeddings.", StringComparison.Ordinal) || name.StartsWith("embeddings_project.", StringComparison.Ordinal)
            || name.StartsWith("encoder.embedding_hidden_mapping_in.", StringComparison.Ordinal)) return 0;
        if (Layer().Match(name) is { Success: true } m) return int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1;
        if (name.StartsWith("encoder.albert_layer_groups.", StringComparison.Ordinal)) return layers;
        if (name.StartsWith("pooler", StringComparison.Ordinal)) return layers + 1;
        return layers + 2;
    }

    /// <summary>The factor on the base learning rate for a parameter.</summary>
    public static double Scale(string name, int layers, double multiplier) => Math.Pow(multiplier, layers + 2 - Depth(name, layers));

    [GeneratedRegex(@"^encoder\.layer\.(\d+)\.")]
    private static partial Regex Layer();
}
