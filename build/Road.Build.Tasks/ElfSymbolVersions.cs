using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Road.Build.Tasks
{
    /// <summary>A symbol version that an ELF shared library requires from one of its dependencies.</summary>
    public sealed class VersionNeed
    {
        public VersionNeed(string file, string version, ushort flags, long flagsOffset)
        {
            File = file;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        /// <summary>The dependency's soname, e.g. <c>libstdc++.so.6</c>.</summary>
        public string File { get; }

        /// <summary>The version name, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
        public string Version { get; }

        /// <summary>The <c>vna_flags</c> field; <see cref="ElfSymbolVersions.WeakFlag"/> makes the loader only warn.</summary>
        public ushort Flags { get; }

        /// <summary>Where <c>vna_flags</c> lives in the file.</summary>
        public long FlagsOffset { get; }

        public bool IsWeak => (Flags & ElfSymbolVersions.WeakFlag) != 0;
    }

    /// <summary>
    /// Reads the GNU symbol-versioning sections of 64-bit little-endian ELF files: the versions a library defines
    /// (<c>.gnu.version_d</c>) and the versions it needs (<c>.gnu.version_r</c>). Written by hand because no served
    /// .NET package reads ELF version sections; only the few fields the build needs are decoded.
    /// </summary>
    public static class ElfSymbolVersions
    {
        public const ushort WeakFlag = 0x2;
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>The version names a library defines (what it offers to others).</summary>
        public static IReadOnlyCollection<string> ReadDefinedVersions(string path)
        {
            var image = ElfImage.Read(path);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var section in image.Sections)
            {
                if (section.Type != ShtGnuVerdef) continue;
                var strings = image.Sections[(int)section.Link];
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    ushort count = image.U16(entry + 6);
                    uint aux = image.U32(entry + 12);
                    uint next = image.U32(entry + 16);
                    long auxEntry = entry + aux;
                    for (ushort j = 0; j < count; j++)
                    {
                        names.Add(image.String(strings, image.U32(auxEntry)));
                        auxEntry += image.U32(auxEntry + 4);
                    }
                    if (next == 0) break;
                    entry += next;
                }
            }
            return names;
        }

        /// <summary>The versions a library needs from its dependencies.</summary>
        public static IReadOnlyList<VersionNeed> ReadVersionNeeds(string path)
        {
            var image = ElfImage.Read(path);
            var needs = new List<VersionNeed>();
            foreach (var section in image.Sections)
            {
                if (section.Type != ShtGnuVerneed) continue;
                var strings = image.Sections[(int)section.Link];
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    ushort count = image.U16(entry + 2);
                    string file = image.String(strings, image.U32(entry + 4));
                    uint aux = image.U32(entry + 8);
                    uint next = image.U32(entry + 12);
                    long auxEntry = entry + aux;
                    for (ushort j = 0; j < count; j++)
                    {
                        ushort flags = image.U16(auxEntry + 4);
                        string name = image.String(strings, image.U32(auxEntry + 8));
                        needs.Add(new VersionNeed(file, name, flags, auxEntry + 4));
                        uint auxNext = image.U32(auxEntry + 12);
                        if (auxNext == 0) break;
                        auxEntry += auxNext;
                    }
                    if (next == 0) break;
                    entry += next;
                }
            }
            return needs;
        }

        /// <summary>Sets <c>VER_FLG_WEAK</c> on one needed version, in place. Changes exactly one 16-bit field.</summary>
        public static void MarkWeak(string path, VersionNeed need)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
            {
                stream.Position = need.FlagsOffset;
                ushort flags = (ushort)(need.Flags | WeakFlag);
                stream.WriteByte((byte)(flags & 0xff));
                stream.WriteByte((byte)(flags >> 8));
            }
        }

        private sealed class Section
        {
            public uint Type;
            public long Offset;
            public long Size;
            public uint Link;
            public uint Info;
        }

        private sealed class ElfImage
        {
            private readonly byte[] _bytes;
            private readonly string _path;

            private ElfImage(string path, byte[] bytes)
            {
                _path = path;
                _bytes = bytes;
            }

            public List<Section> Sections { get; } = new List<Section>();

            public static ElfImage Read(string path)
            {
                var image = new ElfImage(path, File.ReadAllBytes(path));
                var b = image._bytes;
                if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
                    throw new InvalidDataException($"{path}: not an ELF file.");
                if (b[4] != 2 || b[5] != 1)
                    throw new InvalidDataException($"{path}: only 64-bit little-endian ELF files are supported.");
                long shoff = (long)image.U64(0x28);
                ushort shentsize = image.U16(0x3A);
                ushort shnum = image.U16(0x3C);
                for (int i = 0; i < shnum; i++)
                {
                    long h = shoff + (long)i * shentsize;
                    image.Sections.Add(new Section
                    {
                        Type = image.U32(h + 4),
                        Offset = (long)image.U64(h + 0x18),
                        Size = (long)image.U64(h + 0x20),
                        Link = image.U32(h + 0x28),
                        Info = image.U32(h + 0x2C),
                    });
                }
                return image;
            }

            public ushort U16(long at) { Check(at, 2); return (ushort)(_bytes[at] | _bytes[at + 1] << 8); }

            public uint U32(long at) { Check(at, 4); return BitConverter.ToUInt32(_bytes, (int)at); }

            public ulong U64(long at) { Check(at, 8); return BitConverter.ToUInt64(_bytes, (int)at); }

            public string String(Section table, uint offset)
            {
                long start = table.Offset + offset;
                long end = start;
                while (end < _bytes.Length && _bytes[end] != 0) end++;
                Check(start, (int)(end - start));
                return Encoding.ASCII.GetString(_bytes, (int)start, (int)(end - start));
            }

            private void Check(long at, int length)
            {
                if (at < 0 || at + length > _bytes.Length)
                    throw new InvalidDataException($"{_path}: ELF structure points outside the file (offset {at}).");
            }
        }
    }
}
