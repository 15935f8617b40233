package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;

import java.util.Arrays;

/**
 * The vector clock wire format, layout version 2 (docs/vector-clocks.md has it byte by byte):
 *
 * <pre>
 * byte 0        format byte: 0x2K, K = 1 counters, 2 HLC_MILLIS, 3 HLC_MICROS
 * byte 1        layout: bits 0-1 id width code, bits 2-3 value width code (code c = 2^c bytes: 1, 2, 4, 8),
 *               bit 4 set iff some entry has the flag bit (pruned or retired), bits 5-7 zero
 * bytes 2..     entry count n: unsigned LEB128, minimal, 1-3 bytes, at most NodeRegistry.MAX_NODES
 * then n entries of (id width + value width) bytes each, ids strictly ascending:
 *   node id     little-endian unsigned, below 2^63
 *   value       little-endian; the top bit is the flag, the other bits the entry: without the flag the exact
 *               entry (1..kind max), with it a pruned lower bound (1..kind max) or, as 0, a retired marker
 *               (exactly the node's final entry, NodeRegistry.retire)
 * </pre>
 *
 * Widths are the smallest that hold the largest id and the largest entry (with its flag bit free), so the
 * encoding is canonical: equal histories encode to identical bytes, and validation refuses anything else.
 * Fixed-width entries make every entry's position a multiplication: the whole body is bounds-checked once
 * ({@code count * stride == remaining}) and comparisons read ids and values with one load each.
 *
 * <p>Everything here is static and stateless: validation is a pure function of the bytes (it writes no
 * scratch state anywhere), so a rejected message can change nothing.
 */
final class WireFormat
{
    /** Layout version in the high nibble of the format byte. */
    static final int VERSION = 2;
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
        // Every entry lies inside [offset, limit): the loop reads without further bounds checks.
        final long maxValue = kind.maxValue();
        final int flagShift = valueWidth * 8 - 1;
        final long valueMask = valueWidth == 8 ? Long.MAX_VALUE : (1L << flagShift) - 1;
        final boolean walk = members != null && members.size <= 4 * count + 8;
        final NodeRegistry.Sorted sorted = walk ? members.sorted() : null;
        final long[] sortedIds = walk ? sorted.ids : null;
        final byte[] array = in.array != null && in.array.length >= WireBytes.MIN_FAST_ARRAY ? in.array : null;
        final int base = in.base;
        final int idShift = 64 - 8 * idWidth;
        final int valueShift = 64 - 8 * valueWidth;
        int k = 0;
        long previousId = -1;
        long rawBits = 0;
        for (int e = 0; e < count; e++, p += stride)
        {
            final long id = array != null ? WireBytes.le(array, base + p, idWidth, idShift) : in.read(p, idWidth);
            final long raw = array != null ?
                WireBytes.le(array, base + p + idWidth, valueWidth, valueShift) : in.read(p + idWidth, valueWidth);
            final long value = raw & valueMask;
            final long flag = raw >>> flagShift;
            // One unsigned comparison each: id > previousId >= -1 (and below 2^63); without the flag
            // 1 <= value <= maxValue, with it 0 <= value <= maxValue (0: a retired marker).
            if (id <= previousId || Long.compareUnsigned(value - 1 + flag, maxValue + flag) >= 0)
            {
                throw badEntry(id, previousId, value, kind, e, p, idWidth);
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
                    throw unknownId(id, e, p);
                }
                if (value == 0 && finals != null && !isRetired(finals, sorted.indices[k]))
                {
                    throw notRetired(id, e, p);
                }
                k++;
            }
            else if (members != null)
            {
                final int index = members.indexOf(id);
                if (index == NodeRegistry.UNKNOWN)
                {
                    throw unknownId(id, e, p);
                }
                if (value == 0 && finals != null && !isRetired(finals, index))
                {
                    throw notRetired(id, e, p);
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
     * Returned by the array fast paths for anything they do not accept (malformed input, or an array too
     * small for their 8-byte loads); {@link #validate} then decides, and reports any error.
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
     * Validates an array encoding without a registry in one branch-free pass over its entries: what
     * {@link #validate} accepts with {@code members == null}, no more, and no error building.
     *
     * <p>Why arithmetic suffices: ids are below 2^63 (checked through the OR of all ids), so for two ids
     * {@code previous - id} cannot overflow and is negative exactly when they ascend; AND-ing those
     * differences keeps the sign bit only if every pair ascends. Values are below 2^63 after masking the
     * flag, so {@code value - 1 + flag} is negative exactly for a zero value without the flag, and
     * {@code maxValue - value} exactly for a value above the kind's largest; OR-ing them keeps any sign bit.
     * The last id is the largest, and the OR of the raw fields gives the widths and flag the canonical
     * layout check needs, as in {@link #validate}.
     *
     * @return packed header information, or {@link #INVALID} (then call {@link #validate} for the error).
     */
    static long validateArray(
        final byte[] a, final int offset, final int length, final boolean exact, final EntryKind expected)
    {
        final long info = a.length < WireBytes.MIN_FAST_ARRAY ? INVALID : header(a, offset, length, exact, expected);
        if (info == INVALID || count(info) == 0)
        {
            return info;
        }
        final int layout = layout(info);
        final int count = count(info);
        final long maxValue = kindOf(formatByte(info)).maxValue();
        final int p = offset + headerLength(info);
        if (p + idWidth(layout) < Long.BYTES)
        {
            return INVALID;                          // too close to the array's start for the backward loads
        }
        // One call site per width pair, with literal widths: the JIT inlines the hot one and folds the widths
        // into constants (strides, masks, shifts), which makes the loop several times faster than with
        // widths held in variables.
        final boolean valid;
        switch (layout & 0x0F)
        {
            case 0x0: valid = validBody(a, p, count, layout, maxValue, 1, 1); break;
            case 0x1: valid = validBody(a, p, count, layout, maxValue, 2, 1); break;
            case 0x2: valid = validBody(a, p, count, layout, maxValue, 4, 1); break;
            case 0x3: valid = validBody(a, p, count, layout, maxValue, 8, 1); break;
            case 0x4: valid = validBody(a, p, count, layout, maxValue, 1, 2); break;
            case 0x5: valid = validBody(a, p, count, layout, maxValue, 2, 2); break;
            case 0x6: valid = validBody(a, p, count, layout, maxValue, 4, 2); break;
            case 0x7: valid = validBody(a, p, count, layout, maxValue, 8, 2); break;
            case 0x8: valid = validBody(a, p, count, layout, maxValue, 1, 4); break;
            case 0x9: valid = validBody(a, p, count, layout, maxValue, 2, 4); break;
            case 0xA: valid = validBody(a, p, count, layout, maxValue, 4, 4); break;
            case 0xB: valid = validBody(a, p, count, layout, maxValue, 8, 4); break;
            case 0xC: valid = validBody(a, p, count, layout, maxValue, 1, 8); break;
            case 0xD: valid = validBody(a, p, count, layout, maxValue, 2, 8); break;
            case 0xE: valid = validBody(a, p, count, layout, maxValue, 4, 8); break;
            default: valid = validBody(a, p, count, layout, maxValue, 8, 8); break;
        }
        return valid ? info : INVALID;
    }

    /**
     * The entry checks of {@link #validateArray} (see there for why the arithmetic is sound), in one small
     * loop the JIT inlines into each width's call site. Each field is read with one 8-byte load of the bytes
     * that <em>end</em> where the field ends (the field is their top bytes), which stays inside the array
     * because the caller checked {@code start + idWidth >= 8} and the body ends inside it.
     */
    static boolean validBody(
        final byte[] a, final int start, final int count, final int layout, final long maxValue,
        final int idWidth, final int valueWidth)
    {
        final int stride = idWidth + valueWidth;
        final int idShift = 64 - 8 * idWidth;
        final int valueShift = 64 - 8 * valueWidth;
        final int flagShift = valueWidth * 8 - 1;
        final long valueMask = (-1L >>> valueShift) >>> 1;
        final int end = start + count * stride;
        long previous = -1;
        long ascending = -1;
        long bad = 0;
        long idBits = 0;
        long rawBits = 0;
        for (int p = start + idWidth - Long.BYTES, last = end - Long.BYTES + idWidth; p < last; p += stride)
        {
            final long id = (long)WireBytes.LONGS.get(a, p) >>> idShift;
            final long raw = (long)WireBytes.LONGS.get(a, p + valueWidth) >>> valueShift;
            final long value = raw & valueMask;
            ascending &= previous - id;
            bad |= (value - 1 + (raw >>> flagShift)) | (maxValue - value);
            idBits |= id;
            rawBits |= raw;
            previous = id;
        }
        return ascending < 0 && (bad | idBits) >= 0 &&
            layoutOf(count, previous, rawBits & valueMask, (rawBits >>> flagShift) != 0) == layout;
    }

    /** @return the encoding's total length from its packed header information. */
    static int length(final long info)
    {
        final int layout = layout(info);
        return headerLength(info) + count(info) * (idWidth(layout) + valueWidth(layout));
    }

    /**
     * Compares two validated encodings in one merge walk over their entries.
     *
     * @return {@link Relation} flags, with {@code LT | GT} as soon as both directions are seen.
     */
    static int compareFlags(
        final WireBytes a, final int startA, final long infoA, final WireBytes b, final int startB, final long infoB)
    {
        final int layoutA = layout(infoA);
        final int layoutB = layout(infoB);
        final int idA = idWidth(layoutA);
        final int valA = valueWidth(layoutA);
        final int idB = idWidth(layoutB);
        final int valB = valueWidth(layoutB);
        final int strideA = idA + valA;
        final int strideB = idB + valB;
        int pa = startA + headerLength(infoA);
        int pb = startB + headerLength(infoB);
        final int endA = pa + count(infoA) * strideA;
        final int endB = pb + count(infoB) * strideB;
        if (((layoutA | layoutB) & PRUNED_PRESENT) == 0)
        {
            if (a.array != null && b.array != null &&
                a.array.length >= WireBytes.MIN_FAST_ARRAY && b.array.length >= WireBytes.MIN_FAST_ARRAY)
            {
                return compareExact(a.array, a.base + pa, a.base + endA, idA, valA, b.array, b.base + pb, b.base + endB,
                    idB, valB);
            }
            // No pruned entry on either side: every stored value is exact and >= 1.
            boolean lt = false;
            boolean gt = false;
            while (pa < endA && pb < endB)
            {
                final long ia = a.read(pa, idA);
                final long ib = b.read(pb, idB);
                if (ia == ib)
                {
                    final long va = a.read(pa + idA, valA);
                    final long vb = b.read(pb + idB, valB);
                    lt |= va < vb;
                    gt |= va > vb;
                    pa += strideA;
                    pb += strideB;
                }
                else if (ia < ib)
                {
                    gt = true;
                    pa += strideA;
                }
                else
                {
                    lt = true;
                    pb += strideB;
                }
                if (lt & gt)
                {
                    return Relation.LT | Relation.GT;
                }
            }
            gt |= pa < endA;
            lt |= pb < endB;
            return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
        }
        final int shiftA = valA * 8 - 1;
        final int shiftB = valB * 8 - 1;
        final long maskA = valA == 8 ? Long.MAX_VALUE : (1L << shiftA) - 1;
        final long maskB = valB == 8 ? Long.MAX_VALUE : (1L << shiftB) - 1;
        int flags = 0;
        while (pa < endA || pb < endB)
        {
            final long ia = pa < endA ? a.read(pa, idA) : Long.MAX_VALUE;
            final long ib = pb < endB ? b.read(pb, idB) : Long.MAX_VALUE;
            if (pa < endA && (pb >= endB || ia < ib))
            {
                final long raw = a.read(pa + idA, valA);
                flags |= Relation.of(raw & maskA, (raw >>> shiftA & 1) != 0, 0, false);
                pa += strideA;
            }
            else if (pa >= endA || ib < ia)
            {
                final long raw = b.read(pb + idB, valB);
                flags |= Relation.of(0, false, raw & maskB, (raw >>> shiftB & 1) != 0);
                pb += strideB;
            }
            else
            {
                final long rawA = a.read(pa + idA, valA);
                final long rawB = b.read(pb + idB, valB);
                flags |= Relation.of(
                    rawA & maskA, (rawA >>> shiftA & 1) != 0, rawB & maskB, (rawB >>> shiftB & 1) != 0);
                pa += strideA;
                pb += strideB;
            }
            if ((flags & (Relation.LT | Relation.GT)) == (Relation.LT | Relation.GT))
            {
                return flags;
            }
        }
        return flags;
    }

    /** The exact (unpruned) merge walk over two arrays; positions are array indices. */
    private static int compareExact(
        final byte[] a, final int startA, final int endA, final int idA, final int valA,
        final byte[] b, final int startB, final int endB, final int idB, final int valB)
    {
        final int strideA = idA + valA;
        final int strideB = idB + valB;
        final int idShiftA = 64 - 8 * idA;
        final int idShiftB = 64 - 8 * idB;
        final int valShiftA = 64 - 8 * valA;
        final int valShiftB = 64 - 8 * valB;
        int pa = startA;
        int pb = startB;
        boolean lt = false;
        boolean gt = false;
        // Same layout: identical entries are identical bytes, so skip runs of them with a vectorized
        // mismatch search (Arrays.mismatch) and look only at entries that differ. Stop trying after a few
        // searches that skip nothing (every entry differs).
        int uselessSkips = idA == idB && valA == valB ? 0 : Integer.MAX_VALUE;
        while (pa < endA && pb < endB)
        {
            if (uselessSkips < 3)
            {
                final int mismatch = Arrays.mismatch(a, pa, endA, b, pb, endB);
                if (mismatch < 0)
                {
                    return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
                }
                final int skip = mismatch - mismatch % strideA;
                uselessSkips = skip == 0 ? uselessSkips + 1 : 0;
                pa += skip;
                pb += skip;
                if (pa >= endA || pb >= endB)
                {
                    break;
                }
            }
            final long ia = WireBytes.le(a, pa, idA, idShiftA);
            final long ib = WireBytes.le(b, pb, idB, idShiftB);
            if (ia == ib)
            {
                final long va = WireBytes.le(a, pa + idA, valA, valShiftA);
                final long vb = WireBytes.le(b, pb + idB, valB, valShiftB);
                lt |= va < vb;
                gt |= va > vb;
                pa += strideA;
                pb += strideB;
            }
            else if (ia < ib)
            {
                gt = true;
                pa += strideA;
            }
            else
            {
                lt = true;
                pb += strideB;
            }
            if (lt & gt)
            {
                return Relation.LT | Relation.GT;
            }
        }
        gt |= pa < endA;
        lt |= pb < endB;
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
                 " (this version reads 0x21 counters, 0x22 HLC_MILLIS, 0x23 HLC_MICROS)"), offset);
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
        final long id, final long previousId, final long value, final EntryKind kind, final int entry, final int at,
        final int idWidth)
    {
        if (id < 0)
        {
            return new MalformedClockException("node id " + Long.toUnsignedString(id) + " is above 2^63 - 1", at);
        }
        if (id <= previousId)
        {
            return badOrder(id, previousId, entry, at);
        }
        return badValue(value, id, kind, at + idWidth);
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
