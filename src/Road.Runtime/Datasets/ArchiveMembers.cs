using System.Formats.Tar;
using System.IO.Compression;
using ICSharpCode.SharpZipLib.BZip2;

namespace Road.Datasets;

/// <summary>
/// Takes the named members out of a zip, tar or tar.bz2 archive, each written to a temporary name and renamed, so a
/// killed unpack never leaves a half file under an output's name. A member the archive lacks is an error naming it.
/// </summary>
public static class ArchiveMembers
{
    /// <param name="members">name inside the archive -> output path.</param>
    public static void Extract(string kind, string archive, IReadOnlyDictionary<string, string> members)
    {
        var missing = new HashSet<string>(members.Keys, StringComparer.Ordinal);
        var seen = new List<string>();
        try
        {
            Read(kind, archive, members, missing, seen);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ICSharpCode.SharpZipLib.SharpZipBaseException)
        {
            throw new RoadException($"{archive}: not a readable {kind} archive ({e.Message}); delete it and fetch again.");
        }
        if (missing.Count > 0)
            throw new RoadException($"{archive}: the archive has no {string.Join(", ", missing.Order(StringComparer.Ordinal))}; it holds {string.Join(", ", seen.Take(12))}{(seen.Count > 12 ? ", ..." : "")}. The source has changed: update the dataset manifest.");
    }

    private static void Read(string kind, string archive, IReadOnlyDictionary<string, string> members, HashSet<string> missing, List<string> seen)
    {
        if (kind == "zip")
        {
            using var zip = ZipFile.OpenRead(archive);
            foreach (var entry in zip.Entries)
            {
                seen.Add(entry.FullName);
                if (!members.TryGetValue(entry.FullName, out string? output)) continue;
                using (var data = entry.Open()) Write(data, output);
                missing.Remove(entry.FullName);
            }
        }
        else
        {
            using var file = File.OpenRead(archive);
            using var stream = kind == "tar.bz2" ? new BZip2InputStream(file) : (Stream)file;
            using var tar = new TarReader(stream);
            for (TarEntry? entry; (entry = tar.GetNextEntry()) is not null;)
            {
                string name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                seen.Add(name);
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !members.TryGetValue(name, out string? output)) continue;
                Write(entry.DataStream ?? Stream.Null, output);
                missing.Remove(name);
            }
        }
    }

    private static void Write(Stream data, string output) =>
        AtomicFile.Write(output, temp =>
        {
            using var target = File.Create(temp);
            data.CopyTo(target);
        });
}
