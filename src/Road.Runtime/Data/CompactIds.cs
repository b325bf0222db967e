namespace Road.Data;

/// <summary>
/// The token ids of one sequence, unpadded, in the smallest integer type the vocabulary fits: two bytes for up to
/// 65,536 ids (BERT, ELECTRA, ALBERT), four beyond. Batches pad to their own longest sequence.
/// </summary>
public readonly struct CompactIds
{
    private readonly ushort[]? _narrow;
    private readonly int[]? _wide;

    private CompactIds(ushort[]? narrow, int[]? wide) => (_narrow, _wide) = (narrow, wide);

    public int Length => _narrow?.Length ?? _wide?.Length ?? 0;

    /// <summary>Bytes per id: 2 or 4.</summary>
    public int Width => _wide is null ? 2 : 4;

    public int this[int index] => _narrow is not null ? _narrow[index] : _wide![index];

    private static bool FitsNarrow(int vocabularySize) => vocabularySize <= ushort.MaxValue + 1;

    public static CompactIds From(ReadOnlySpan<int> ids, int vocabularySize)
    {
        if (!FitsNarrow(vocabularySize)) return new CompactIds(null, ids.ToArray());
        var narrow = new ushort[ids.Length];
        for (int i = 0; i < ids.Length; i++) narrow[i] = checked((ushort)ids[i]);
        return new CompactIds(narrow, null);
    }

    public int[] ToArray()
    {
        var ids = new int[Length];
        for (int i = 0; i < ids.Length; i++) ids[i] = this[i];
        return ids;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write((byte)Width);
        writer.Write(Length);
        if (_narrow is not null) foreach (ushort id in _narrow) writer.Write(id);
        else foreach (int id in _wide!) writer.Write(id);
    }

    public static CompactIds Read(BinaryReader reader)
    {
        int width = reader.ReadByte(), length = reader.ReadInt32();
        if (width == 2)
        {
            var narrow = new ushort[length];
            for (int i = 0; i < length; i++) narrow[i] = reader.ReadUInt16();
            return new CompactIds(narrow, null);
        }
        if (width != 4) throw new InvalidDataException($"token id width {width}");
        var wide = new int[length];
        for (int i = 0; i < length; i++) wide[i] = reader.ReadInt32();
        return new CompactIds(null, wide);
    }
}
