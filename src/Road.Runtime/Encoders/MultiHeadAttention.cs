using static TorchSharp.torch;

namespace Road.Encoders;

/// <summary>Scaled dot-product attention over heads, shared by BERT-style and ALBERT attention blocks.</summary>
public static class MultiHeadAttention
{
    /// <param name="query">[batch, length, hidden] projections; likewise key and value</param>
    /// <param name="attendMask">bool [batch, 1, 1, length]</param>
    public static Tensor Attend(Tensor query, Tensor key, Tensor value, Tensor attendMask, int heads, double dropout)
    {
        using var scope = NewDisposeScope();
        long batch = query.shape[0], length = query.shape[1], width = query.shape[2];
        Tensor Split(Tensor x) => x.view(batch, length, heads, width / heads).transpose(1, 2);
        var context = nn.functional.scaled_dot_product_attention(Split(query), Split(key), Split(value), attendMask, dropout);
        return context.transpose(1, 2).reshape(batch, length, width).MoveToOuterDisposeScope();
    }
}
