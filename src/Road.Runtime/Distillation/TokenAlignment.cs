namespace Road.Distillation;

/// <summary>A token of one tokenization placed in another: the target token (-1: none) and whether the boundary it
/// stands for is one of the target's own boundaries (<see cref="Exact"/>) or was moved to the nearest one.</summary>
public readonly record struct AlignedToken(int Token, bool Exact);

/// <summary>
/// Where the tokens of one tokenization of a text (a teacher's) land in another tokenization of the same text (the
/// student's), through their character offsets, for span starts and span ends separately. The rule (written by hand:
/// no served library maps span distributions between tokenizers):
/// <list type="bullet">
/// <item>a start at character <c>a</c> goes to the target token that starts at <c>a</c> (exact); else to the target
/// token that contains <c>a</c> (an answer starting inside it starts with it); else, in a gap between target tokens, to
/// the first target token after <c>a</c>; a start after every target token has no place;</item>
/// <item>an end at character <c>b</c> (exclusive) goes to the target token that ends at <c>b</c> (exact); else to the
/// target token that contains character <c>b - 1</c>; else to the last target token before <c>b</c>; an end before
/// every target token has no place.</item>
/// </list>
/// Empty target tokens (SentencePiece's lone "▁", offsets <c>[a, a)</c>) are never targets: gold answers never start or
/// end on them either. Offsets must be in text order, as tokenizers give them.
/// </summary>
public sealed class TokenAlignment
{
    private readonly AlignedToken[] _starts;
    private readonly AlignedToken[] _ends;

    private TokenAlignment(AlignedToken[] starts, AlignedToken[] ends) => (_starts, _ends) = (starts, ends);

    public int Count => _starts.Length;

    /// <summary>Where token <paramref name="token"/> of the source goes as the start of a span.</summary>
    public AlignedToken Start(int token) => _starts[token];

    /// <summary>Where token <paramref name="token"/> of the source goes as the end of a span.</summary>
    public AlignedToken End(int token) => _ends[token];

    public static TokenAlignment Between(IReadOnlyList<(int Start, int End)> source, IReadOnlyList<(int Start, int End)> target)
    {
        var tokens = Enumerable.Range(0, target.Count).Where(i => target[i].End > target[i].Start).ToArray();
        var starts = tokens.Select(i => target[i].Start).ToArray();
        var ends = tokens.Select(i => target[i].End).ToArray();
        var startPlaces = new AlignedToken[source.Count];
        var endPlaces = new AlignedToken[source.Count];
        for (int s = 0; s < source.Count; s++)
        {
            startPlaces[s] = PlaceStart(source[s].Start, tokens, starts, ends);
            endPlaces[s] = PlaceEnd(source[s].End, tokens, starts, ends);
        }
        return new TokenAlignment(startPlaces, endPlaces);
    }

    private static AlignedToken PlaceStart(int a, int[] tokens, int[] starts, int[] ends)
    {
        int k = LowerBound(starts, a); // the first target token starting at or after a
        if (k < tokens.Length && starts[k] == a) return new AlignedToken(tokens[k], true);
        if (k > 0 && ends[k - 1] > a) return new AlignedToken(tokens[k - 1], false);
        return k < tokens.Length ? new AlignedToken(tokens[k], false) : new AlignedToken(-1, false);
    }

    private static AlignedToken PlaceEnd(int b, int[] tokens, int[] starts, int[] ends)
    {
        int k = LowerBound(ends, b); // the first target token ending at or after b
        if (k < tokens.Length && ends[k] == b) return new AlignedToken(tokens[k], true);
        if (k < tokens.Length && starts[k] < b) return new AlignedToken(tokens[k], false);
        return k > 0 ? new AlignedToken(tokens[k - 1], false) : new AlignedToken(-1, false);
    }

    private static int LowerBound(int[] sorted, int value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (sorted[middle] < value) low = middle + 1;
            else high = middle;
        }
        return low;
    }
}
