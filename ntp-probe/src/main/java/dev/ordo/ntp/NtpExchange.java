package dev.ordo.ntp;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The client side of RFC 5905 exchanges with one server: builds requests and validates replies into
 * {@link NtpSample}s. Pure logic over bytes and numbers (no I/O, no clock reads), so it is deterministic in
 * tests and allocates nothing per exchange. Packets live in a {@code byte[]} or a heap or direct
 * {@link ByteBuffer} (absolute indices; position, limit and byte order untouched); no JVM flag is needed.
 *
 * <p>Anti-forgery: the transmit timestamp of each request carries the host's NTP seconds and 32 random
 * fraction bits. chrony randomizes the bits below its clock precision; we randomize the whole fraction
 * because the wire value is never used in a computation (T1 is kept locally at nanosecond resolution), so
 * the extra entropy costs nothing and a blind attacker must guess 2<sup>32</sup> values per request.
 *
 * <p>Validation order (each check is a {@link ReplyCheck}): length, mode 4, version 3 or 4, a request
 * outstanding, origin equals our transmit timestamp; then (the reply is genuine, the request is closed):
 * non-zero transmit, not a replay of the previous transmit, Kiss-o'-Death (stratum 0), leap indicator 3,
 * stratum 1–15, consistent server timestamps, non-negative delay, root distance under 16 s. A Kiss-o'-Death
 * is only believed after the origin check, so a forged kiss cannot silence a server. The source address and
 * port are checked by the caller (a connected {@code DatagramChannel} drops datagrams from anyone else).
 *
 * <p>Not thread-safe: one exchange belongs to one sampling thread.
 */
public final class NtpExchange
{
    /** RFC 5905 PHI: the frequency tolerance assumed for both clocks, 15 ppm. */
    public static final long PHI_PPM = 15;
    /** RFC 5905 MAXDISP: a server with a larger root distance is useless, 16 s. */
    public static final long MAX_ROOT_DISTANCE_NS = 16_000_000_000L;

    private final SplittableRandom random;
    private final long localPrecisionNs;
    private long outstandingTransmit;
    private long outstandingT1EpochNs;
    private long lastServerTransmit;
    private long lastKissCode;

    /**
     * @param seed             seeds the transmit timestamp's random bits; use a secure seed in production
     *                         ({@link NtpProbe} does).
     * @param localPrecisionNs the host's clock reading error (resolution of the epoch clock plus the monotonic
     *                         clock), at least 1 ns.
     * @throws IllegalArgumentException if {@code localPrecisionNs} is not positive.
     */
    public NtpExchange(final long seed, final long localPrecisionNs)
    {
        if (localPrecisionNs <= 0)
        {
            throw new IllegalArgumentException("local precision must be positive: " + localPrecisionNs + " ns");
        }
        this.random = new SplittableRandom(seed);
        this.localPrecisionNs = localPrecisionNs;
    }

    /**
     * Writes a request to send at host epoch time {@code t1EpochNs} and remembers it as outstanding (a previous
     * unanswered request is forgotten: its late reply will be rejected).
     *
     * @param buffer    at least {@code offset + 48} bytes.
     * @param offset    where the packet starts.
     * @param t1EpochNs the host's epoch nanoseconds just before sending.
     * @return the packet length, {@link NtpPacket#LENGTH}.
     * @throws IndexOutOfBoundsException if the packet does not fit (nothing is remembered then).
     */
    public int prepareRequest(final byte[] buffer, final int offset, final long t1EpochNs)
    {
        Objects.checkFromIndexSize(offset, NtpPacket.LENGTH, buffer.length);
        return NtpPacket.encodeRequest(buffer, offset, nextTransmit(t1EpochNs));
    }

    /**
     * Writes a request, as {@link #prepareRequest(byte[], int, long)} does, at absolute index {@code offset}
     * of a heap or direct buffer (position, limit and byte order unchanged).
     *
     * @param buffer    at least {@code offset + 48} bytes before its limit; not read-only.
     * @param offset    where the packet starts.
     * @param t1EpochNs the host's epoch nanoseconds just before sending.
     * @return the packet length, {@link NtpPacket#LENGTH}.
     * @throws IndexOutOfBoundsException if the packet does not fit before the limit (nothing is remembered).
     */
    public int prepareRequest(final ByteBuffer buffer, final int offset, final long t1EpochNs)
    {
        Objects.checkFromIndexSize(offset, NtpPacket.LENGTH, buffer.limit());
        return NtpPacket.encodeRequest(buffer, offset, nextTransmit(t1EpochNs));
    }

    private long nextTransmit(final long t1EpochNs)
    {
        final long seconds = NtpTimestamps.fromEpochNanos(t1EpochNs) & 0xFFFF_FFFF_0000_0000L;
        long transmit = seconds | (random.nextInt() & 0xFFFF_FFFFL);
        if (transmit == 0 || transmit == outstandingTransmit)
        {
            transmit ^= 1;
        }
        outstandingTransmit = transmit;
        outstandingT1EpochNs = t1EpochNs;
        return transmit;
    }

    /**
     * @return the transmit timestamp of the outstanding request, or 0 when none is outstanding.
     */
    public long outstandingTransmitTimestamp()
    {
        return outstandingTransmit;
    }

    /**
     * @return the kiss code of the last Kiss-o'-Death accepted (see {@link NtpPacket#kissCodeToString}), 0 if
     * none.
     */
    public long lastKissCode()
    {
        return lastKissCode;
    }

    /**
     * Validates a datagram as the reply to the outstanding request and, if valid, fills {@code sample}.
     * On any verdict other than {@link ReplyCheck#OK} the sample is left unchanged; when
     * {@link ReplyCheck#answersRequest()} the request is closed and further copies are rejected.
     *
     * @param buffer    the datagram.
     * @param offset    where it starts.
     * @param length    its length in bytes.
     * @param elapsedNs monotonic nanoseconds from just before sending to just after receiving.
     * @param t4MonoNs  the monotonic time just after receiving (recorded in the sample).
     * @param sample    filled on success.
     * @return the verdict ({@link ReplyCheck#TRUNCATED} when fewer than 48 bytes are there).
     */
    public ReplyCheck acceptReply(
        final byte[] buffer,
        final int offset,
        final int length,
        final long elapsedNs,
        final long t4MonoNs,
        final NtpSample sample)
    {
        if (length < NtpPacket.LENGTH || offset < 0 || buffer.length - offset < NtpPacket.LENGTH)
        {
            return ReplyCheck.TRUNCATED;
        }
        return accept(
            buffer[offset + NtpPacket.LI_VN_MODE_OFFSET],
            NtpPacket.stratum(buffer, offset),
            NtpPacket.precision(buffer, offset),
            NtpPacket.rootDelayNs(buffer, offset),
            NtpPacket.rootDispersionNs(buffer, offset),
            NtpPacket.referenceId(buffer, offset),
            NtpPacket.originTimestamp(buffer, offset),
            NtpPacket.receiveTimestamp(buffer, offset),
            NtpPacket.transmitTimestamp(buffer, offset),
            elapsedNs,
            t4MonoNs,
            sample);
    }

    /**
     * Validates a datagram, as {@link #acceptReply(byte[], int, int, long, long, NtpSample)} does, at absolute
     * index {@code offset} of a heap or direct buffer (position, limit and byte order unchanged).
     *
     * @param buffer    the datagram; the bytes from {@code offset} to {@code offset + length} must lie before
     *                  its limit.
     * @param offset    where it starts.
     * @param length    its length in bytes.
     * @param elapsedNs monotonic nanoseconds from just before sending to just after receiving.
     * @param t4MonoNs  the monotonic time just after receiving (recorded in the sample).
     * @param sample    filled on success.
     * @return the verdict ({@link ReplyCheck#TRUNCATED} when fewer than 48 bytes are there).
     */
    public ReplyCheck acceptReply(
        final ByteBuffer buffer,
        final int offset,
        final int length,
        final long elapsedNs,
        final long t4MonoNs,
        final NtpSample sample)
    {
        if (length < NtpPacket.LENGTH || offset < 0 || buffer.limit() - offset < NtpPacket.LENGTH)
        {
            return ReplyCheck.TRUNCATED;
        }
        return accept(
            buffer.get(offset + NtpPacket.LI_VN_MODE_OFFSET),
            NtpPacket.stratum(buffer, offset),
            NtpPacket.precision(buffer, offset),
            NtpPacket.rootDelayNs(buffer, offset),
            NtpPacket.rootDispersionNs(buffer, offset),
            NtpPacket.referenceId(buffer, offset),
            NtpPacket.originTimestamp(buffer, offset),
            NtpPacket.receiveTimestamp(buffer, offset),
            NtpPacket.transmitTimestamp(buffer, offset),
            elapsedNs,
            t4MonoNs,
            sample);
    }

    private ReplyCheck accept(
        final byte liVnMode,
        final int stratum,
        final int precisionLog2,
        final long rootDelayNs,
        final long rootDispersionNs,
        final long referenceId,
        final long origin,
        final long receive,
        final long transmit,
        final long elapsedNs,
        final long t4MonoNs,
        final NtpSample sample)
    {
        if ((liVnMode & 0x7) != NtpPacket.MODE_SERVER)
        {
            return ReplyCheck.NOT_SERVER_MODE;
        }
        final int version = (liVnMode >> 3) & 0x7;
        if (version != 3 && version != 4)
        {
            return ReplyCheck.BAD_VERSION;
        }
        if (outstandingTransmit == 0)
        {
            return ReplyCheck.NO_REQUEST_OUTSTANDING;
        }
        if (origin != outstandingTransmit)
        {
            return ReplyCheck.BOGUS_ORIGIN;
        }
        outstandingTransmit = 0;
        final ReplyCheck verdict = check(liVnMode, version, stratum, precisionLog2, rootDelayNs, rootDispersionNs,
            referenceId, receive, transmit, elapsedNs, t4MonoNs, sample);
        if (verdict != ReplyCheck.ZERO_TRANSMIT)
        {
            lastServerTransmit = transmit;
        }
        return verdict;
    }

    private ReplyCheck check(
        final byte liVnMode,
        final int version,
        final int stratum,
        final int precisionLog2,
        final long rootDelayNs,
        final long rootDispersionNs,
        final long referenceId,
        final long receive,
        final long transmit,
        final long elapsedNs,
        final long t4MonoNs,
        final NtpSample sample)
    {
        if (transmit == 0)
        {
            return ReplyCheck.ZERO_TRANSMIT;
        }
        if (transmit == lastServerTransmit)
        {
            return ReplyCheck.REPLAY;
        }
        if (stratum == NtpPacket.STRATUM_KISS_OF_DEATH)
        {
            lastKissCode = referenceId;
            return ReplyCheck.KISS_OF_DEATH;
        }
        final int leap = (liVnMode >> 6) & 0x3;
        if (leap == NtpPacket.LEAP_UNSYNCHRONIZED)
        {
            return ReplyCheck.UNSYNCHRONIZED;
        }
        if (stratum > NtpPacket.MAX_STRATUM)
        {
            return ReplyCheck.BAD_STRATUM;
        }
        if (receive == 0)
        {
            return ReplyCheck.BAD_TIMESTAMPS;
        }
        final long t1 = outstandingT1EpochNs;
        final long t2 = NtpTimestamps.toEpochNanos(receive);
        final long t3 = NtpTimestamps.toEpochNanos(transmit);
        final long serverHoldNs = t3 - t2;
        final long serverPrecisionNs = NtpPacket.precisionToNanosCeil(precisionLog2);
        if (serverHoldNs < -serverPrecisionNs)
        {
            return ReplyCheck.BAD_TIMESTAMPS;
        }
        final long frequencyErrorNs = (Math.max(0, elapsedNs) * PHI_PPM + 999_999) / 1_000_000;
        // Two NTP-to-ns roundings (0.5 ns each) plus halving the offset sum: 2 ns.
        final long dispersionNs = serverPrecisionNs + localPrecisionNs + frequencyErrorNs + 2;
        final long rawDelayNs = elapsedNs - serverHoldNs;
        if (rawDelayNs < -(serverPrecisionNs + localPrecisionNs + frequencyErrorNs))
        {
            return ReplyCheck.NEGATIVE_DELAY;
        }
        if (rootDelayNs / 2 + rootDispersionNs >= MAX_ROOT_DISTANCE_NS)
        {
            return ReplyCheck.ROOT_DISTANCE_TOO_LARGE;
        }
        final long t4 = t1 + elapsedNs;
        sample.t1EpochNs = t1;
        sample.t2EpochNs = t2;
        sample.t3EpochNs = t3;
        sample.t4EpochNs = t4;
        sample.t4MonoNs = t4MonoNs;
        sample.offsetNs = Math.floorDiv((t2 - t1) + (t3 - t4), 2);
        sample.delayNs = Math.max(0, rawDelayNs);
        sample.dispersionNs = dispersionNs;
        sample.rootDelayNs = rootDelayNs;
        sample.rootDispersionNs = rootDispersionNs;
        sample.referenceId = referenceId;
        sample.stratum = stratum;
        sample.leapIndicator = leap;
        sample.precisionLog2 = precisionLog2;
        sample.version = version;
        return ReplyCheck.OK;
    }
}
