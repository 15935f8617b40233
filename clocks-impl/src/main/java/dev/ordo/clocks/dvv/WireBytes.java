package dev.ordo.clocks.dvv;

import dev.ordo.clocks.api.MalformedClockException;

import java.nio.ByteBuffer;

/**
 * A reusable, bounds-checked reader and writer over either a {@code byte[]} range or a {@link ByteBuffer}
 * range (absolute indices; the buffer's position and limit are never touched). Shared by the DVV and ITC
 * codecs. Allocation-free on every path except the one that throws; error messages are built in cold methods.
 *
 * <p>Varints are unsigned LEB128, minimal length, at most 10 bytes. A varint whose value does not fit in 63
 * bits (it would read as a negative {@code long}) is rejected as "too large", never treated as a small number.
 *
 * <p>Not thread-safe: one instance per owner.
 */
final class WireBytes
{
    /** Longest varint: 10 bytes for 64 bits. */
    static final int MAX_VARINT_LENGTH = 10;

    private byte[] array;
    private ByteBuffer buffer;
    /** Absolute start of the range (for error offsets and lengths). */
    int start;
    /** Next index to read. */
    int position;
    /** Exclusive end of the range. */
    int limit;

    WireBytes wrap(final byte[] src, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset > src.length - length)
        {
            throw rangeError(offset, length, src.length);
        }
        array = src;
        buffer = null;
        start = offset;
        position = offset;
        limit = offset + length;
        return this;
    }

    WireBytes wrap(final ByteBuffer src, final int index, final int length)
    {
        if (index < 0 || length < 0 || index > src.limit() - length)
        {
            throw rangeError(index, length, src.limit());
        }
        array = null;
        buffer = src;
        start = index;
        position = index;
        limit = index + length;
        return this;
    }

    /** Drops the references to the caller's bytes. */
    void release()
    {
        array = null;
        buffer = null;
    }

    int remaining()
    {
        return limit - position;
    }

    int readByte(final String field)
    {
        if (position >= limit)
        {
            throw truncated(field);
        }
        return (array != null ? array[position++] : buffer.get(position++)) & 0xFF;
    }

    /**
     * @param field what is being read, for the error message.
     * @return the varint, in {@code [0, Long.MAX_VALUE]}.
     * @throws MalformedClockException when truncated, over-long, not minimal or above {@code Long.MAX_VALUE}.
     */
    long readVarint(final String field)
    {
        final int begin = position;
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= limit)
            {
                throw truncated(field);
            }
            final int b = (array != null ? array[position++] : buffer.get(position++)) & 0xFF;
            if (shift == 63 && b > 0)
            {
                // 10th byte: bit 63 or beyond, so the value would be negative as a long (or wider than 64 bits).
                throw tooLarge(field, begin);
            }
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (b == 0 && shift > 0)
                {
                    throw notMinimal(field, begin);
                }
                return value;
            }
        }
        throw tooLarge(field, begin);
    }

    /**
     * Reads a count or length and checks it, as an unsigned number, against the bytes that remain, before the
     * caller allocates or loops.
     *
     * @param field         for the error message.
     * @param minBytesEach  the fewest bytes each counted item can take (at least 1).
     * @param hardLimit     an absolute ceiling independent of the input.
     * @return the count, in {@code [0, min(hardLimit, remaining / minBytesEach)]}.
     */
    int readCount(final String field, final int minBytesEach, final int hardLimit)
    {
        final int begin = position;
        final long count = readVarint(field);
        if (count > hardLimit)
        {
            throw countTooLarge(field, count, "the limit " + hardLimit, begin);
        }
        if (count > remaining() / minBytesEach)
        {
            throw countTooLarge(field, count, remaining() + " remaining bytes", begin);
        }
        return (int)count;
    }

    byte[] arrayOrNull()
    {
        return array;
    }

    ByteBuffer bufferOrNull()
    {
        return buffer;
    }

    // ---------------------------------------------------------------- writers

    static int varintLength(final long value)
    {
        // 1 + floor((63 - nlz) / 7) for value > 0; 1 for 0.
        return value == 0 ? 1 : (63 - Long.numberOfLeadingZeros(value)) / 7 + 1;
    }

    static int writeVarint(final byte[] dst, final int offset, final long value)
    {
        int i = offset;
        long v = value;
        while ((v & ~0x7FL) != 0)
        {
            dst[i++] = (byte)((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        dst[i++] = (byte)v;
        return i - offset;
    }

    static int writeVarint(final ByteBuffer dst, final int index, final long value)
    {
        int i = index;
        long v = value;
        while ((v & ~0x7FL) != 0)
        {
            dst.put(i++, (byte)((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        dst.put(i++, (byte)v);
        return i - index;
    }

    static void checkCapacity(final int offset, final int needed, final int capacity)
    {
        if (offset < 0 || needed > capacity - offset)
        {
            throw capacityError(offset, needed, capacity);
        }
    }

    // ---------------------------------------------------------------- cold error builders

    MalformedClockException truncated(final String field)
    {
        return new MalformedClockException(
            "truncated: " + field + " runs past the end of the " + (limit - start) + "-byte encoding", position);
    }

    MalformedClockException error(final String message, final int at)
    {
        return new MalformedClockException(message, at);
    }

    private static MalformedClockException tooLarge(final String field, final int at)
    {
        return new MalformedClockException(field + " is larger than 2^63-1 or its varint is over 10 bytes", at);
    }

    private static MalformedClockException notMinimal(final String field, final int at)
    {
        return new MalformedClockException(field + " is not minimally encoded (trailing zero varint byte)", at);
    }

    private static MalformedClockException countTooLarge(
        final String field, final long count, final String bound, final int at)
    {
        return new MalformedClockException(field + " " + count + " exceeds " + bound, at);
    }

    private static IndexOutOfBoundsException rangeError(final int offset, final int length, final int capacity)
    {
        return new IndexOutOfBoundsException(
            "range offset=" + offset + " length=" + length + " does not fit a capacity of " + capacity);
    }

    private static IndexOutOfBoundsException capacityError(final int offset, final int needed, final int capacity)
    {
        return new IndexOutOfBoundsException(
            "encoding needs " + needed + " bytes at offset " + offset + " but the target holds " + capacity);
    }
}
