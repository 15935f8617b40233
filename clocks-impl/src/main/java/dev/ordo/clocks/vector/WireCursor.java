package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.MalformedClockException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Reads (and validates) the vector clock wire format; also holds the static writers. One instance is a
 * reusable cursor: allocation-free on every path except the one that throws.
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

    private DirectBuffer buffer;
    private int start;
    private int position;
    private int limit;
    private int remainingEntries;
    private EntryKind kind;

    long entryId;
    boolean entryPruned;
    long entryValue;

    /**
     * Validates a whole encoding without keeping any state: structure, ordering, value ranges and, when
     * {@code members} is given, that every node id is registered. Afterwards the cursor is positioned on the
     * first entry, ready for trusted {@link #next()} calls.
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

    private int check(
        final DirectBuffer buffer, final int offset, final int length, final EntryKind expected,
        final NodeRegistry.Members members, final boolean exact)
    {
        if (buffer == null)
        {
            throw new MalformedClockException("no buffer to read a vector clock from", offset);
        }
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new MalformedClockException(
                "vector clock bounds offset " + offset + " length " + length + " fall outside the buffer of " +
                "capacity " + buffer.capacity() + " (truncated input?)", offset);
        }
        this.buffer = buffer;
        this.start = offset;
        this.position = offset;
        this.limit = offset + length;
        if (length == 0)
        {
            throw new MalformedClockException("empty input: a vector clock needs at least its format byte", offset);
        }
        final int formatByte = buffer.getByte(offset) & 0xFF;
        final EntryKind found = EntryKind.fromFormatByte(formatByte);
        if (found == null)
        {
            throw new MalformedClockException(
                "unknown vector clock format byte 0x" + hex(formatByte) + " (this version reads 0x01 counters, " +
                "0x02 HLC_MILLIS, 0x03 HLC_MICROS)", offset);
        }
        if (expected != null && found != expected)
        {
            throw new MalformedClockException(
                "format byte 0x" + hex(formatByte) + " holds " + found + " entries but the target clock holds " +
                expected, offset);
        }
        position = offset + 1;
        final int countAt = position;
        final long count = readVarint("entry count");
        final long room = (limit - position) / MIN_ENTRY_LENGTH;
        if (count > room)
        {
            throw new MalformedClockException(
                "entry count " + Long.toUnsignedString(count) + " exceeds the " + room + " entries the remaining " +
                (limit - position) + " bytes can hold", countAt);
        }
        if (members != null && count > members.size)
        {
            throw new MalformedClockException(
                "entry count " + count + " exceeds the " + members.size + " registered nodes", countAt);
        }
        long previousId = -1;
        for (int i = 0; i < count; i++)
        {
            final int idAt = position;
            final long idAndFlag = readVarint("node id");
            final long nodeId = idAndFlag >>> 1;
            if (nodeId <= previousId)
            {
                throw new MalformedClockException(
                    (nodeId == previousId ? "duplicate node id " : "node id out of order: ") + nodeId +
                    " after " + previousId + " (entry " + i + "; ids must be strictly ascending)", idAt);
            }
            if (members != null && members.indexOf(nodeId) == NodeRegistry.UNKNOWN)
            {
                throw new MalformedClockException(
                    "unknown node id " + nodeId + " (entry " + i + "; not registered in the target's NodeRegistry)",
                    idAt);
            }
            final int valueAt = position;
            final long value = readVarint("entry value");
            if (value < 0)
            {
                throw new MalformedClockException(
                    "negative value " + value + " (unsigned " + Long.toUnsignedString(value) + ") for node " +
                    nodeId, valueAt);
            }
            if (value == 0)
            {
                throw new MalformedClockException(
                    "zero value for node " + nodeId + " (zero entries are omitted from encodings)", valueAt);
            }
            if (value > found.maxValue())
            {
                throw new MalformedClockException(
                    "value " + value + " for node " + nodeId + " exceeds the largest " + found + " entry " +
                    found.maxValue(), valueAt);
            }
            previousId = nodeId;
        }
        if (!exact)
        {
            return (int)count;
        }
        if (position != limit)
        {
            throw new MalformedClockException(
                (limit - position) + " trailing bytes after a vector clock of " + count + " entries", position);
        }
        kind = found;
        rewind((int)count);
        return (int)count;
    }

    /**
     * Re-reads the header of an encoding validated before, positioning on its first entry.
     */
    void rewind(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.start = offset;
        this.limit = offset + length;
        this.kind = EntryKind.fromFormatByte(buffer.getByte(offset) & 0xFF);
        this.position = offset + 1;
        rewind((int)readVarint("entry count"));
    }

    private void rewind(final int count)
    {
        position = start + 1;
        readVarint("entry count");
        remainingEntries = count;
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
        final long idAndFlag = readVarint("node id");
        entryId = idAndFlag >>> 1;
        entryPruned = (idAndFlag & 1) != 0;
        entryValue = readVarint("entry value");
        return true;
    }

    private long readVarint(final String field)
    {
        final int fieldStart = position;
        int p = position;
        long result = 0;
        int shift = 0;
        for (int n = 0; ; n++)
        {
            if (p >= limit)
            {
                throw new MalformedClockException(
                    "truncated " + field + ": input ends inside a varint started at offset " + fieldStart, p);
            }
            final int b = buffer.getByte(p++) & 0xFF;
            if (n == MAX_VARINT_LENGTH - 1)
            {
                if (b != 1)
                {
                    throw new MalformedClockException(
                        "overlong " + field + " varint: tenth byte 0x" + hex(b) + " (only 0x01 fits in 64 bits)",
                        p - 1);
                }
                result |= 1L << 63;
                break;
            }
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (b == 0 && n > 0)
                {
                    throw new MalformedClockException(
                        "overlong " + field + " varint: " + (n + 1) + " bytes where fewer suffice (final byte 0x00)",
                        fieldStart);
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

    private static String hex(final int b)
    {
        return (b < 0x10 ? "0" : "") + Integer.toHexString(b);
    }
}
