package dev.ordo.clocks.monitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A 32-byte header that turns the messages two nodes already exchange into clock measurements for a
 * {@link PeerClockMonitor}, NTP symmetric-mode style: no extra round trips, any transport, any direction.
 *
 * <h2>Layout (big-endian, 4 × 8 bytes)</h2>
 * <pre>
 *   0  transmitEpochNs  the sender's real-time clock when it stamped the message
 *   8  transmitMonoNs   the sender's monotonic clock then (opaque to the receiver, echoed back)
 *  16  echoMonoNs       the transmitMonoNs of the last message the sender received from this receiver
 *  24  holdNs           the sender's monotonic time from receiving that message to stamping this one;
 *                       −1 when it has received nothing from this receiver yet (no echo)
 * </pre>
 * When node B receives a header from A that echoes B's own earlier {@code transmitMonoNs}, B has the four
 * timestamps of a round trip: T4 = B's clock now, T1 = T4 − (B's monotonic now − echoMonoNs),
 * T3 = transmitEpochNs, T2 = T3 − holdNs. Both durations are measured on monotonic clocks, so a step of
 * either real-time clock cannot corrupt the delay; only the offset, which is what is being measured, sees it.
 *
 * <h2>Validation</h2>
 * An echo is used only if it lies between this header's first stamp and now on this node's monotonic clock
 * (so an echo from a previous incarnation of this process, or a made-up one, is dropped) and the hold is not
 * longer than the round trip; the monitor then applies its own checks. A header shorter than 32 bytes is an
 * error ({@link IllegalArgumentException}, nothing recorded).
 *
 * <h2>Concurrency and cost</h2>
 * Thread-safe (one lock per header, then the monitor's); allocation-free; no {@code Unsafe}: {@code byte[]}
 * through a byte-array view {@link VarHandle}, {@link ByteBuffer} through its absolute accessors.
 */
public final class ClockExchangeHeader
{
    /** Encoded length, bytes. */
    public static final int LENGTH = 32;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final PeerClockMonitor monitor;
    private final long[] peerTransmitMonoNs;
    private final long[] receivedAtMonoNs;
    private final boolean[] heard;
    private long firstStampMonoNs = Long.MAX_VALUE;
    private long rejectedEchoes;

    /**
     * @param monitor where the measurements go; its peer indexes are this header's.
     */
    public ClockExchangeHeader(final PeerClockMonitor monitor)
    {
        this.monitor = java.util.Objects.requireNonNull(monitor, "monitor");
        peerTransmitMonoNs = new long[monitor.peers()];
        receivedAtMonoNs = new long[monitor.peers()];
        heard = new boolean[monitor.peers()];
    }

    /**
     * @return the monitor fed by this header.
     */
    public PeerClockMonitor monitor()
    {
        return monitor;
    }

    /**
     * Writes the header of a message about to be sent to {@code peer}. Stamp as late as possible before
     * sending: time spent between the stamp and the send counts as network delay (it widens the bound).
     *
     * @param peer       the receiver's index.
     * @param buffer     the message.
     * @param offset     where the header goes; {@code offset + LENGTH <= buffer.length}.
     * @param nowEpochNs this node's real-time clock now.
     * @param nowMonoNs  this node's monotonic clock now.
     * @return {@link #LENGTH}.
     * @throws IndexOutOfBoundsException if the header does not fit (nothing written).
     */
    public int stamp(final int peer, final byte[] buffer, final int offset, final long nowEpochNs, final long nowMonoNs)
    {
        java.util.Objects.checkFromIndexSize(offset, LENGTH, buffer.length);
        final long echo;
        final long hold;
        synchronized (this)
        {
            checkPeer(peer);
            if (firstStampMonoNs == Long.MAX_VALUE)
            {
                firstStampMonoNs = nowMonoNs;
            }
            echo = heard[peer] ? peerTransmitMonoNs[peer] : 0;
            hold = heard[peer] ? Math.max(0, nowMonoNs - receivedAtMonoNs[peer]) : -1;
        }
        LONGS.set(buffer, offset, nowEpochNs);
        LONGS.set(buffer, offset + 8, nowMonoNs);
        LONGS.set(buffer, offset + 16, echo);
        LONGS.set(buffer, offset + 24, hold);
        return LENGTH;
    }

    /**
     * Same as {@link #stamp(int, byte[], int, long, long)} into a heap or direct buffer at an absolute index,
     * big-endian whatever the buffer's order; the buffer's position is unchanged.
     *
     * @param peer       the receiver's index.
     * @param buffer     the message.
     * @param index      where the header goes.
     * @param nowEpochNs this node's real-time clock now.
     * @param nowMonoNs  this node's monotonic clock now.
     * @return {@link #LENGTH}.
     * @throws IndexOutOfBoundsException if the header does not fit (nothing written).
     */
    public int stamp(final int peer, final ByteBuffer buffer, final int index, final long nowEpochNs, final long nowMonoNs)
    {
        java.util.Objects.checkFromIndexSize(index, LENGTH, buffer.limit());
        final long echo;
        final long hold;
        synchronized (this)
        {
            checkPeer(peer);
            if (firstStampMonoNs == Long.MAX_VALUE)
            {
                firstStampMonoNs = nowMonoNs;
            }
            echo = heard[peer] ? peerTransmitMonoNs[peer] : 0;
            hold = heard[peer] ? Math.max(0, nowMonoNs - receivedAtMonoNs[peer]) : -1;
        }
        final boolean swap = buffer.order() != ByteOrder.BIG_ENDIAN;
        buffer.putLong(index, swap ? Long.reverseBytes(nowEpochNs) : nowEpochNs);
        buffer.putLong(index + 8, swap ? Long.reverseBytes(nowMonoNs) : nowMonoNs);
        buffer.putLong(index + 16, swap ? Long.reverseBytes(echo) : echo);
        buffer.putLong(index + 24, swap ? Long.reverseBytes(hold) : hold);
        return LENGTH;
    }

    /**
     * Reads the header of a message just received from {@code peer}: remembers it for the echo in the next
     * message to that peer, and, when it echoes one of this node's stamps, feeds the round trip to the monitor.
     * Read as early as possible after receiving.
     *
     * @param peer       the sender's index.
     * @param buffer     the message.
     * @param offset     where the header starts.
     * @param length     bytes available from {@code offset}.
     * @param nowEpochNs this node's real-time clock now.
     * @param nowMonoNs  this node's monotonic clock now.
     * @return true when a measurement was fed to the monitor and accepted.
     * @throws IllegalArgumentException if fewer than {@link #LENGTH} bytes are available (nothing recorded).
     */
    public boolean receive(
        final int peer, final byte[] buffer, final int offset, final int length, final long nowEpochNs,
        final long nowMonoNs)
    {
        if (length < LENGTH || offset < 0 || buffer.length - offset < LENGTH)
        {
            throw truncated(length, buffer.length - offset);
        }
        return onReceive(peer, (long)LONGS.get(buffer, offset), (long)LONGS.get(buffer, offset + 8),
            (long)LONGS.get(buffer, offset + 16), (long)LONGS.get(buffer, offset + 24), nowEpochNs, nowMonoNs);
    }

    /**
     * Same as {@link #receive(int, byte[], int, int, long, long)} from a heap or direct buffer at an absolute
     * index; the buffer's position is unchanged.
     *
     * @param peer       the sender's index.
     * @param buffer     the message.
     * @param index      where the header starts.
     * @param nowEpochNs this node's real-time clock now.
     * @param nowMonoNs  this node's monotonic clock now.
     * @return true when a measurement was fed to the monitor and accepted.
     * @throws IllegalArgumentException if fewer than {@link #LENGTH} bytes remain before the limit.
     */
    public boolean receive(
        final int peer, final ByteBuffer buffer, final int index, final long nowEpochNs, final long nowMonoNs)
    {
        if (index < 0 || buffer.limit() - index < LENGTH)
        {
            throw truncated(buffer.limit() - index, buffer.limit() - index);
        }
        final boolean swap = buffer.order() != ByteOrder.BIG_ENDIAN;
        final long transmitEpochNs = buffer.getLong(index);
        final long transmitMonoNs = buffer.getLong(index + 8);
        final long echoMonoNs = buffer.getLong(index + 16);
        final long holdNs = buffer.getLong(index + 24);
        return swap ?
            onReceive(peer, Long.reverseBytes(transmitEpochNs), Long.reverseBytes(transmitMonoNs),
                Long.reverseBytes(echoMonoNs), Long.reverseBytes(holdNs), nowEpochNs, nowMonoNs) :
            onReceive(peer, transmitEpochNs, transmitMonoNs, echoMonoNs, holdNs, nowEpochNs, nowMonoNs);
    }

    private boolean onReceive(
        final int peer, final long transmitEpochNs, final long transmitMonoNs, final long echoMonoNs,
        final long holdNs, final long nowEpochNs, final long nowMonoNs)
    {
        final boolean usable;
        synchronized (this)
        {
            checkPeer(peer);
            peerTransmitMonoNs[peer] = transmitMonoNs;
            receivedAtMonoNs[peer] = nowMonoNs;
            heard[peer] = true;
            if (holdNs < 0)
            {
                return false;
            }
            usable = firstStampMonoNs != Long.MAX_VALUE && echoMonoNs - firstStampMonoNs >= 0 &&
                nowMonoNs - echoMonoNs >= 0 && holdNs <= nowMonoNs - echoMonoNs;
            if (!usable)
            {
                rejectedEchoes++;
                return false;
            }
        }
        final long elapsedNs = nowMonoNs - echoMonoNs;
        return monitor.observe(peer, nowEpochNs - elapsedNs, transmitEpochNs - holdNs, transmitEpochNs, nowEpochNs,
            nowMonoNs);
    }

    /**
     * @return headers whose echo could not be one of this node's stamps (dropped, not fed to the monitor).
     */
    public synchronized long rejectedEchoes()
    {
        return rejectedEchoes;
    }

    private void checkPeer(final int peer)
    {
        if (peer < 0 || peer >= heard.length)
        {
            throw new IllegalArgumentException("peer index " + peer + " is out of range [0, " + heard.length + ")");
        }
    }

    private static IllegalArgumentException truncated(final int length, final int available)
    {
        return new IllegalArgumentException("clock exchange header truncated: " + Math.min(length, available) +
            " bytes, it needs " + LENGTH);
    }
}
