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
 *   8  transmitMonoNs   the sender's monotonic clock then, plus a random constant of the sender's header
 *                       (opaque to the receiver, echoed back)
 *  16  echoMonoNs       the transmitMonoNs of the last message the sender received from this receiver
 *  24  holdNs           the sender's monotonic time from receiving that message to stamping this one;
 *                       −1 when it has received nothing from this receiver yet, or the stamp's monotonic
 *                       reading predates the last receipt (no echo)
 * </pre>
 * When node B receives a header from A that echoes B's own earlier {@code transmitMonoNs}, B has the four
 * timestamps of a round trip: T4 = B's clock now, T1 = T4 − (B's monotonic now − echoMonoNs),
 * T3 = transmitEpochNs, T2 = T3 − holdNs. Both durations are measured on monotonic clocks, so a step of
 * either real-time clock cannot corrupt the delay; only the offset, which is what is being measured, sees it.
 *
 * <h2>Reading the clocks: the order matters</h2>
 * Each call takes a real-time and a monotonic reading, and the header treats them as taken at the same
 * instant. They never are, and a pause between them (a GC, a descheduled thread: tens to hundreds of
 * milliseconds on a loaded machine) is harmless in one order and breaks the bound in the other:
 * <ul>
 *   <li>{@link #stamp}: read the <em>monotonic clock first</em>, then the real-time clock. The peer derives
 *       T2 = T3 − hold from them; a monotonic reading taken a pause d after the real-time one puts T2 d too
 *       early and shrinks the delay, hence the bound, by d, and the estimate can be off by up to d beyond
 *       its bound. In this order the pause only counts as time the message was held (a wider bound).</li>
 *   <li>{@link #receive}: read the <em>real-time clock first</em>, then the monotonic clock. T1 is derived
 *       as T4 − (monotonic now − echo); a monotonic reading taken a pause d before the real-time one puts T1
 *       d too late. In this order the pause only lengthens the measured round trip.</li>
 * </ul>
 * Note that {@code header.stamp(peer, bytes, 0, epochClock.nanoTime(), System.nanoTime())} evaluates its
 * arguments left to right: the wrong order for a stamp; read the monotonic clock into a local first.
 * A stamp whose monotonic reading is older than the last message received from that peer (another thread
 * received it between this thread's readings and its stamp) goes out without an echo, as if nothing had been
 * received yet (counted by {@link #staleStamps()}): echoing that message would claim it arrived before it was
 * sent.
 *
 * <h2>Validation</h2>
 * An echo is used only if it lies between the earliest monotonic reading this header stamped (not necessarily
 * the first stamp's: threads may stamp out of reading order) and now on this node's monotonic clock, and the
 * hold is neither negative nor longer than the round trip (a hold of −1 means no echo; any other negative one
 * is counted as rejected); the monitor then applies its own checks. The monotonic readings go
 * out offset by a random constant drawn when the header is made, so an echo from a previous incarnation of this
 * process (even one whose monotonic clock started again from 0: a reboot, a restored checkpoint) or a made-up
 * one almost surely decodes outside that window and is dropped (the chance that one lands inside is the
 * window's length over 2<sup>64</sup> ns). A header shorter than 32 bytes is an error
 * ({@link IllegalArgumentException}, nothing recorded).
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
    private final long salt = new java.security.SecureRandom().nextLong(); // added to transmitted readings
    private long firstStampMonoNs = Long.MAX_VALUE; // the earliest monotonic reading stamped
    private long rejectedEchoes;
    private long staleStamps;

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
     * sending: time spent between the stamp and the send counts as network delay (it widens the bound). Read
     * {@code nowMonoNs} <em>before</em> {@code nowEpochNs} (see the class comment).
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
            if (firstStampMonoNs == Long.MAX_VALUE || nowMonoNs - firstStampMonoNs < 0)
            {
                firstStampMonoNs = nowMonoNs; // the earliest reading stamped, whichever thread stamped first
            }
            hold = holdLocked(peer, nowMonoNs);
            echo = hold >= 0 ? peerTransmitMonoNs[peer] : 0;
        }
        LONGS.set(buffer, offset, nowEpochNs);
        LONGS.set(buffer, offset + 8, nowMonoNs + salt);
        LONGS.set(buffer, offset + 16, echo);
        LONGS.set(buffer, offset + 24, hold);
        return LENGTH;
    }

    /**
     * Same as {@link #stamp(int, byte[], int, long, long)} into a heap or direct buffer at an absolute index,
     * big-endian whatever the buffer's order; the buffer's position is unchanged. Read {@code nowMonoNs}
     * <em>before</em> {@code nowEpochNs}.
     *
     * @param peer       the receiver's index.
     * @param buffer     the message.
     * @param index      where the header goes.
     * @param nowEpochNs this node's real-time clock now.
     * @param nowMonoNs  this node's monotonic clock now.
     * @return {@link #LENGTH}.
     * @throws IndexOutOfBoundsException     if the header does not fit (nothing written, nothing counted).
     * @throws java.nio.ReadOnlyBufferException if the buffer is read-only (nothing written, nothing counted).
     */
    public int stamp(final int peer, final ByteBuffer buffer, final int index, final long nowEpochNs, final long nowMonoNs)
    {
        java.util.Objects.checkFromIndexSize(index, LENGTH, buffer.limit());
        if (buffer.isReadOnly())
        {
            throw new java.nio.ReadOnlyBufferException(); // before any state changes: no stamp counted or remembered
        }
        final long echo;
        final long hold;
        synchronized (this)
        {
            checkPeer(peer);
            if (firstStampMonoNs == Long.MAX_VALUE || nowMonoNs - firstStampMonoNs < 0)
            {
                firstStampMonoNs = nowMonoNs; // the earliest reading stamped, whichever thread stamped first
            }
            hold = holdLocked(peer, nowMonoNs);
            echo = hold >= 0 ? peerTransmitMonoNs[peer] : 0;
        }
        final boolean swap = buffer.order() != ByteOrder.BIG_ENDIAN;
        buffer.putLong(index, swap ? Long.reverseBytes(nowEpochNs) : nowEpochNs);
        final long transmitMonoNs = nowMonoNs + salt;
        buffer.putLong(index + 8, swap ? Long.reverseBytes(transmitMonoNs) : transmitMonoNs);
        buffer.putLong(index + 16, swap ? Long.reverseBytes(echo) : echo);
        buffer.putLong(index + 24, swap ? Long.reverseBytes(hold) : hold);
        return LENGTH;
    }

    /**
     * Reads the header of a message just received from {@code peer}: remembers it for the echo in the next
     * message to that peer, and, when it echoes one of this node's stamps, feeds the round trip to the monitor.
     * Read as early as possible after receiving, {@code nowEpochNs} <em>before</em> {@code nowMonoNs} (see the
     * class comment).
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
     * index; the buffer's position is unchanged. Read {@code nowEpochNs} <em>before</em> {@code nowMonoNs}.
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

    /**
     * The hold to send to {@code peer}: monotonic time since its last message was received, or −1 (no echo)
     * when nothing was received yet or the stamp's reading predates that receipt (then the readings were taken
     * before the echoed message arrived, perhaps before it was sent: echoing it would give the peer a T2
     * earlier than its T1 and an estimate beyond its bound).
     */
    private long holdLocked(final int peer, final long nowMonoNs)
    {
        if (!heard[peer])
        {
            return -1;
        }
        final long hold = nowMonoNs - receivedAtMonoNs[peer];
        if (hold < 0)
        {
            staleStamps++;
            return -1;
        }
        return hold;
    }

    private boolean onReceive(
        final int peer, final long transmitEpochNs, final long transmitMonoNs, final long echoedNs,
        final long holdNs, final long nowEpochNs, final long nowMonoNs)
    {
        final long echoMonoNs = echoedNs - salt; // this header's reading, if the echo is one of its stamps
        final boolean usable;
        synchronized (this)
        {
            checkPeer(peer);
            peerTransmitMonoNs[peer] = transmitMonoNs;
            receivedAtMonoNs[peer] = nowMonoNs;
            heard[peer] = true;
            if (holdNs == -1)
            {
                return false; // no echo
            }
            usable = holdNs >= 0 && firstStampMonoNs != Long.MAX_VALUE && echoMonoNs - firstStampMonoNs >= 0 &&
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
     * @return stamps sent without an echo because their monotonic reading predated the last receipt from that
     * peer (another thread received a message between the caller's clock readings and its stamp).
     */
    public synchronized long staleStamps()
    {
        return staleStamps;
    }

    /**
     * @return headers whose echo could not be one of this node's stamps, or whose hold is negative but not −1
     * (dropped, not fed to the monitor).
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
