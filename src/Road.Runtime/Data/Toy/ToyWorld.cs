namespace Road.Data.Toy;

/// <summary>
/// The small world the toy tasks talk about: people who each own one coloured thing. A context states a few such
/// facts ("mia has a red kite ."). The words are fixed, so the toy vocabulary is too; generation is deterministic
/// for a given seed, so the tiny experiment needs no download and every run sees the same data.
/// </summary>
public static class ToyWorld
{
    public static readonly string[] People =
    [
        "mia", "leo", "ava", "noah", "zoe", "liam", "ivy", "omar", "ruth", "sam",
    ];

    public static readonly string[] Colours = ["red", "blue", "green", "black", "white", "yellow", "pink", "brown"];

    public static readonly string[] Things = ["kite", "cup", "hat", "book", "ball", "lamp", "bike", "coat", "drum", "vase"];

    public static readonly string[] Glue = ["has", "a", "what", "does", "have", ".", "?"];

    /// <summary>The WordPiece vocabulary of the toy world, in BERT's vocab.txt layout (special tokens first).</summary>
    public static string Vocabulary() =>
        string.Join("\n", new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Concat(Glue).Concat(People).Concat(Colours).Concat(Things)) + "\n";

    /// <summary>The vocabulary name (<c>Vocabulary = "toy/pieces"</c>) that declares <see cref="PiecesVocabulary"/>.</summary>
    public const string PiecesName = "toy/pieces";

    /// <summary>A second WordPiece vocabulary of the toy world that cuts every word into pieces of two letters
    /// ("mi ##a", "ye ##ll ##ow"): token boundaries unlike <see cref="Vocabulary"/>'s, for teachers that read the toy
    /// data in another tokenization than their student.</summary>
    public static string PiecesVocabulary()
    {
        static IEnumerable<string> Pieces(string word) =>
            Enumerable.Range(0, (word.Length + 1) / 2).Select(i => (i == 0 ? "" : "##") + word.Substring(2 * i, Math.Min(2, word.Length - 2 * i)));
        var words = Glue.Concat(People).Concat(Colours).Concat(Things).SelectMany(Pieces).Distinct();
        return string.Join("\n", new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Concat(words)) + "\n";
    }

    public sealed record Fact(string Person, string Colour, string Thing)
    {
        public string Object => $"{Colour} {Thing}";
        public string Sentence => $"{Person} has a {Object} .";
    }

    /// <summary>Distinct people, each with a random coloured thing.</summary>
    public static List<Fact> Facts(Random random, int count) =>
        People.OrderBy(_ => random.Next()).Take(count)
            .Select(p => new Fact(p, Colours[random.Next(Colours.Length)], Things[random.Next(Things.Length)]))
            .ToList();

    /// <summary>A person absent from the given facts.</summary>
    public static string Stranger(Random random, IReadOnlyList<Fact> facts)
    {
        var absent = People.Where(p => facts.All(f => f.Person != p)).ToArray();
        return absent[random.Next(absent.Length)];
    }
}
