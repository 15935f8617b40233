package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;

import java.util.Arrays;

/**
 * The vector clock wire format, layout version 3 (docs/vector-clocks.md has it byte by byte):
 *
 * <pre>
 * byte 0        format byte: 0x3K, K = 1 counters, 2 HLC_MILLIS, 3 HLC_MICROS
 * byte 1        layout: bits 0-1 id width code, bits 2-3 value width code (code c = 2^c bytes: 1, 2, 4, 8),
 *               bit 4 set iff some entry has the flag bit (pruned or retired), bits 5-7 zero
 * bytes 2..     entry count n: unsigned LEB128, minimal, 1-3 bytes, at most NodeRegistry.MAX_NODES
 * ids block     n node ids of id width each, little-endian unsigned, strictly ascending, below 2^63
 * values block  n values of value width each, little-endian, in the order of the ids: the top bit is the
 *               flag, the other bits the entry: without the flag the exact entry (1..kind max), with it a
 *               pruned lower bound (1..kind max) or, as 0, a retired marker (exactly the node's final entry,
 *               NodeRegistry.retire)
 * </pre>
 *
 * Widths are the smallest that hold the largest id and the largest entry (with its flag bit free), so the
 * encoding is canonical: equal histories encode to identical bytes, and validation refuses anything else.
 * Fixed widths make every field's position a multiplication: the whole body is bounds-checked once
 * ({@code count * (idWidth + valueWidth) == remaining}). Ids and values in separate blocks make the ids of
 * two clocks over the same nodes one byte range each: comparing, decoding and encoding check or copy them in
 * bulk (against {@link NodeRegistry.IdBlock}) and work on the values alone.
 *
 * <p>Everything here is static and stateless: validation is a pure function of the bytes (it writes no
 * scratch state anywhere), so a rejected message can change nothing.
 */
final class WireFormat
{
    /** Layout version in the high nibble of the format byte. */
    static final int VERSION = 3;
    /** Bytes before the count: format byte and layout byte. */
    static final int FIXED_HEADER = 2;
    /** Longest entry count varint: 3 bytes hold {@link NodeRegistry#MAX_NODES}. */
    static final int MAX_COUNT_BYTES = 3;
    static final int PRUNED_PRESENT = 0x10;
    private static final int RESERVED_LAYOUT_BITS = 0xE0;

    private static final EntryKind[] KINDS = EntryKind.values();

    private WireFormat()
    {
    }

    // Packed result of validate(): count | layout << 24 | format << 32 | headerLength << 40.
    static int count(final long info)
    {
        return (int)(info & 0xFF_FFFF);
    }

    static int layout(final long info)
    {
        return (int)((info >>> 24) & 0xFF);
    }

    static int formatByte(final long info)
    {
        return (int)((info >>> 32) & 0xFF);
    }

    static int headerLength(final long info)
    {
        return (int)((info >>> 40) & 0xFF);
    }

    static int idWidth(final int layout)
    {
        return 1 << (layout & 3);
    }

    static int valueWidth(final int layout)
    {
        return 1 << ((layout >>> 2) & 3);
    }

    static int formatByteOf(final EntryKind kind)
    {
        return (VERSION << 4) | (kind.ordinal() + 1);
    }

    static EntryKind kindOf(final int formatByte)
    {
        if ((formatByte >>> 4) != VERSION)
        {
            return null;
        }
        final int k = formatByte & 0x0F;
        return k >= 1 && k <= KINDS.length ? KINDS[k - 1] : null;
    }

    /** @return the smallest id width code (0..3) whose width holds {@code maxId} (or every id or-ed). */
    static int idWidthCode(final long maxId)
    {
        return maxId < (1L << 8) ? 0 : maxId < (1L << 16) ? 1 : maxId < (1L << 32) ? 2 : 3;
    }

    /** @return the smallest value width code whose width holds {@code maxValue} below its top (flag) bit. */
    static int valueWidthCode(final long maxValue)
    {
        return maxValue < (1L << 7) ? 0 : maxValue < (1L << 15) ? 1 : maxValue < (1L << 31) ? 2 : 3;
    }

    static int countLength(final int count)
    {
        return count < (1 << 7) ? 1 : count < (1 << 14) ? 2 : 3;
    }

    /** @return encoded length for a clock of {@code count} entries whose ids or to {@code idBits}. */
    static int encodedLength(final int count, final long idBits, final long valueBits)
    {
        if (count == 0)
        {
            return FIXED_HEADER + 1;
        }
        final int stride = (1 << idWidthCode(idBits)) + (1 << valueWidthCode(valueBits));
        return FIXED_HEADER + countLength(count) + count * stride;
    }

    static int layoutOf(final int count, final long idBits, final long valueBits, final boolean anyPruned)
    {
        if (count == 0)
        {
            return 0;
        }
        return idWidthCode(idBits) | (valueWidthCode(valueBits) << 2) | (anyPruned ? PRUNED_PRESENT : 0);
    }

    /** Writes format byte, layout byte and count. @return the header length. */
    static int writeHeader(
        final WireBytes out, final int offset, final EntryKind kind, final int layout, final int count)
    {
        out.putByte(offset, formatByteOf(kind));
        out.putByte(offset + 1, layout);
        int p = offset + FIXED_HEADER;
        int c = count;
        while (c >= 0x80)
        {
            out.putByte(p++, (c & 0x7F) | 0x80);
            c >>>= 7;
        }
        out.putByte(p++, c);
        return p - offset;
    }

    /**
     * Validates an encoding completely, writing nothing anywhere.
     *
     * @param in       the bytes.
     * @param exact    true: the encoding is exactly {@code length} bytes; false: it starts at {@code offset}
     *                 and ends within {@code length} bytes (a prefix of a larger message).
     * @param expected the kind the caller needs, or null for any.
     * @param members  when not null, every node id must be registered there.
     * @param finals   with {@code members}: the registry's final values; every retired marker must name a
     *                 node retired there.
     * @return packed header information (see {@link #count(long)} and friends); the encoding's length is
     * {@code headerLength + count * stride}.
     * @throws MalformedClockException naming what is wrong and where.
     */
    static long validate(
        final WireBytes in, final int offset, final int length, final boolean exact, final EntryKind expected,
        final NodeRegistry.Members members, final long[] finals)
    {
        if (offset < 0 || length < 0 || (long)offset + length > in.capacity())
        {
            throw outOfBounds(in.capacity(), offset, length);
        }
        if (length == 0)
        {
            throw new MalformedClockException("empty input: a vector clock needs at least its format byte", offset);
        }
        final int format = in.u8(offset);
        final EntryKind kind = kindOf(format);
        if (kind == null || (expected != null && kind != expected))
        {
            throw badFormat(format, kind, expected, offset);
        }
        final int limit = offset + length;
        if (limit - offset < FIXED_HEADER)
        {
            throw new MalformedClockException("truncated header: input ends before the layout byte", limit);
        }
        final int layout = in.u8(offset + 1);
        if ((layout & RESERVED_LAYOUT_BITS) != 0)
        {
            throw new MalformedClockException(
                "layout byte 0x" + hex(layout) + " sets reserved bits 5-7 (a later layout version?)", offset + 1);
        }
        // Entry count: at most three varint bytes, so it is never negative and never above 2^21 - 1.
        int p = offset + FIXED_HEADER;
        int count = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (p >= limit)
            {
                throw new MalformedClockException(
                    "truncated entry count: input ends inside the varint started at offset " + (offset + 2), p);
            }
            final int b = in.u8(p++);
            count |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (b == 0 && shift != 0)
                {
                    throw new MalformedClockException(
                        "overlong entry count varint: final byte 0x00 where fewer bytes suffice", offset + 2);
                }
                break;
            }
            if (shift == 7 * (MAX_COUNT_BYTES - 1))
            {
                throw new MalformedClockException(
                    "entry count varint longer than " + MAX_COUNT_BYTES + " bytes (counts stop at " +
                    NodeRegistry.MAX_NODES + ")", offset + 2);
            }
        }
        if (count > NodeRegistry.MAX_NODES || (members != null && count > members.size))
        {
            throw new MalformedClockException(
                "entry count " + count + " exceeds the " +
                (members != null && count <= NodeRegistry.MAX_NODES ?
                 members.size + " registered nodes" : NodeRegistry.MAX_NODES + " nodes a registry can hold"),
                offset + 2);
        }
        final int headerLength = p - offset;
        final int idWidth = idWidth(layout);
        final int valueWidth = valueWidth(layout);
        final int stride = idWidth + valueWidth;
        final long bodyLength = (long)count * stride;
        final int remaining = limit - p;
        if (exact ? bodyLength != remaining : bodyLength > remaining)
        {
            throw countMismatch(count, stride, remaining, offset + 2, p);
        }
        if (count == 0 && layout != 0)
        {
            throw new MalformedClockException(
                "layout byte 0x" + hex(layout) + " on a clock without entries (must be 0x00)", offset + 1);
        }
        // Every entry lies inside [offset, limit): the loop reads without further bounds checks. Entry e's id
        // is at idsAt + e * idWidth, its value at valuesAt + e * valueWidth.
        final int idsAt = p;
        final int valuesAt = p + count * idWidth;
        final long maxValue = kind.maxValue();
        final int flagShift = valueWidth * 8 - 1;
        final long valueMask = valueWidth == 8 ? Long.MAX_VALUE : (1L << flagShift) - 1;
        final boolean walk = members != null && members.size <= 4 * count + 8;
        final NodeRegistry.Sorted sorted = walk ? members.sorted() : null;
        final long[] sortedIds = walk ? sorted.ids : null;
        final byte[] array = in.array;
        final int base = in.base;
        int k = 0;
        long previousId = -1;
        long rawBits = 0;
        for (int e = 0; e < count; e++)
        {
            final int idAt = idsAt + e * idWidth;
            final int valueAt = valuesAt + e * valueWidth;
            final long id = array != null ? WireBytes.get(array, base + idAt, idWidth) : in.read(idAt, idWidth);
            final long raw =
                array != null ? WireBytes.get(array, base + valueAt, valueWidth) : in.read(valueAt, valueWidth);
            final long value = raw & valueMask;
            final long flag = raw >>> flagShift;
            // One unsigned comparison each: id > previousId >= -1 (and below 2^63); without the flag
            // 1 <= value <= maxValue, with it 0 <= value <= maxValue (0: a retired marker).
            if (id <= previousId || Long.compareUnsigned(value - 1 + flag, maxValue + flag) >= 0)
            {
                throw badEntry(id, previousId, value, kind, e, idAt, valueAt);
            }
            rawBits |= raw;
            if (walk)
            {
                while (k < sortedIds.length && sortedIds[k] < id)
                {
                    k++;
                }
                if (k == sortedIds.length || sortedIds[k] != id)
                {
                    throw unknownId(id, e, idAt);
                }
                if (value == 0 && finals != null && !isRetired(finals, sorted.indices[k]))
                {
                    throw notRetired(id, e, idAt);
                }
                k++;
            }
            else if (members != null)
            {
                final int index = members.indexOf(id);
                if (index == NodeRegistry.UNKNOWN)
                {
                    throw unknownId(id, e, idAt);
                }
                if (value == 0 && finals != null && !isRetired(finals, index))
                {
                    throw notRetired(id, e, idAt);
                }
            }
            previousId = id;
        }
        final long valueBits = rawBits & valueMask;
        final long flags = rawBits >>> flagShift;
        if (count != 0)
        {
            final boolean anyPruned = (flags & 1) != 0;
            final int canonical = layoutOf(count, previousId, valueBits, anyPruned);
            if (canonical != layout)
            {
                throw new MalformedClockException(
                    "layout byte 0x" + hex(layout) + " is not canonical for these entries (expected 0x" +
                    hex(canonical) + ": smallest id and value widths, pruned bit iff an entry is pruned)",
                    offset + 1);
            }
        }
        return count | ((long)layout << 24) | ((long)format << 32) | ((long)headerLength << 40);
    }

    /**
     * Returned by the array fast paths for anything they do not accept (malformed input, or a shape they
     * leave to the general path); {@link #validate} then decides, and reports any error.
     */
    static final long INVALID = -1L;

    /**
     * The header of an array encoding, checked as {@link #validate} checks it (bounds, format byte and kind,
     * reserved layout bits, minimal count varint of at most 3 bytes and at most {@link NodeRegistry#MAX_NODES},
     * {@code count * stride} against the bytes, the layout of an empty clock), without building any error.
     *
     * @return packed header information as {@link #validate} returns it, or {@link #INVALID}: then
     * {@link #validate} finds and reports what is wrong.
     */
    static long header(
        final byte[] a, final int offset, final int length, final boolean exact, final EntryKind expected)
    {
        if (offset < 0 || length < FIXED_HEADER + 1 || offset > a.length - length)
        {
            return INVALID;
        }
        final int format = a[offset] & 0xFF;
        final EntryKind kind = kindOf(format);
        final int layout = a[offset + 1] & 0xFF;
        if (kind == null || (expected != null && kind != expected) || (layout & RESERVED_LAYOUT_BITS) != 0)
        {
            return INVALID;
        }
        final int limit = offset + length;
        int p = offset + FIXED_HEADER;
        int b = a[p++] & 0xFF;
        int count = b & 0x7F;
        if (b >= 0x80)
        {
            if (p >= limit)
            {
                return INVALID;
            }
            b = a[p++] & 0xFF;
            count |= (b & 0x7F) << 7;
            if (b == 0)
            {
                return INVALID;
            }
            if (b >= 0x80)
            {
                if (p >= limit)
                {
                    return INVALID;
                }
                b = a[p++] & 0xFF;
                if (b == 0 || b >= 0x80)
                {
                    return INVALID;
                }
                count |= b << 14;
            }
        }
        final int stride = idWidth(layout) + valueWidth(layout);
        final long bodyLength = (long)count * stride;
        final int remaining = limit - p;
        if (count > NodeRegistry.MAX_NODES || (exact ? bodyLength != remaining : bodyLength > remaining) ||
            (count == 0 && layout != 0))
        {
            return INVALID;
        }
        return count | ((long)layout << 24) | ((long)format << 32) | ((long)(p - offset) << 40);
    }

    /**
     * Validates an array encoding without a registry, branch-free over the entries: what {@link #validate}
     * accepts with {@code members == null}, no more, and no error building. The ids block and the values
     * block are checked separately, each with a loop the JIT specializes for its width.
     *
     * <p>Why arithmetic suffices for the ids: they are below 2^63 (checked through the OR of all ids), so
     * for two ids {@code previous - id} cannot overflow and is negative exactly when they ascend; AND-ing
     * those differences keeps the sign bit only if every pair ascends. The last id is then the largest. For
     * the values see {@link #valueBits}. The OR of the raw value fields gives the width and flag the canonical
     * layout check needs, as in {@link #validate}.
     *
     * @return packed header information, or {@link #INVALID} (then call {@link #validate} for the error).
     */
    static long validateArray(
        final byte[] a, final int offset, final int length, final boolean exact, final EntryKind expected)
    {
        final long info = header(a, offset, length, exact, expected);
        if (info == INVALID || count(info) == 0)
        {
            return info;
        }
        final int idsAt = offset + headerLength(info);
        return validValues(a, info, idsAt, lastAscendingId(a, idsAt, count(info), layout(info) & 3));
    }

    /**
     * The rest of {@link #validateArray} once the ids block is checked: the values block and the canonical
     * layout.
     *
     * @param info   a header {@link #header} accepted, of at least one entry.
     * @param idsAt  where the ids block starts.
     * @param lastId the largest id, or -1 if the ids block is not valid.
     * @return {@code info}, or {@link #INVALID}.
     */
    static long validValues(final byte[] a, final long info, final int idsAt, final long lastId)
    {
        final int layout = layout(info);
        final int count = count(info);
        final int valueWidth = valueWidth(layout);
        final long rawBits = valueBits(a, idsAt + count * idWidth(layout), count, valueWidth,
            KINDS[(formatByte(info) & 0x0F) - 1].maxValue());
        final int flagShift = valueWidth * 8 - 1;
        return lastId >= 0 && rawBits != 0 &&
            layoutOf(count, lastId, rawBits & ((-1L >>> (64 - 8 * valueWidth)) >>> 1), (rawBits >>> flagShift) != 0)
                == layout ? info : INVALID;
    }

    /**
     * Checks an ids block: {@code count >= 1} ids of width {@code 1 << widthCode}, strictly ascending, below
     * 2^63.
     *
     * @return the last (largest) id, or -1 if the block is not valid.
     */
    static long lastAscendingId(final byte[] a, final int at, final int count, final int widthCode)
    {
        // One small method per width with literal strides: each inlines into its call site and the JIT folds
        // the width into constants.
        switch (widthCode)
        {
            case 0:
                return ids1(a, at, count);
            case 1:
                return ids2(a, at, count);
            case 2:
                return ids4(a, at, count);
            default:
                return ids8(a, at, count);
        }
    }

    private static long ids1(final byte[] a, final int at, final int count)
    {
        long previous = -1;
        long ascending = -1;
        for (int p = at, end = at + count; p < end; p++)
        {
            final long id = a[p] & 0xFFL;
            ascending &= previous - id;
            previous = id;
        }
        return ascending < 0 ? previous : -1;
    }

    private static long ids2(final byte[] a, final int at, final int count)
    {
        long previous = -1;
        long ascending = -1;
        for (int p = at, end = at + 2 * count; p < end; p += 2)
        {
            final long id = (short)WireBytes.SHORTS.get(a, p) & 0xFFFFL;
            ascending &= previous - id;
            previous = id;
        }
        return ascending < 0 ? previous : -1;
    }

    private static long ids4(final byte[] a, final int at, final int count)
    {
        long previous = -1;
        long ascending = -1;
        for (int p = at, end = at + 4 * count; p < end; p += 4)
        {
            final long id = (int)WireBytes.INTS.get(a, p) & 0xFFFF_FFFFL;
            ascending &= previous - id;
            previous = id;
        }
        return ascending < 0 ? previous : -1;
    }

    private static long ids8(final byte[] a, final int at, final int count)
    {
        long previous = -1;
        long ascending = -1;
        long bits = 0;
        for (int p = at, end = at + 8 * count; p < end; p += 8)
        {
            final long id = (long)WireBytes.LONGS.get(a, p);
            ascending &= previous - id;
            bits |= id;
            previous = id;
        }
        return ascending < 0 && bits >= 0 ? previous : -1;
    }

    /** Lowest bit of every 1-, 2- and 4-byte lane of a word. */
    private static final long LOW_1 = 0x0101_0101_0101_0101L;
    private static final long LOW_2 = 0x0001_0001_0001_0001L;
    private static final long LOW_4 = 0x0000_0001_0000_0001L;

    /**
     * Checks a values block: {@code count >= 1} fields of {@code width} bytes, each a valid raw value (without
     * the flag 1..maxValue, with it 0..maxValue).
     *
     * <p>Below 8 bytes a field is valid exactly when it is not zero (the largest entry below its flag bit,
     * 2^31 - 1, is below every kind's largest, 2^63 - 1), so the block is read a word at a time and checked
     * for a zero lane with the classic SWAR test {@code (x - LOW) & ~x & HIGH}, where {@code LOW} has the lowest
     * and {@code HIGH} the top bit of every lane set: it is non-zero exactly when some lane of {@code x} is
     * zero. A last word that ends at the block's end covers a block whose length is not a multiple of 8 (its
     * lanes are fields too, some checked twice). At 8 bytes, {@code value - 1 + flag} is negative exactly for
     * a zero value without the flag, and {@code maxValue - value} for a value above the kind's largest.
     *
     * @return the OR of all raw fields (never 0 for a valid block), or 0 if the block is not valid.
     */
    static long valueBits(final byte[] a, final int at, final int count, final int width, final long maxValue)
    {
        if (width == 8)
        {
            return values8(a, at, count, maxValue);
        }
        final int end = at + count * width;
        if (end - at < Long.BYTES)
        {
            return valuesNarrow(a, at, end, width);
        }
        final long words = width == 4 ? valueWords4(a, at, end) :
            width == 2 ? valueWords(a, at, end, LOW_2, LOW_2 << 15) : valueWords(a, at, end, LOW_1, LOW_1 << 7);
        if (words == 0)
        {
            return 0;
        }
        // Fold the lanes of the OR of all words into one lane: the OR of all fields.
        long folded = words | words >>> 32;
        if (width <= 2)
        {
            folded |= folded >>> 16;
            if (width == 1)
            {
                folded |= folded >>> 8;
            }
        }
        return folded & (-1L >>> (64 - 8 * width));
    }

    private static long values8(final byte[] a, final int at, final int count, final long maxValue)
    {
        long bits = 0;
        long bad = 0;
        for (int p = at, end = at + 8 * count; p < end; p += 8)
        {
            final long raw = (long)WireBytes.LONGS.get(a, p);
            final long value = raw & Long.MAX_VALUE;
            bad |= (value - 1 + (raw >>> 63)) | (maxValue - value);
            bits |= raw;
        }
        return bad < 0 ? 0 : bits;
    }

    /** A block of at least 8 bytes: @return the OR of its words, or 0 if a lane is zero. */
    /** {@link #valueWords} for 4-byte fields, with the lane masks as constants (the common width of counters). */
    private static long valueWords4(final byte[] a, final int at, final int end)
    {
        long or = 0;
        long zero = 0;
        for (int p = at, last = end - Long.BYTES; p <= last; p += Long.BYTES)
        {
            final long x = (long)WireBytes.LONGS.get(a, p);
            zero |= (x - LOW_4) & ~x;
            or |= x;
        }
        final long last = (long)WireBytes.LONGS.get(a, end - Long.BYTES);
        zero |= (last - LOW_4) & ~last;
        return (zero & (LOW_4 << 31)) != 0 ? 0 : or | last;
    }

    private static long valueWords(final byte[] a, final int at, final int end, final long low, final long high)
    {
        long or = 0;
        long zero = 0;
        for (int p = at, last = end - Long.BYTES; p <= last; p += Long.BYTES)
        {
            final long x = (long)WireBytes.LONGS.get(a, p);
            zero |= (x - low) & ~x & high;
            or |= x;
        }
        final long last = (long)WireBytes.LONGS.get(a, end - Long.BYTES);
        zero |= (last - low) & ~last & high;
        return zero != 0 ? 0 : or | last;
    }

    /** A block of fewer than 8 bytes, field by field. */
    private static long valuesNarrow(final byte[] a, final int at, final int end, final int width)
    {
        long bits = 0;
        for (int p = at; p < end; p += width)
        {
            final long raw = WireBytes.get(a, p, width);
            if (raw == 0)
            {
                return 0;
            }
            bits |= raw;
        }
        return bits;
    }

    /** @return the encoding's total length from its packed header information. */
    static int length(final long info)
    {
        final int layout = layout(info);
        return headerLength(info) + count(info) * (idWidth(layout) + valueWidth(layout));
    }

    /**
     * Compares two validated encodings.
     *
     * @return {@link Relation} flags, with {@code LT | GT} as soon as both directions are seen.
     */
    static int compareFlags(
        final WireBytes a, final int startA, final long infoA, final WireBytes b, final int startB, final long infoB)
    {
        final byte[] x = a.array;
        final byte[] y = b.array;
        final int layout = layout(infoA);
        final int count = count(infoA);
        // Kept small so that it inlines into its callers: the usual case, two small clocks of the same nodes in
        // the same layout and kind (the same packed header information), is its ids blocks checked equal, then the
        // values compared entry by entry from the first (a bulk search for the first difference costs more
        // than it skips at this size). Everything else: compareFlagsOther.
        if (x != null && y != null && infoA == infoB && (layout & PRUNED_PRESENT) == 0 && count <= DIRECT_COUNT)
        {
            final int idsA = a.base + startA + headerLength(infoA);
            final int idsB = b.base + startB + headerLength(infoB);
            final int idsLength = count * idWidth(layout);
            if (equalRanges(x, idsA, y, idsB, idsLength))
            {
                return compareSameNodes(x, idsA + idsLength, y, idsB + idsLength, count, (layout >>> 2) & 3);
            }
        }
        return compareFlagsOther(a, startA, infoA, b, startB, infoB);
    }

    /**
     * Whether {@code a[pa, pa + length)} and {@code b[pb, pb + length)} hold the same bytes (both ranges inside
     * their arrays). From 8 to 64 bytes eight at a time in a loop that inlines (the last word may overlap the one
     * before), which saves the call; longer ranges with the JDK's vectorized comparison, which is faster from
     * there on (128 bytes, 16 hashed ids: decode 29-33 ns with it, 36-39 with the loop, interleaved runs).
     */
    static boolean equalRanges(final byte[] a, final int pa, final byte[] b, final int pb, final int length)
    {
        if (length < Long.BYTES || length > 64)
        {
            return Arrays.equals(a, pa, pa + length, b, pb, pb + length);
        }
        long diff = 0;
        final int last = length - Long.BYTES;
        for (int i = 0; i < last; i += Long.BYTES)
        {
            diff |= (long)WireBytes.LONGS.get(a, pa + i) ^ (long)WireBytes.LONGS.get(b, pb + i);
        }
        diff |= (long)WireBytes.LONGS.get(a, pa + last) ^ (long)WireBytes.LONGS.get(b, pb + last);
        return diff == 0;
    }

    /**
     * Compares the values blocks of two unpruned encodings of the same nodes in the same layout, {@code count}
     * entries of width {@code 1 << code} from the array indices given.
     *
     * @return {@link Relation} flags.
     */
    static int compareSameNodes(
        final byte[] a, final int valuesA, final byte[] b, final int valuesB, final int count, final int code)
    {
        if (code == 2 && count >= 2 && count <= DIRECT_COUNT)
        {
            return compareIntWords(a, valuesA, b, valuesB, count);
        }
        return compareValues(a, valuesA, b, valuesB, 0, count, code);
    }

    /**
     * Compares two blocks of {@code count >= 2} unflagged 4-byte values (below 2^31: signed comparison is exact)
     * a word, two fields, at a time: equal words, most of them between related clocks, cost one comparison.
     * An odd count ends with the block's last word, which overlaps the one before it by a field (compared
     * twice, which changes no answer).
     */
    private static int compareIntWords(final byte[] a, final int pa, final byte[] b, final int pb, final int count)
    {
        boolean lt = false;
        boolean gt = false;
        final int last = 4 * count - Long.BYTES;
        for (int i = 0; ; i = Math.min(i + Long.BYTES, last))
        {
            final long x = (long)WireBytes.LONGS.get(a, pa + i);
            final long y = (long)WireBytes.LONGS.get(b, pb + i);
            if (x != y)
            {
                lt |= (int)x < (int)y | (int)(x >>> 32) < (int)(y >>> 32);
                gt |= (int)x > (int)y | (int)(x >>> 32) > (int)(y >>> 32);
                if (lt & gt)
                {
                    return Relation.LT | Relation.GT;
                }
            }
            if (i == last)
            {
                return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
            }
        }
    }

    /** {@link #compareFlags} of anything but two small array encodings of the same nodes and layout. */
    private static int compareFlagsOther(
        final WireBytes a, final int startA, final long infoA, final WireBytes b, final int startB, final long infoB)
    {
        final byte[] x = a.array;
        final byte[] y = b.array;
        final int layoutA = layout(infoA);
        final int layoutB = layout(infoB);
        final int countA = count(infoA);
        if (x != null && y != null && ((layoutA | layoutB) & PRUNED_PRESENT) == 0 && countA == count(infoB) &&
            ((layoutA ^ layoutB) & 3) == 0)
        {
            // The same nodes (the usual case within one membership): identical ids blocks, one bulk comparison;
            // then entry e of one is entry e of the other, and only the values need comparing, in place.
            final int idsA = a.base + startA + headerLength(infoA);
            final int idsB = b.base + startB + headerLength(infoB);
            final int idsLength = countA * idWidth(layoutA);
            if (layoutA == layoutB)
            {
                // The same layout (more than DIRECT_COUNT entries, or ids that differ): one bulk search over both
                // blocks finds the first differing byte. Identical ids put it in the values block (or nowhere:
                // the same history).
                final int valueWidth = valueWidth(layoutA);
                final int length = idsLength + countA * valueWidth;
                final int mismatch = Arrays.mismatch(x, idsA, idsA + length, y, idsB, idsB + length);
                if (mismatch < 0)
                {
                    return 0;
                }
                if (mismatch >= idsLength)
                {
                    final int code = (layoutA >>> 2) & 3;
                    return compareValues(x, idsA + idsLength, y, idsB + idsLength, (mismatch - idsLength) >>> code,
                        countA, code);
                }
            }
            else if (Arrays.equals(x, idsA, idsA + idsLength, y, idsB, idsB + idsLength))
            {
                return compareAligned(x, idsA + idsLength, valueWidth(layoutA), y, idsB + idsLength,
                    valueWidth(layoutB), countA);
            }
        }
        return compareWalk(a, startA, infoA, b, startB, infoB);
    }

    /**
     * Checks a values block of 4-byte fields without flags, {@code length >= 8} bytes: valid exactly when
     * {@link #validValues} would find it valid in an unpruned layout of 4-byte values (no zero field, no flag,
     * and a field that needs all 4 bytes: 2^15 <= the OR of the fields < 2^31). A word at a time; a last word
     * overlapping the one before covers an odd count.
     */
    static boolean validInts(final byte[] a, final int at, final int length)
    {
        long or = 0;
        long zero = 0;
        final int last = at + length - Long.BYTES;
        for (int p = at; p < last; p += Long.BYTES)
        {
            final long x = (long)WireBytes.LONGS.get(a, p);
            zero |= (x - LOW_4) & ~x;
            or |= x;
        }
        final long x = (long)WireBytes.LONGS.get(a, last);
        zero |= (x - LOW_4) & ~x;
        or |= x;
        final long fields = (or | or >>> 32) & 0xFFFF_FFFFL;
        return (zero & (LOW_4 << 31)) == 0 && fields < 1L << 31 && fields >= 1L << 15;
    }

    /** Returned by {@link #compareUntrusted} when it leaves the encoding to the full validation. */
    static final int NOT_FAST = -1;

    /**
     * Validates an untrusted array encoding and compares a validated one with it, in one pass over its values,
     * when both hold the same nodes in the same layout (the steady state of a cluster): of the same length, and
     * its header and ids block byte for byte the validated one's, which makes them valid (the same format,
     * layout and count; ids ascending, below 2^63, the same largest id); its values are checked as
     * {@link #validValues} checks them (no zero field, no flag since the layout has no pruned bit, canonical
     * width) while they are compared. Accepts exactly what {@link #validate} accepts among such encodings, and
     * builds no error.
     *
     * @param x      the validated encoding's array.
     * @param idsA   where its ids block starts in {@code x}.
     * @param infoA  its packed header information; unpruned.
     * @param y      the untrusted bytes.
     * @param offset where the untrusted encoding starts.
     * @param length its exact length.
     * @return {@link Relation} flags of the validated clock against the untrusted one, or {@link #NOT_FAST}: the
     * encoding is not valid, or not of the same nodes, layout and kind; then {@link #validate} decides.
     */
    static int compareUntrusted(
        final byte[] x, final int idsA, final long infoA, final byte[] y, final int offset, final int length)
    {
        final int layout = layout(infoA);
        final int count = count(infoA);
        final int startA = idsA - headerLength(infoA);
        final int idsLength = count * idWidth(layout);
        final int prefix = headerLength(infoA) + idsLength;
        // The same length and the same header and ids bytes as a valid encoding: a valid header with the same
        // information (format and kind, layout, count) and a valid ids block.
        if (count == 0 || length != length(infoA) || offset < 0 || offset > y.length - length ||
            !equalRanges(x, startA, y, offset, prefix))
        {
            return NOT_FAST;
        }
        final int idsB = offset + headerLength(infoA);
        final int valuesA = idsA + idsLength;
        final int valuesB = idsB + idsLength;
        final int code = (layout >>> 2) & 3;
        if (code == 2 && count >= 2)
        {
            if (count <= DIRECT_COUNT)
            {
                return validateAndCompareInts(x, valuesA, y, valuesB, count);
            }
            // Larger blocks: the branch-free check first, then the comparison that skips runs of equal values
            // with bulk searches (most values of related clocks are equal).
            return validInts(y, valuesB, 4 * count) ? compareValues(x, valuesA, y, valuesB, 0, count, 2) : NOT_FAST;
        }
        final long lastId = WireBytes.get(x, valuesA - idWidth(layout), idWidth(layout));
        if (validValues(y, infoA, idsB, lastId) == INVALID)
        {
            return NOT_FAST;
        }
        return compareValues(x, valuesA, y, valuesB, 0, count, code);
    }

    /**
     * {@link #compareUntrusted}'s values pass for 4-byte fields, {@code count >= 2}: validates the untrusted block
     * ({@code b}) a word (two fields) at a time, with the zero-lane test of {@link #valueBits}, and compares each
     * word with the validated block's ({@code a}) where they differ. The answer counts only if the block is
     * valid, so a field with its top bit set (then invalid) may be compared wrongly as a negative int.
     *
     * @return {@link Relation} flags, or {@link #NOT_FAST} if the untrusted block is not valid.
     */
    private static int validateAndCompareInts(final byte[] a, final int pa, final byte[] b, final int pb, final int count)
    {
        long or = 0;
        long zero = 0;
        boolean lt = false;
        boolean gt = false;
        // Words at 0, 8, 16, ... and, for an odd count, the block's last word, which overlaps the one before it
        // by a field: that field is checked and compared twice, which changes neither answer.
        final int last = 4 * count - Long.BYTES;
        for (int i = 0; ; i = Math.min(i + Long.BYTES, last))
        {
            final long y = (long)WireBytes.LONGS.get(b, pb + i);
            final long x = (long)WireBytes.LONGS.get(a, pa + i);
            zero |= (y - LOW_4) & ~y;
            or |= y;
            if (x != y)
            {
                lt |= (int)x < (int)y | (int)(x >>> 32) < (int)(y >>> 32);
                gt |= (int)x > (int)y | (int)(x >>> 32) > (int)(y >>> 32);
            }
            if (i == last)
            {
                break;
            }
        }
        final long fields = (or | or >>> 32) & 0xFFFF_FFFFL; // the OR of every field
        // Valid: no zero field; no flag (the layout has no pruned bit); a field that needs all 4 bytes
        // (canonical width: 2^15 <= the OR < 2^31, as layoutOf decides it).
        if ((zero & (LOW_4 << 31)) != 0 || fields >= 1L << 31 || fields < 1L << 15)
        {
            return NOT_FAST;
        }
        return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
    }

    /** {@link #compareFlags} of encodings of different nodes, or with pruned entries, or not both in arrays. */
    private static int compareWalk(
        final WireBytes a, final int startA, final long infoA, final WireBytes b, final int startB, final long infoB)
    {
        final int layoutA = layout(infoA);
        final int layoutB = layout(infoB);
        final int countA = count(infoA);
        final int countB = count(infoB);
        final int idA = idWidth(layoutA);
        final int valA = valueWidth(layoutA);
        final int idB = idWidth(layoutB);
        final int valB = valueWidth(layoutB);
        final int idsA = startA + headerLength(infoA);
        final int idsB = startB + headerLength(infoB);
        final int valuesA = idsA + countA * idA;
        final int valuesB = idsB + countB * idB;
        if (((layoutA | layoutB) & PRUNED_PRESENT) == 0 && a.array != null && b.array != null)
        {
            return compareExactArrays(a.array, a.base + idsA, countA, idA, valA, b.array, b.base + idsB, countB, idB,
                valB);
        }
        final int shiftA = valA * 8 - 1;
        final int shiftB = valB * 8 - 1;
        final long maskA = valA == 8 ? Long.MAX_VALUE : (1L << shiftA) - 1;
        final long maskB = valB == 8 ? Long.MAX_VALUE : (1L << shiftB) - 1;
        int flags = 0;
        int ea = 0;
        int eb = 0;
        while (ea < countA || eb < countB)
        {
            final long ia = ea < countA ? a.read(idsA + ea * idA, idA) : Long.MAX_VALUE;
            final long ib = eb < countB ? b.read(idsB + eb * idB, idB) : Long.MAX_VALUE;
            if (ea < countA && (eb >= countB || ia < ib))
            {
                final long raw = a.read(valuesA + ea * valA, valA);
                flags |= Relation.of(raw & maskA, (raw >>> shiftA & 1) != 0, 0, false);
                ea++;
            }
            else if (ea >= countA || ib < ia)
            {
                final long raw = b.read(valuesB + eb * valB, valB);
                flags |= Relation.of(0, false, raw & maskB, (raw >>> shiftB & 1) != 0);
                eb++;
            }
            else
            {
                final long rawA = a.read(valuesA + ea * valA, valA);
                final long rawB = b.read(valuesB + eb * valB, valB);
                flags |= Relation.of(
                    rawA & maskA, (rawA >>> shiftA & 1) != 0, rawB & maskB, (rawB >>> shiftB & 1) != 0);
                ea++;
                eb++;
            }
            if ((flags & (Relation.LT | Relation.GT)) == (Relation.LT | Relation.GT))
            {
                return flags;
            }
        }
        return flags;
    }

    /** Entries compared one by one before the next bulk search for a difference. */
    private static final int RUN = 32;

    /** Up to this many entries, encodings of the same nodes and layout are compared without a bulk search. */
    static final int DIRECT_COUNT = 64;

    /**
     * Compares two unpruned values blocks of the same nodes and width from entry {@code from} (the first that
     * differs) on: runs of {@link #RUN} entries one by one, and in between one vectorized search skips the
     * identical entries (related clocks share most of them). Positions are array indices.
     */
    private static int compareValues(
        final byte[] a, final int valuesA, final byte[] b, final int valuesB, final int from, final int count,
        final int code)
    {
        int flags = 0;
        int e = from;
        while (true)
        {
            final int end = Math.min(count, e + RUN);
            switch (code)
            {
                case 0: flags |= compareBytes(a, valuesA, b, valuesB, e, end); break;
                case 1: flags |= compareShorts(a, valuesA, b, valuesB, e, end); break;
                case 2: flags |= compareInts(a, valuesA, b, valuesB, e, end); break;
                default: flags |= compareLongs(a, valuesA, b, valuesB, e, end); break;
            }
            if (flags == (Relation.LT | Relation.GT) || end == count)
            {
                return flags;
            }
            final int mismatch = Arrays.mismatch(a, valuesA + (end << code), valuesA + (count << code), b,
                valuesB + (end << code), valuesB + (count << code));
            if (mismatch < 0)
            {
                return flags;
            }
            e = end + (mismatch >>> code);
        }
    }

    /**
     * Compares the values blocks of two unpruned encodings of the same nodes, entry by entry; positions are
     * array indices.
     */
    private static int compareAligned(
        final byte[] a, final int valuesA, final int valA, final byte[] b, final int valuesB, final int valB,
        final int count)
    {
        if (valA == valB)
        {
            // Identical values are identical bytes: skip to the first difference with one bulk search.
            final int mismatch =
                Arrays.mismatch(a, valuesA, valuesA + count * valA, b, valuesB, valuesB + count * valB);
            if (mismatch < 0)
            {
                return 0;
            }
            final int from = mismatch >>> Integer.numberOfTrailingZeros(valA);      // valA is a power of 2
            switch (valA)
            {
                case 1: return compareBytes(a, valuesA, b, valuesB, from, count);
                case 2: return compareShorts(a, valuesA, b, valuesB, from, count);
                case 4: return compareInts(a, valuesA, b, valuesB, from, count);
                default: return compareLongs(a, valuesA, b, valuesB, from, count);
            }
        }
        boolean lt = false;
        boolean gt = false;
        for (int e = 0; e < count; e++)
        {
            final long x = WireBytes.get(a, valuesA + e * valA, valA);
            final long y = WireBytes.get(b, valuesB + e * valB, valB);
            if (x != y)
            {
                // Most entries of related clocks are equal: a branch that is rarely taken.
                if (x < y)
                {
                    lt = true;
                }
                else
                {
                    gt = true;
                }
                if (lt & gt)
                {
                    return Relation.LT | Relation.GT;
                }
            }
        }
        return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
    }

    private static int compareBytes(final byte[] a, final int pa, final byte[] b, final int pb, final int from,
        final int count)
    {
        boolean lt = false;
        boolean gt = false;
        for (int p = pa + from, q = pb + from, end = pa + count; p < end; p++, q++)
        {
            final int x = a[p] & 0xFF;
            final int y = b[q] & 0xFF;
            if (x != y)
            {
                // Most entries of related clocks are equal: a branch that is rarely taken.
                if (x < y)
                {
                    lt = true;
                }
                else
                {
                    gt = true;
                }
                if (lt & gt)
                {
                    return Relation.LT | Relation.GT;
                }
            }
        }
        return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
    }

    private static int compareShorts(final byte[] a, final int pa, final byte[] b, final int pb, final int from,
        final int count)
    {
        boolean lt = false;
        boolean gt = false;
        for (int p = pa + 2 * from, q = pb + 2 * from, end = pa + 2 * count; p < end; p += 2, q += 2)
        {
            final int x = (short)WireBytes.SHORTS.get(a, p) & 0xFFFF;
            final int y = (short)WireBytes.SHORTS.get(b, q) & 0xFFFF;
            if (x != y)
            {
                // Most entries of related clocks are equal: a branch that is rarely taken.
                if (x < y)
                {
                    lt = true;
                }
                else
                {
                    gt = true;
                }
                if (lt & gt)
                {
                    return Relation.LT | Relation.GT;
                }
            }
        }
        return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
    }

    private static int compareInts(final byte[] a, final int pa, final byte[] b, final int pb, final int from,
        final int count)
    {
        boolean lt = false;
        boolean gt = false;
        // Unflagged 4-byte fields are below 2^31: signed int comparison is exact.
        for (int p = pa + 4 * from, q = pb + 4 * from, end = pa + 4 * count; p < end; p += 4, q += 4)
        {
            final int x = (int)WireBytes.INTS.get(a, p);
            final int y = (int)WireBytes.INTS.get(b, q);
            if (x != y)
            {
                // Most entries of related clocks are equal: a branch that is rarely taken.
                if (x < y)
                {
                    lt = true;
                }
                else
                {
                    gt = true;
                }
                if (lt & gt)
                {
                    return Relation.LT | Relation.GT;
                }
            }
        }
        return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
    }

    private static int compareLongs(final byte[] a, final int pa, final byte[] b, final int pb, final int from,
        final int count)
    {
        boolean lt = false;
        boolean gt = false;
        for (int p = pa + 8 * from, q = pb + 8 * from, end = pa + 8 * count; p < end; p += 8, q += 8)
        {
            final long x = (long)WireBytes.LONGS.get(a, p);
            final long y = (long)WireBytes.LONGS.get(b, q);
            if (x != y)
            {
                // Most entries of related clocks are equal: a branch that is rarely taken.
                if (x < y)
                {
                    lt = true;
                }
                else
                {
                    gt = true;
                }
                if (lt & gt)
                {
                    return Relation.LT | Relation.GT;
                }
            }
        }
        return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
    }

    /** The exact (unpruned) merge walk over two array encodings of different nodes; positions are array indices. */
    private static int compareExactArrays(
        final byte[] a, final int idsA, final int countA, final int idA, final int valA,
        final byte[] b, final int idsB, final int countB, final int idB, final int valB)
    {
        final int valuesA = idsA + countA * idA;
        final int valuesB = idsB + countB * idB;
        int ea = 0;
        int eb = 0;
        boolean lt = false;
        boolean gt = false;
        while (ea < countA && eb < countB)
        {
            final long ia = WireBytes.get(a, idsA + ea * idA, idA);
            final long ib = WireBytes.get(b, idsB + eb * idB, idB);
            if (ia == ib)
            {
                final long va = WireBytes.get(a, valuesA + ea * valA, valA);
                final long vb = WireBytes.get(b, valuesB + eb * valB, valB);
                lt |= va < vb;
                gt |= va > vb;
                ea++;
                eb++;
            }
            else if (ia < ib)
            {
                gt = true;
                ea++;
            }
            else
            {
                lt = true;
                eb++;
            }
            if (lt & gt)
            {
                return Relation.LT | Relation.GT;
            }
        }
        gt |= ea < countA;
        lt |= eb < countB;
        return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
    }

    static Causality resolve(final int flags)
    {
        return Relation.resolve(flags);
    }

    static MalformedClockException outOfBounds(final int capacity, final int offset, final int length)
    {
        return new MalformedClockException(
            "vector clock bounds offset " + offset + " length " + length + " fall outside the buffer of " +
            "capacity " + capacity + " (truncated input?)", offset);
    }

    private static MalformedClockException badFormat(
        final int formatByte, final EntryKind found, final EntryKind expected, final int offset)
    {
        if (found == null)
        {
            return new MalformedClockException(
                "unknown vector clock format byte 0x" + hex(formatByte) +
                (formatByte >= 1 && formatByte <= 3 ?
                 " (layout version 1, the varint layout of Ordo 0.1, is no longer read; re-encode with this version)" :
                 formatByte >= 0x21 && formatByte <= 0x23 ?
                 " (layout version 2, ids and values interleaved, is no longer read; re-encode with this version)" :
                 " (this version reads 0x31 counters, 0x32 HLC_MILLIS, 0x33 HLC_MICROS)"), offset);
        }
        return new MalformedClockException(
            "format byte 0x" + hex(formatByte) + " holds " + found + " entries but the target clock holds " +
            expected, offset);
    }

    private static MalformedClockException countMismatch(
        final int count, final int stride, final int remaining, final int countAt, final int bodyAt)
    {
        final long needed = (long)count * stride;
        if (needed > remaining)
        {
            return new MalformedClockException(
                "entry count " + count + " needs " + needed + " bytes of " + stride + "-byte entries but only " +
                remaining + " remain (truncated input, or a count that lies)", countAt);
        }
        return new MalformedClockException(
            (remaining - needed) + " trailing bytes after a vector clock of " + count + " entries",
            (int)(bodyAt + needed));
    }

    private static MalformedClockException badEntry(
        final long id, final long previousId, final long value, final EntryKind kind, final int entry,
        final int idAt, final int valueAt)
    {
        if (id < 0)
        {
            return new MalformedClockException("node id " + Long.toUnsignedString(id) + " is above 2^63 - 1", idAt);
        }
        if (id <= previousId)
        {
            return badOrder(id, previousId, entry, idAt);
        }
        return badValue(value, id, kind, valueAt);
    }

    static MalformedClockException badOrder(final long nodeId, final long previousId, final int entry, final int offset)
    {
        return new MalformedClockException(
            (nodeId == previousId ? "duplicate node id " : "node id out of order: ") + nodeId + " after " +
            previousId + " (entry " + entry + "; ids must be strictly ascending)", offset);
    }

    static boolean isRetired(final long[] finals, final int index)
    {
        return index < finals.length && finals[index] != 0;
    }

    static MalformedClockException notRetired(final long nodeId, final int entry, final int offset)
    {
        return new MalformedClockException(
            "retired marker for node " + nodeId + " (entry " + entry + "), which is not retired in the target's " +
            "NodeRegistry: its final value is unknown here (retire it with NodeRegistry.retire first)", offset);
    }

    static MalformedClockException unknownId(final long nodeId, final int entry, final int offset)
    {
        return new MalformedClockException(
            "unknown node id " + nodeId + " (entry " + entry + "; not registered in the target's NodeRegistry)",
            offset);
    }

    private static MalformedClockException badValue(
        final long value, final long nodeId, final EntryKind kind, final int offset)
    {
        if (value == 0)
        {
            return new MalformedClockException(
                "zero value for node " + nodeId + " (zero entries are omitted from encodings)", offset);
        }
        return new MalformedClockException(
            "value " + value + " for node " + nodeId + " exceeds the largest " + kind + " entry " + kind.maxValue(),
            offset);
    }

    static String hex(final int b)
    {
        return (b < 0x10 ? "0" : "") + Integer.toHexString(b);
    }
}
