using System.Buffers.Binary;

namespace Practitioners.Web.Infrastructure.Pdf;

/// <summary>
/// Turns one face of a TrueType collection (.ttc) into a standalone .ttf in memory:
/// PDFsharp 6.2 cannot read collections (it fails with a NullReferenceException).
/// </summary>
public static class TrueTypeCollection
{
    private const uint TtcTag = 0x74746366;       // 'ttcf'
    private const uint HeadTag = 0x68656164;      // 'head'
    private const uint ChecksumMagic = 0xB1B0AFBA; // from the OpenType spec, for head.checkSumAdjustment

    private static readonly string[] RequiredTables = ["cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post"];

    /// <summary>Copies the tables of face <paramref name="faceIndex"/> into a new font file with its own table directory.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed TrueType collection.</exception>
    public static byte[] ExtractFace(ReadOnlySpan<byte> collection, int faceIndex = 0)
    {
        if (collection.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(collection) != TtcTag)
        {
            throw new InvalidDataException("Not a TrueType collection: the file does not start with 'ttcf'.");
        }

        var faceCount = ReadUInt32(collection, 8);
        if (faceIndex < 0 || faceIndex >= faceCount)
        {
            throw new InvalidDataException($"The TrueType collection has {faceCount} face(s); face {faceIndex} does not exist.");
        }

        var faceOffset = checked((int)ReadUInt32(collection, 12 + (4 * faceIndex)));
        var tableCount = ReadUInt16(collection, faceOffset + 4);
        var directoryLength = 12 + (16 * tableCount);
        if (tableCount == 0 || faceOffset + directoryLength > collection.Length)
        {
            throw new InvalidDataException($"Face {faceIndex} of the TrueType collection has a truncated table directory.");
        }

        var tables = new (uint Tag, int Offset, int Length)[tableCount];
        var size = directoryLength;
        for (var i = 0; i < tableCount; i++)
        {
            var record = faceOffset + 12 + (16 * i);
            var tag = ReadUInt32(collection, record);
            var offset = ReadUInt32(collection, record + 8);
            var length = ReadUInt32(collection, record + 12);
            if ((ulong)offset + length > (ulong)collection.Length)
            {
                throw new InvalidDataException($"Table '{TagName(tag)}' of face {faceIndex} lies outside the file.");
            }
            tables[i] = (tag, (int)offset, (int)length);
            size = checked(size + Padded((int)length));
        }

        var missing = RequiredTables.Where(name => !tables.Any(t => TagName(t.Tag) == name)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"Face {faceIndex} lacks the TrueType table(s) {string.Join(", ", missing)}.");
        }

        // The offset table (sfnt version, table count, search fields) and the records keep their
        // values; only each record's offset changes. Tables are 4-byte aligned and zero-padded,
        // which is what their checksums were computed over.
        var font = new byte[size];
        collection.Slice(faceOffset, directoryLength).CopyTo(font);
        var position = directoryLength;
        var headOffset = -1;
        for (var i = 0; i < tableCount; i++)
        {
            var (tag, offset, length) = tables[i];
            collection.Slice(offset, length).CopyTo(font.AsSpan(position));
            BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(12 + (16 * i) + 8), (uint)position);
            if (tag == HeadTag)
            {
                headOffset = position;
            }
            position += Padded(length);
        }

        // head.checkSumAdjustment covers the whole file, so it changes with the new layout.
        if (headOffset >= 0 && tables.First(t => t.Tag == HeadTag).Length >= 12)
        {
            BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(headOffset + 8), 0);
            BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(headOffset + 8), unchecked(ChecksumMagic - Checksum(font)));
        }
        return font;
    }

    /// <summary>The OpenType checksum: the sum of the data as big-endian 32-bit words, zero-padded.</summary>
    public static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var whole = data.Length & ~3;
        for (var i = 0; i < whole; i += 4)
        {
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(data[i..]));
        }
        if (whole < data.Length)
        {
            Span<byte> last = stackalloc byte[4];
            data[whole..].CopyTo(last);
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(last));
        }
        return sum;
    }

    private static int Padded(int length) => (length + 3) & ~3;

    private static uint ReadUInt32(ReadOnlySpan<byte> data, int offset) =>
        offset >= 0 && offset + 4 <= data.Length
            ? BinaryPrimitives.ReadUInt32BigEndian(data[offset..])
            : throw new InvalidDataException("The TrueType collection is truncated.");

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, int offset) =>
        offset >= 0 && offset + 2 <= data.Length
            ? BinaryPrimitives.ReadUInt16BigEndian(data[offset..])
            : throw new InvalidDataException("The TrueType collection is truncated.");

    private static string TagName(uint tag) =>
        string.Create(4, tag, (chars, t) =>
        {
            for (var i = 0; i < 4; i++)
            {
                chars[i] = (char)((t >> (24 - (8 * i))) & 0xFF);
            }
        });
}
