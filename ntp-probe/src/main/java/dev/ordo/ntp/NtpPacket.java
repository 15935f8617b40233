package dev.ordo.ntp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * The RFC 5905 NTP packet header (48 bytes, big-endian), read and written in place in a {@code byte[]} or a
 * {@link ByteBuffer} (heap or direct). Stateless, allocation-free and thread-safe; every accessor reads the
 * field at {@code offset} in the bytes it is given and checks nothing but the bounds (call
 * {@link NtpExchange#acceptReply(ByteBuffer, int, int, long, long, NtpSample)} for a validated reply).
 *
 * <p>No JVM flag is needed: fields are read with {@link VarHandle} views
 * ({@link MethodHandles#byteArrayViewVarHandle}, {@link MethodHandles#byteBufferViewVarHandle}), never through
 * {@code Unsafe}. A {@code ByteBuffer} is addressed with absolute indices: its position, limit and byte order
 * are neither used nor changed (the wire is always big-endian); an index past its limit throws
 * {@link IndexOutOfBoundsException}.
 *
 * <pre>
 *  0 LI(2) VN(3) Mode(3) | 1 stratum | 2 poll | 3 precision (log2 s, signed)
 *  4 root delay (16.16 s) | 8 root dispersion (16.16 s) | 12 reference id (kiss code at stratum 0)
 * 16 reference timestamp | 24 origin timestamp | 32 receive timestamp | 40 transmit timestamp (32.32)
 * </pre>
 */
public final class NtpPacket
{
    /** Length of the header without extension fields or MAC. */
    public static final int LENGTH = 48;
    /** Mode of a client request. */
    public static final int MODE_CLIENT = 3;
    /** Mode of a server reply. */
    public static final int MODE_SERVER = 4;
    /** The version this client sends. */
    public static final int VERSION = 4;
    /** Leap indicator value meaning "clock unsynchronized". */
    public static final int LEAP_UNSYNCHRONIZED = 3;
    /** Stratum of a Kiss-o'-Death reply. */
    public static final int STRATUM_KISS_OF_DEATH = 0;
    /** Highest stratum of a synchronized server (16 means unsynchronized). */
    public static final int MAX_STRATUM = 15;

    /** Byte offset of the leap/version/mode byte. */
    public static final int LI_VN_MODE_OFFSET = 0;
    /** Byte offset of the stratum. */
    public static final int STRATUM_OFFSET = 1;
    /** Byte offset of the poll exponent. */
    public static final int POLL_OFFSET = 2;
    /** Byte offset of the precision exponent. */
    public static final int PRECISION_OFFSET = 3;
    /** Byte offset of the root delay. */
    public static final int ROOT_DELAY_OFFSET = 4;
    /** Byte offset of the root dispersion. */
    public static final int ROOT_DISPERSION_OFFSET = 8;
    /** Byte offset of the reference id. */
    public static final int REFERENCE_ID_OFFSET = 12;
    /** Byte offset of the reference timestamp. */
    public static final int REFERENCE_TIMESTAMP_OFFSET = 16;
    /** Byte offset of the origin timestamp. */
    public static final int ORIGIN_TIMESTAMP_OFFSET = 24;
    /** Byte offset of the receive timestamp. */
    public static final int RECEIVE_TIMESTAMP_OFFSET = 32;
    /** Byte offset of the transmit timestamp. */
    public static final int TRANSMIT_TIMESTAMP_OFFSET = 40;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final VarHandle ARRAY_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle ARRAY_LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BUFFER_INT =
        MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BUFFER_LONG =
        MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private NtpPacket()
    {
    }

    /**
     * Writes a 48-byte NTPv4 client request whose transmit timestamp is {@code transmitTimestamp} and whose
     * other fields are zero (RFC 5905 section 7.3; zero origin/receive/reference fields reveal nothing about
     * the client).
     *
     * @param buffer            at least {@code offset + 48} bytes.
     * @param offset            where the packet starts.
     * @param transmitTimestamp the NTP timestamp the server must echo as origin.
     * @return {@link #LENGTH}.
     * @throws IndexOutOfBoundsException if the packet does not fit.
     */
    public static int encodeRequest(final byte[] buffer, final int offset, final long transmitTimestamp)
    {
        Objects.checkFromIndexSize(offset, LENGTH, buffer.length);
        Arrays.fill(buffer, offset, offset + TRANSMIT_TIMESTAMP_OFFSET, (byte)0);
        buffer[offset + LI_VN_MODE_OFFSET] = (byte)((VERSION << 3) | MODE_CLIENT);
        ARRAY_LONG.set(buffer, offset + TRANSMIT_TIMESTAMP_OFFSET, transmitTimestamp);
        return LENGTH;
    }

    /**
     * Writes a 48-byte NTPv4 client request, as {@link #encodeRequest(byte[], int, long)} does, at absolute
     * index {@code offset} of a heap or direct buffer (position, limit and byte order unchanged).
     *
     * @param buffer            at least {@code offset + 48} bytes before its limit; not read-only.
     * @param offset            where the packet starts.
     * @param transmitTimestamp the NTP timestamp the server must echo as origin.
     * @return {@link #LENGTH}.
     * @throws IndexOutOfBoundsException if the packet does not fit before the limit.
     */
    public static int encodeRequest(final ByteBuffer buffer, final int offset, final long transmitTimestamp)
    {
        Objects.checkFromIndexSize(offset, LENGTH, buffer.limit());
        for (int i = 0; i < TRANSMIT_TIMESTAMP_OFFSET; i += Long.BYTES)
        {
            BUFFER_LONG.set(buffer, offset + i, 0L);
        }
        buffer.put(offset + LI_VN_MODE_OFFSET, (byte)((VERSION << 3) | MODE_CLIENT));
        BUFFER_LONG.set(buffer, offset + TRANSMIT_TIMESTAMP_OFFSET, transmitTimestamp);
        return LENGTH;
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the leap indicator, 0 to 3.
     */
    public static int leapIndicator(final ByteBuffer buffer, final int offset)
    {
        return (buffer.get(offset + LI_VN_MODE_OFFSET) >> 6) & 0x3;
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the leap indicator, 0 to 3.
     */
    public static int leapIndicator(final byte[] buffer, final int offset)
    {
        return (buffer[offset + LI_VN_MODE_OFFSET] >> 6) & 0x3;
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the version number, 0 to 7.
     */
    public static int version(final ByteBuffer buffer, final int offset)
    {
        return (buffer.get(offset + LI_VN_MODE_OFFSET) >> 3) & 0x7;
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the version number, 0 to 7.
     */
    public static int version(final byte[] buffer, final int offset)
    {
        return (buffer[offset + LI_VN_MODE_OFFSET] >> 3) & 0x7;
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the association mode, 0 to 7.
     */
    public static int mode(final ByteBuffer buffer, final int offset)
    {
        return buffer.get(offset + LI_VN_MODE_OFFSET) & 0x7;
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the association mode, 0 to 7.
     */
    public static int mode(final byte[] buffer, final int offset)
    {
        return buffer[offset + LI_VN_MODE_OFFSET] & 0x7;
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the stratum, 0 to 255.
     */
    public static int stratum(final ByteBuffer buffer, final int offset)
    {
        return buffer.get(offset + STRATUM_OFFSET) & 0xFF;
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the stratum, 0 to 255.
     */
    public static int stratum(final byte[] buffer, final int offset)
    {
        return buffer[offset + STRATUM_OFFSET] & 0xFF;
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the poll exponent (log2 seconds), signed.
     */
    public static int poll(final ByteBuffer buffer, final int offset)
    {
        return buffer.get(offset + POLL_OFFSET);
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the poll exponent (log2 seconds), signed.
     */
    public static int poll(final byte[] buffer, final int offset)
    {
        return buffer[offset + POLL_OFFSET];
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the precision exponent (log2 seconds), signed, e.g. -20 for about 1 microsecond.
     */
    public static int precision(final ByteBuffer buffer, final int offset)
    {
        return buffer.get(offset + PRECISION_OFFSET);
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the precision exponent (log2 seconds), signed, e.g. -20 for about 1 microsecond.
     */
    public static int precision(final byte[] buffer, final int offset)
    {
        return buffer[offset + PRECISION_OFFSET];
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the root delay in nanoseconds, rounded up (so bounds built on it never shrink).
     */
    public static long rootDelayNs(final ByteBuffer buffer, final int offset)
    {
        return shortFormatToNanosCeil((int)BUFFER_INT.get(buffer, offset + ROOT_DELAY_OFFSET));
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the root delay in nanoseconds, rounded up (so bounds built on it never shrink).
     */
    public static long rootDelayNs(final byte[] buffer, final int offset)
    {
        return shortFormatToNanosCeil((int)ARRAY_INT.get(buffer, offset + ROOT_DELAY_OFFSET));
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the root dispersion in nanoseconds, rounded up.
     */
    public static long rootDispersionNs(final ByteBuffer buffer, final int offset)
    {
        return shortFormatToNanosCeil((int)BUFFER_INT.get(buffer, offset + ROOT_DISPERSION_OFFSET));
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the root dispersion in nanoseconds, rounded up.
     */
    public static long rootDispersionNs(final byte[] buffer, final int offset)
    {
        return shortFormatToNanosCeil((int)ARRAY_INT.get(buffer, offset + ROOT_DISPERSION_OFFSET));
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the reference id as an unsigned 32-bit value (the kiss code's four ASCII bytes at stratum 0).
     */
    public static long referenceId(final ByteBuffer buffer, final int offset)
    {
        return (int)BUFFER_INT.get(buffer, offset + REFERENCE_ID_OFFSET) & 0xFFFF_FFFFL;
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the reference id as an unsigned 32-bit value (the kiss code's four ASCII bytes at stratum 0).
     */
    public static long referenceId(final byte[] buffer, final int offset)
    {
        return (int)ARRAY_INT.get(buffer, offset + REFERENCE_ID_OFFSET) & 0xFFFF_FFFFL;
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the origin timestamp (the client's transmit timestamp echoed by the server).
     */
    public static long originTimestamp(final ByteBuffer buffer, final int offset)
    {
        return (long)BUFFER_LONG.get(buffer, offset + ORIGIN_TIMESTAMP_OFFSET);
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the origin timestamp (the client's transmit timestamp echoed by the server).
     */
    public static long originTimestamp(final byte[] buffer, final int offset)
    {
        return (long)ARRAY_LONG.get(buffer, offset + ORIGIN_TIMESTAMP_OFFSET);
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the receive timestamp (T2: when the server received the request).
     */
    public static long receiveTimestamp(final ByteBuffer buffer, final int offset)
    {
        return (long)BUFFER_LONG.get(buffer, offset + RECEIVE_TIMESTAMP_OFFSET);
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the receive timestamp (T2: when the server received the request).
     */
    public static long receiveTimestamp(final byte[] buffer, final int offset)
    {
        return (long)ARRAY_LONG.get(buffer, offset + RECEIVE_TIMESTAMP_OFFSET);
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the transmit timestamp (T3: when the server sent the reply).
     */
    public static long transmitTimestamp(final ByteBuffer buffer, final int offset)
    {
        return (long)BUFFER_LONG.get(buffer, offset + TRANSMIT_TIMESTAMP_OFFSET);
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the transmit timestamp (T3: when the server sent the reply).
     */
    public static long transmitTimestamp(final byte[] buffer, final int offset)
    {
        return (long)ARRAY_LONG.get(buffer, offset + TRANSMIT_TIMESTAMP_OFFSET);
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the reference timestamp (when the server's clock was last set).
     */
    public static long referenceTimestamp(final ByteBuffer buffer, final int offset)
    {
        return (long)BUFFER_LONG.get(buffer, offset + REFERENCE_TIMESTAMP_OFFSET);
    }

    /**
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the reference timestamp (when the server's clock was last set).
     */
    public static long referenceTimestamp(final byte[] buffer, final int offset)
    {
        return (long)ARRAY_LONG.get(buffer, offset + REFERENCE_TIMESTAMP_OFFSET);
    }

    /**
     * Converts an NTP short-format value (unsigned 16.16 seconds) to nanoseconds, rounding up.
     *
     * @param shortFormat the raw 32 bits.
     * @return nanoseconds, 0 to about 65 536 s.
     */
    public static long shortFormatToNanosCeil(final int shortFormat)
    {
        final long raw = shortFormat & 0xFFFF_FFFFL;
        final long seconds = raw >>> 16;
        final long fraction = raw & 0xFFFF;
        return seconds * NANOS_PER_SECOND + (fraction * NANOS_PER_SECOND + 0xFFFF) / 0x1_0000;
    }

    /**
     * Converts nanoseconds to the NTP short format, rounding up and saturating at the largest value.
     *
     * @param nanos non-negative nanoseconds.
     * @return the raw 32 bits.
     */
    public static int nanosToShortFormatCeil(final long nanos)
    {
        final long seconds = nanos / NANOS_PER_SECOND;
        if (nanos < 0 || seconds > 0xFFFF)
        {
            return nanos < 0 ? 0 : 0xFFFF_FFFF;
        }
        final long fraction = ((nanos % NANOS_PER_SECOND) * 0x1_0000 + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
        final long raw = (seconds << 16) + fraction;
        return raw > 0xFFFF_FFFFL ? 0xFFFF_FFFF : (int)raw;
    }

    /**
     * The duration of a precision exponent, rounded up: {@code 2^precision} seconds in nanoseconds, at least 1.
     *
     * @param precisionLog2 a precision exponent as carried in the packet.
     * @return nanoseconds, saturating at {@code 2^30} seconds.
     */
    public static long precisionToNanosCeil(final int precisionLog2)
    {
        if (precisionLog2 >= 30)
        {
            return (1L << 30) * NANOS_PER_SECOND;
        }
        if (precisionLog2 >= 0)
        {
            return (1L << precisionLog2) * NANOS_PER_SECOND;
        }
        if (precisionLog2 <= -30)
        {
            return 1;
        }
        final long divisor = 1L << -precisionLog2;
        return Math.max(1, (NANOS_PER_SECOND + divisor - 1) / divisor);
    }

    /**
     * @param kissCode the reference id of a Kiss-o'-Death reply.
     * @return its four ASCII letters, e.g. {@code "RATE"}; non-printable bytes become {@code '?'}.
     */
    public static String kissCodeToString(final long kissCode)
    {
        final char[] chars = new char[4];
        for (int i = 0; i < 4; i++)
        {
            final int c = (int)(kissCode >>> (24 - 8 * i)) & 0xFF;
            chars[i] = c >= 0x20 && c < 0x7F ? (char)c : '?';
        }
        return new String(chars);
    }

    /**
     * @param text four ASCII letters such as {@code "DENY"}.
     * @return the kiss code as carried in the reference id.
     * @throws IllegalArgumentException if {@code text} is not four ASCII characters.
     */
    public static long kissCode(final String text)
    {
        if (text.length() != 4)
        {
            throw new IllegalArgumentException("a kiss code has exactly 4 ASCII letters: \"" + text + "\"");
        }
        long code = 0;
        for (int i = 0; i < 4; i++)
        {
            final char c = text.charAt(i);
            if (c > 0x7F)
            {
                throw new IllegalArgumentException("a kiss code has exactly 4 ASCII letters: \"" + text + "\"");
            }
            code = (code << 8) | c;
        }
        return code;
    }
}
