package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.MalformedClockException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads (and validates) the vector clock wire format; also holds the static writers. One instance is a
 * reusable cursor: allocation-free on every path except the one that throws. Error messages are built in
 * separate cold methods so the hot loops stay small enough to inline.
 *
 * <p>Format (see docs/vector-clocks.md): format byte, varint entry count, then per entry
 * {@code varint(nodeId << 1 | pruned)} and {@code varint(value)}, node ids strictly ascending. Varints are
 * unsigned LEB128, minimal length, at most 10 bytes.
 */
final class WireCursor
{
    /** Largest varint: 10 bytes for 64 bits. */
    static final int MAX_VARINT_LENGTH = 10;
    /** Smallest encoded entry: one byte of id and one of value. */
    static final int MIN_ENTRY_LENGTH = 2;

    private static final int FIELD_COUNT = 0;
    private static final int FIELD_ID = 1;
    private static final int FIELD_VALUE = 2;
    private static final String[] FIELD_NAMES = { "entry count", "node id", "entry value" };

    private static final VarHandle LITTLE_ENDIAN_LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private DirectBuffer buffer;
    /** The heap array behind {@link #buffer} (read directly: faster than per-byte buffer calls), or null. */
    private byte[] array;
    /** Index in {@link #array} of buffer index 0. */
    private int arrayAdjustment;
    private int start;
    private int position;
    private int limit;
    private int remainingEntries;
    private EntryKind kind;
    /**
     * Per entry of the last validation against a registry: {@code index << 1 | pruned} and the value, so the
     * caller commits without parsing again.
     */
    private int[] indices;
    private long[] values;

    /** Where the current entry (its node id) starts. */
    int entryAt;
    long entryId;
    boolean entryPruned;
    long entryValue;
    /** Whether the last validated encoding has a pruned entry. */
    boolean sawPruned;

    /**
     * @param capacity entries whose registry indices can be remembered before the scratch array grows.
     */
    WireCursor(final int capacity)
    {
        indices = new int[capacity];
        values = new long[capacity];
    }

    WireCursor()
    {
        this(0);
    }

    /**
     * Validates a whole encoding: structure, ordering, value ranges and, when {@code members} is given, that
     * every node id is registered (remembering each entry's index for {@link #index(int)}). Afterwards the
     * cursor is positioned on the first entry, ready for trusted {@link #next()} calls.
     *
     * @param expected the kind the caller needs, or null for any.
     * @param members  the registry snapshot ids must belong to, or null to accept any id.
     * @return the number of entries.
     */
    int validate(
        final DirectBuffer buffer, final int offset, final int length, final EntryKind expected,
        final NodeRegistry.Members members)
    {
        return check(buffer, offset, length, expected, members, true);
    }

    /**
     * Validates the encoding that starts at {@code offset} within at most {@code maxLength} bytes.
     *
     * @return its length.
     */
    int scanLength(final DirectBuffer buffer, final int offset, final int maxLength)
    {
        check(buffer, offset, maxLength, null, null, false);
        return position - offset;
    }

    /**
     * Checks that every node id of an encoding validated before is registered, remembering the indices.
     *
     * @return the number of entries.
     */
    int checkMembers(final DirectBuffer buffer, final int offset, final int length, final NodeRegistry.Members members)
    {
        rewind(buffer, offset, length);
        final int count = remainingEntries;
        final int[] found = indicesFor(members, count);
        final long[] foundValues = values;
        for (int i = 0; i < count; i++)
        {
            next();
            final int index = members.indexOf(entryId);
            if (index == NodeRegistry.UNKNOWN)
            {
                throw unknownId(entryId, i, entryAt);
            }
            found[i] = (index << 1) | (entryPruned ? 1 : 0);
            foundValues[i] = entryValue;
        }
        return count;
    }

    /**
     * @param entry an entry number of the last encoding validated against a registry.
     * @return its registry index shifted left by one, or-ed with 1 when the entry is pruned.
     */
    int indexAndFlag(final int entry)
    {
        return indices[entry];
    }

    /**
     * @param entry an entry number of the last encoding validated against a registry.
     * @return its value.
     */
    long value(final int entry)
    {
        return values[entry];
    }

    private int check(
        final DirectBuffer buffer, final int offset, final int length, final EntryKind expected,
        final NodeRegistry.Members members, final boolean exact)
    {
        if (buffer == null || offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw outOfBounds(buffer, offset, length);
        }
        attach(buffer);
        this.start = offset;
        this.position = offset;
        this.limit = offset + length;
        if (length == 0)
        {
            throw new MalformedClockException("empty input: a vector clock needs at least its format byte", offset);
        }
        final int formatByte = byteAt(offset) & 0xFF;
        final EntryKind found = EntryKind.fromFormatByte(formatByte);
        if (found == null || (expected != null && found != expected))
        {
            throw badFormat(formatByte, found, expected, offset);
        }
        position = offset + 1;
        final long count = readVarint(FIELD_COUNT);
        // Unsigned: a varint of 2^63 or more decodes to a negative long and is a huge count, not a small one.
        // Checked before anything is allocated or looped over; afterwards 0 <= count < 2^30.
        if (Long.compareUnsigned(count, (limit - position) / MIN_ENTRY_LENGTH) > 0 ||
            (members != null && count > members.size))
        {
            throw badCount(count, limit - position, members, offset + 1);
        }
        final int[] found2 = members != null ? indicesFor(members, (int)count) : null;
        final long maxValue = found.maxValue();
        // Both sides are sorted by id: resolve indices with a merge walk unless the registry is much larger.
        final boolean walk = members != null && members.size <= 4 * count + 8;
        int cursorInRegistry = 0;
        long previousId = -1;
        long prunedFlags = 0;
        for (int i = 0; i < count; i++)
        {
            final int idAt = position;
            final long idAndFlag = readVarint(FIELD_ID);
            final long nodeId = idAndFlag >>> 1;
            prunedFlags |= idAndFlag;
            if (nodeId <= previousId)
            {
                throw badOrder(nodeId, previousId, i, idAt);
            }
            int index = 0;
            if (walk)
            {
                final long[] sortedIds = members.sortedIds;
                int k = cursorInRegistry;
                while (k < members.size && sortedIds[k] < nodeId)
                {
                    k++;
                }
                if (k == members.size || sortedIds[k] != nodeId)
                {
                    throw unknownId(nodeId, i, idAt);
                }
                index = members.sortedByIdIndices[k];
                cursorInRegistry = k + 1;
            }
            else if (members != null)
            {
                index = members.indexOf(nodeId);
                if (index == NodeRegistry.UNKNOWN)
                {
                    throw unknownId(nodeId, i, idAt);
                }
            }
            final int valueAt = position;
            final long value = readVarint(FIELD_VALUE);
            if (value < 1 || value > maxValue)
            {
                throw badValue(value, nodeId, found, valueAt);
            }
            if (members != null)
            {
                found2[i] = (index << 1) | (int)(idAndFlag & 1);
                values[i] = value;
            }
            previousId = nodeId;
        }
        if (exact && position != limit)
        {
            throw new MalformedClockException(
                (limit - position) + " trailing bytes after a vector clock of " + count + " entries", position);
        }
        kind = found;
        sawPruned = (prunedFlags & 1) != 0;
        if (exact)
        {
            position = offset + 1;
            readVarint(FIELD_COUNT);
            remainingEntries = (int)count;
        }
        return (int)count;
    }

    private int[] indicesFor(final NodeRegistry.Members members, final int count)
    {
        if (indices.length < count)
        {
            indices = new int[Math.max(count, members.size)];
            values = new long[indices.length];
        }
        return indices;
    }

    /**
     * Re-reads the header of an encoding validated before, positioning on its first entry.
     */
    void rewind(final DirectBuffer buffer, final int offset, final int length)
    {
        attach(buffer);
        this.start = offset;
        this.limit = offset + length;
        this.kind = EntryKind.fromFormatByte(byteAt(offset) & 0xFF);
        this.position = offset + 1;
        remainingEntries = (int)readVarint(FIELD_COUNT);
    }

    private void attach(final DirectBuffer buffer)
    {
        this.buffer = buffer;
        final byte[] bytes = buffer.byteArray();
        this.array = bytes;
        this.arrayAdjustment = bytes != null ? (int)buffer.wrapAdjustment() : 0;
    }

    private byte byteAt(final int index)
    {
        final byte[] bytes = array;
        return bytes != null ? bytes[arrayAdjustment + index] : buffer.getByte(index);
    }

    private long longAt(final int index)
    {
        final byte[] bytes = array;
        return bytes != null ?
            (long)LITTLE_ENDIAN_LONGS.get(bytes, arrayAdjustment + index) :
            buffer.getLong(index, ByteOrder.LITTLE_ENDIAN);
    }

    EntryKind kind()
    {
        return kind;
    }

    /**
     * Reads the next entry of a validated encoding into {@link #entryId}, {@link #entryPruned},
     * {@link #entryValue}.
     *
     * @return false when there are no more entries.
     */
    boolean next()
    {
        if (remainingEntries == 0)
        {
            return false;
        }
        remainingEntries--;
        entryAt = position;
        final long idAndFlag = readVarint(FIELD_ID);
        entryId = idAndFlag >>> 1;
        entryPruned = (idAndFlag & 1) != 0;
        entryValue = readVarint(FIELD_VALUE);
        return true;
    }

    private long readVarint(final int field)
    {
        final int p = position;
        if (p < limit)
        {
            final byte b = byteAt(p);
            if (b >= 0)
            {
                position = p + 1;
                return b;
            }
        }
        return readWideVarint(field);
    }

    /** Varints of two or more bytes: SWAR on one little-endian word where 8 (or 10) bytes remain. */
    private long readWideVarint(final int field)
    {
        final int p = position;
        if (p <= limit - Long.BYTES)
        {
            final long word = longAt(p);
            final long stops = ~word & 0x8080808080808080L;
            if (stops != 0)
            {
                final int bits = Long.numberOfTrailingZeros(stops) + 1;
                final long raw = bits == Long.SIZE ? word : word & ((1L << bits) - 1);
                if ((raw >>> (bits - Byte.SIZE)) != 0)
                {
                    position = p + (bits >>> 3);
                    return compact(raw);
                }
            }
            else if (p <= limit - (Long.BYTES + 2))
            {
                // 9 or 10 bytes (e.g. 63-bit hashed node ids): 56 bits from the word, then the rest.
                final int b8 = byteAt(p + 8);
                if (b8 > 0)
                {
                    position = p + 9;
                    return compact(word) | ((long)b8 << 56);
                }
                if (b8 < 0 && byteAt(p + 9) == 1)
                {
                    position = p + 10;
                    return compact(word) | ((long)(b8 & 0x7F) << 56) | (1L << 63);
                }
            }
        }
        return readLongVarint(field);
    }

    /**
     * @param raw up to 8 varint bytes, little-endian.
     * @return their 7-bit groups packed together (continuation bits dropped).
     */
    private static long compact(final long raw)
    {
        long x = raw & 0x7F7F7F7F7F7F7F7FL;
        x = (x & 0x007F007F007F007FL) | ((x & 0x7F007F007F007F00L) >>> 1);
        x = (x & 0x00003FFF00003FFFL) | ((x & 0x3FFF00003FFF0000L) >>> 2);
        return (x & 0x000000000FFFFFFFL) | ((x & 0x0FFFFFFF00000000L) >>> 4);
    }

    private long readLongVarint(final int field)
    {
        final int fieldStart = position;
        int p = position;
        long result = 0;
        int shift = 0;
        for (int n = 0; ; n++)
        {
            if (p >= limit)
            {
                throw truncated(field, fieldStart, p);
            }
            final int b = byteAt(p++) & 0xFF;
            if (n == MAX_VARINT_LENGTH - 1)
            {
                if (b != 1)
                {
                    throw overlong(field, b, p - 1);
                }
                result |= 1L << 63;
                break;
            }
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (b == 0)
                {
                    throw nonMinimal(field, n + 1, fieldStart);
                }
                break;
            }
            shift += 7;
        }
        position = p;
        return result;
    }

    /**
     * @param value an unsigned 64-bit value.
     * @return bytes its varint takes, 1..10.
     */
    static int varintLength(final long value)
    {
        return (63 - Long.numberOfLeadingZeros(value)) / 7 + 1;
    }

    /**
     * @return bytes written.
     */
    static int putVarint(final MutableDirectBuffer buffer, final int index, final long value)
    {
        if ((value & ~0x7FL) == 0)
        {
            buffer.putByte(index, (byte)value);
            return 1;
        }
        long v = value;
        int i = index;
        while ((v & ~0x7FL) != 0)
        {
            buffer.putByte(i++, (byte)((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.putByte(i++, (byte)v);
        return i - index;
    }

    /**
     * @return bytes written into a heap array.
     */
    static int putVarint(final byte[] bytes, final int index, final long value)
    {
        long v = value;
        int i = index;
        while ((v & ~0x7FL) != 0)
        {
            bytes[i++] = (byte)((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[i++] = (byte)v;
        return i - index;
    }

    private static MalformedClockException outOfBounds(final DirectBuffer buffer, final int offset, final int length)
    {
        if (buffer == null)
        {
            return new MalformedClockException("no buffer to read a vector clock from", offset);
        }
        return new MalformedClockException(
            "vector clock bounds offset " + offset + " length " + length + " fall outside the buffer of " +
            "capacity " + buffer.capacity() + " (truncated input?)", offset);
    }

    private static MalformedClockException badFormat(
        final int formatByte, final EntryKind found, final EntryKind expected, final int offset)
    {
        if (found == null)
        {
            return new MalformedClockException(
                "unknown vector clock format byte 0x" + hex(formatByte) + " (this version reads 0x01 counters, " +
                "0x02 HLC_MILLIS, 0x03 HLC_MICROS)", offset);
        }
        return new MalformedClockException(
            "format byte 0x" + hex(formatByte) + " holds " + found + " entries but the target clock holds " +
            expected, offset);
    }

    private static MalformedClockException badCount(
        final long count, final int remaining, final NodeRegistry.Members members, final int offset)
    {
        if (Long.compareUnsigned(count, remaining / MIN_ENTRY_LENGTH) > 0)
        {
            return new MalformedClockException(
                "entry count " + Long.toUnsignedString(count) + " exceeds the " + remaining / MIN_ENTRY_LENGTH +
                " entries the remaining " + remaining + " bytes can hold", offset);
        }
        return new MalformedClockException(
            "entry count " + count + " exceeds the " + members.size + " registered nodes", offset);
    }

    private static MalformedClockException badOrder(
        final long nodeId, final long previousId, final int entry, final int offset)
    {
        return new MalformedClockException(
            (nodeId == previousId ? "duplicate node id " : "node id out of order: ") + nodeId + " after " +
            previousId + " (entry " + entry + "; ids must be strictly ascending)", offset);
    }

    private static MalformedClockException unknownId(final long nodeId, final int entry, final int offset)
    {
        return new MalformedClockException(
            "unknown node id " + nodeId + " (entry " + entry + "; not registered in the target's NodeRegistry)",
            offset);
    }

    private static MalformedClockException badValue(
        final long value, final long nodeId, final EntryKind kind, final int offset)
    {
        if (value < 0)
        {
            return new MalformedClockException(
                "negative value " + value + " (unsigned " + Long.toUnsignedString(value) + ") for node " + nodeId,
                offset);
        }
        if (value == 0)
        {
            return new MalformedClockException(
                "zero value for node " + nodeId + " (zero entries are omitted from encodings)", offset);
        }
        return new MalformedClockException(
            "value " + value + " for node " + nodeId + " exceeds the largest " + kind + " entry " + kind.maxValue(),
            offset);
    }

    private static MalformedClockException truncated(final int field, final int fieldStart, final int offset)
    {
        return new MalformedClockException(
            "truncated " + FIELD_NAMES[field] + ": input ends inside a varint started at offset " + fieldStart,
            offset);
    }

    private static MalformedClockException overlong(final int field, final int b, final int offset)
    {
        return new MalformedClockException(
            "overlong " + FIELD_NAMES[field] + " varint: tenth byte 0x" + hex(b) + " (only 0x01 fits in 64 bits)",
            offset);
    }

    private static MalformedClockException nonMinimal(final int field, final int bytes, final int offset)
    {
        return new MalformedClockException(
            "overlong " + FIELD_NAMES[field] + " varint: " + bytes + " bytes where fewer suffice (final byte 0x00)",
            offset);
    }

    private static String hex(final int b)
    {
        return (b < 0x10 ? "0" : "") + Integer.toHexString(b);
    }
}
