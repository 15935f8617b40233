package dev.ordo.clocks.api;

/**
 * Thrown when bytes that should hold an encoded clock do not: truncated input, a count larger than the
 * buffer, an unknown format byte, a duplicate, unordered or unknown node id, a counter out of range, an
 * overlong varint, or bytes left over after the clock. It is the only exception decoding untrusted bytes
 * throws; the message names the bad value and where it was found.
 *
 * <p>The clock (or flyweight) being decoded into is left exactly as it was before the call.
 */
public class MalformedClockException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /** Byte offset, from the start of the encoding, where decoding found the problem. */
    private final int offset;

    /**
     * @param message what is wrong, naming the bad value.
     * @param offset  absolute buffer offset of the offending byte (or of the start of the offending field).
     */
    public MalformedClockException(final String message, final int offset)
    {
        super(message + " (at buffer offset " + offset + ")");
        this.offset = offset;
    }

    /**
     * @return absolute buffer offset of the offending byte or field.
     */
    public int offset()
    {
        return offset;
    }
}
