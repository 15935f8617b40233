package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBoundSource;
import dev.ordo.clocks.api.ErrorBounds;
import dev.ordo.clocks.api.OffsetArithmetic;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * An error bound read from the local chronyd's tracking report, the way AWS ClockBound's daemon reads it:
 * <pre>
 *   bound = |current correction| + root delay / 2 + root dispersion      (at the reading)
 *         + maxDrift × (now − reading)                                    (drift since, as DriftErrorBound)
 * </pre>
 * On most Linux hosts chronyd already disciplines the clock; its tracking report says how far the clock
 * can be from true time. This source asks for it on a schedule and publishes it through a
 * {@link DriftErrorBound}, so the staleness rules are that class's: {@link ClockStatus#SYNCHRONIZED} while the
 * last good reading is at most {@code freeRunningAfterNs} old, then {@link ClockStatus#FREE_RUNNING} (still
 * bounded, growing), then unknown after {@code voidAfterNs}. A report with leap status "not synchronised"
 * publishes nothing, so the bound ages towards unknown.
 *
 * <h2>Protocol</h2>
 * chronyd's command protocol (version 6, {@code REQ_TRACKING}, {@code candm.h}) over UDP to its command port
 * (default 127.0.0.1:323; chronyd answers monitoring requests like this one from localhost without
 * authentication). The request is padded to the reply's length, as chronyd requires against amplification.
 * Not over the Unix socket {@code /run/chrony/chronyd.sock}: it is a datagram socket, which Java 17 cannot open
 * without native code (JEP 380 covers stream sockets only), and Ordo needs no JVM flag and no native library.
 * chrony's 32-bit floats (7-bit exponent, 25-bit coefficient) are decoded exactly, and each magnitude is
 * rounded up by one unit in the last place (chronyd rounds to nearest when it encodes) and up to whole
 * nanoseconds, so the bound never shrinks in transit. A reply is only believed if it echoes the request's
 * random sequence number and command and has the expected type, status and length.
 *
 * <h2>Concurrency and cost</h2>
 * {@link #errorBound(long)}, {@link #snapshot()} and {@link #errorBoundFrom(Object, long)} are
 * {@link DriftErrorBound}'s: wait-free and allocation-free; a refresh published while a bounded clock reads is
 * caught by the snapshot check, as with {@link DriftErrorBound}.
 * {@link #refresh()} (one UDP round trip, a few allocations) runs on this source's own daemon thread after
 * {@link #start()}, or on the caller's thread; refreshes are serialized.
 */
public final class ChronyTrackingBound implements ErrorBoundSource, AutoCloseable
{
    /** chronyd's default command port. */
    public static final int DEFAULT_COMMAND_PORT = 323;

    static final int PROTOCOL_VERSION = 6;
    static final int PACKET_REQUEST = 1;
    static final int PACKET_REPLY = 2;
    static final int REQ_TRACKING = 33;
    static final int RPY_TRACKING = 5;
    static final int STATUS_SUCCESS = 0;
    /** Reply: 28-byte header + 76-byte tracking data; the request is padded to the same length. */
    static final int TRACKING_LENGTH = 104;
    static final int LEAP_UNSYNCHRONISED = 3;

    private final InetSocketAddress address;
    private final long refreshIntervalNs;
    private final int timeoutMs;
    private final LongSupplier monoClock;
    private final DriftErrorBound drift;
    private final SecureRandom random = new SecureRandom();
    private final Object refreshLock = new Object();
    private ScheduledExecutorService scheduler;
    private volatile Report lastReport;
    private volatile String lastFailure;
    private volatile long refreshes;
    private volatile long failures;

    private ChronyTrackingBound(final Builder builder)
    {
        address = builder.address;
        refreshIntervalNs = builder.refreshIntervalNs;
        timeoutMs = (int)Math.max(1, TimeUnit.NANOSECONDS.toMillis(builder.timeoutNs));
        monoClock = builder.monoClock;
        drift = new DriftErrorBound(builder.maxDriftPpb, builder.freeRunningAfterNs, builder.voidAfterNs);
    }

    /**
     * @return a builder with ClockBound-like defaults (127.0.0.1:323, refresh every second, 15 ppm drift,
     * free-running after 10 s without a good reading, unknown after 60 s).
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Starts refreshing on a daemon thread every {@code refreshIntervalNs}, the first time at once. Failures
     * are counted and kept in {@link #lastFailure()}; they never stop the schedule. Idempotent.
     *
     * @return this source.
     */
    public synchronized ChronyTrackingBound start()
    {
        if (scheduler == null)
        {
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable ->
            {
                final Thread thread = new Thread(runnable, "ordo-chrony-tracking");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, refreshIntervalNs, TimeUnit.NANOSECONDS);
        }
        return this;
    }

    private void refreshQuietly()
    {
        try
        {
            refresh();
        }
        catch (final IOException | RuntimeException ex)
        {
            // counted and kept by refresh(); the schedule goes on
        }
    }

    /**
     * Reads chronyd's tracking once and, if chronyd is synchronised, publishes the bound.
     *
     * @return the report read.
     * @throws IOException naming the cause (no answer within the timeout, port unreachable, a reply that
     *                     fails validation, a status other than success); nothing is published.
     */
    public Report refresh() throws IOException
    {
        synchronized (refreshLock)
        {
            try
            {
                final Report report = query();
                lastReport = report;
                refreshes++;
                if (report.synchronised())
                {
                    drift.updateBound(report.boundNs(), report.readAtMonoNs());
                }
                return report;
            }
            catch (final IOException | RuntimeException ex)
            {
                failures++;
                lastFailure = ex.getMessage();
                throw ex;
            }
        }
    }

    private Report query() throws IOException
    {
        final byte[] request = new byte[TRACKING_LENGTH];
        final int sequence = random.nextInt();
        final ByteBuffer out = ByteBuffer.wrap(request);
        out.put(0, (byte)PROTOCOL_VERSION).put(1, (byte)PACKET_REQUEST).putShort(4, (short)REQ_TRACKING)
            .putShort(6, (short)0).putInt(8, sequence);
        final byte[] reply = new byte[512];
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bindAddressFor(address), 0)))
        {
            socket.connect(address);
            socket.setSoTimeout(timeoutMs);
            final long sentMonoNs = monoClock.getAsLong();
            socket.send(new DatagramPacket(request, request.length));
            final DatagramPacket packet = new DatagramPacket(reply, reply.length);
            while (true)
            {
                try
                {
                    socket.receive(packet);
                }
                catch (final SocketTimeoutException ex)
                {
                    throw new IOException("chronyd did not answer a tracking request at " + describe(address) +
                        " within " + timeoutMs + " ms (is chronyd running, with cmdport enabled?)", ex);
                }
                catch (final java.net.PortUnreachableException ex)
                {
                    throw new IOException("nothing listens at " + describe(address) + " (chronyd's cmdport)", ex);
                }
                // A datagram with another sequence number is a late reply to an earlier request: skip it.
                if (packet.getLength() >= 20 && ByteBuffer.wrap(reply).getInt(16) != sequence)
                {
                    continue;
                }
                // The reading refers to a moment between send and receive: date it at the send, so drift
                // since then is over-, never under-counted.
                return parse(reply, packet.getLength(), sequence, sentMonoNs);
            }
        }
    }

    private static InetAddress bindAddressFor(final InetSocketAddress address) throws IOException
    {
        return address.getAddress() != null && address.getAddress().isLoopbackAddress() ?
            address.getAddress() : InetAddress.getByName("0.0.0.0");
    }

    private static String describe(final InetSocketAddress address)
    {
        return (address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress()) +
            ":" + address.getPort();
    }

    /**
     * Validates and decodes a tracking reply.
     *
     * @param reply      the datagram.
     * @param length     its length.
     * @param sequence   the request's sequence number.
     * @param readMonoNs the monotonic time to date the reading at.
     * @return the report.
     * @throws IOException naming what is wrong with the reply.
     */
    static Report parse(final byte[] reply, final int length, final int sequence, final long readMonoNs)
        throws IOException
    {
        if (length < 28)
        {
            throw new IOException("chronyd reply truncated: " + length + " bytes, a header needs 28");
        }
        final ByteBuffer in = ByteBuffer.wrap(reply, 0, length);
        if (in.get(0) != PROTOCOL_VERSION || in.get(1) != PACKET_REPLY)
        {
            throw new IOException("not a chronyd command reply of protocol version 6 (version " + in.get(0) +
                ", packet type " + in.get(1) + ")");
        }
        if (in.getInt(16) != sequence)
        {
            throw new IOException("chronyd reply answers another request (sequence " + in.getInt(16) + ")");
        }
        final int status = in.getShort(8) & 0xFFFF;
        if (status != STATUS_SUCCESS)
        {
            throw new IOException("chronyd refused the tracking request with status " + status +
                (status == 2 ? " (unauthorised: allow this host with cmdallow)" : ""));
        }
        if ((in.getShort(4) & 0xFFFF) != REQ_TRACKING || (in.getShort(6) & 0xFFFF) != RPY_TRACKING)
        {
            throw new IOException("chronyd replied to command " + (in.getShort(4) & 0xFFFF) + " with reply type " +
                (in.getShort(6) & 0xFFFF) + ", not a tracking report");
        }
        if (length < TRACKING_LENGTH)
        {
            throw new IOException("chronyd tracking reply truncated: " + length + " bytes, it needs " + TRACKING_LENGTH);
        }
        final long referenceId = in.getInt(28) & 0xFFFF_FFFFL;
        final int stratum = in.getShort(52) & 0xFFFF;
        final int leapStatus = in.getShort(54) & 0xFFFF;
        final long secondsHigh = in.getInt(56) & 0xFFFF_FFFFL;
        final long secondsLow = in.getInt(60) & 0xFFFF_FFFFL;
        final long nanos = in.getInt(64) & 0xFFFF_FFFFL;
        final long seconds = (secondsHigh == 0x7FFF_FFFFL ? 0 : secondsHigh << 32) | secondsLow;
        final long refTimeEpochNs = seconds > 9_000_000_000L || nanos >= 1_000_000_000L ? 0 :
            seconds * 1_000_000_000L + nanos;
        final int correction = in.getInt(68);
        return new Report(referenceId, stratum, leapStatus, refTimeEpochNs,
            Math.round(floatValue(correction) * 1e9), magnitudeUpNs(correction),
            magnitudeUpNs(in.getInt(92)), magnitudeUpNs(in.getInt(96)),
            floatValue(in.getInt(80)), floatValue(in.getInt(88)), readMonoNs);
    }

    /**
     * Decodes chrony's 32-bit float: {@code coefficient × 2^(exponent − 25)}, 7-bit signed exponent in the top
     * bits, 25-bit signed coefficient below.
     *
     * @param raw the network value.
     * @return its value.
     */
    static double floatValue(final int raw)
    {
        final int exponent = (raw >> 25) - 25; // arithmetic shift sign-extends the 7-bit exponent
        final int coefficient = (raw << 7) >> 7;
        return Math.scalb((double)coefficient, exponent);
    }

    /**
     * @param raw a chrony float.
     * @return its magnitude plus one unit in the last place, in nanoseconds rounded up: never less than the
     * value chronyd meant before it rounded it to 25 bits.
     */
    static long magnitudeUpNs(final int raw)
    {
        final int exponent = (raw >> 25) - 25;
        final long coefficient = Math.abs((long)((raw << 7) >> 7)) + 1;
        final double ns = Math.scalb((double)coefficient, exponent) * 1e9;
        if (!(ns < 1e18))
        {
            return ErrorBounds.MAX_BOUND_NS;
        }
        return (long)Math.ceil(ns) + 1; // + 1 ns for the double arithmetic
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long errorBound(final long monotonicNs)
    {
        return drift.errorBound(monotonicNs);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@link DriftErrorBound#snapshot()} of {@link #drift()}.
     */
    @Override
    public Object snapshot()
    {
        return drift.snapshot();
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@link DriftErrorBound#errorBoundFrom(Object, long)} of {@link #drift()}.
     */
    @Override
    public long errorBoundFrom(final Object snapshot, final long monotonicNs)
    {
        return drift.errorBoundFrom(snapshot, monotonicNs);
    }

    /**
     * @return the drift model the readings feed (e.g. to read its last sync).
     */
    public DriftErrorBound drift()
    {
        return drift;
    }

    /**
     * @return the last report read, or null before the first successful refresh.
     */
    public Report lastReport()
    {
        return lastReport;
    }

    /**
     * @return the message of the last failed refresh, or null if none failed.
     */
    public String lastFailure()
    {
        return lastFailure;
    }

    /**
     * @return successful refreshes.
     */
    public long refreshes()
    {
        return refreshes;
    }

    /**
     * @return failed refreshes.
     */
    public long failures()
    {
        return failures;
    }

    /**
     * Stops the refresh thread; the bound then ages as without chronyd. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (scheduler != null)
        {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public String toString()
    {
        return "ChronyTrackingBound{" + describe(address) + ", refreshes=" + refreshes + ", failures=" + failures +
            ", last=" + lastReport + ", bound=" + ErrorBounds.toString(errorBound(monoClock.getAsLong())) + "}";
    }

    /**
     * One tracking report, in nanoseconds, rounded so the bound is never understated. Immutable.
     *
     * @param referenceId        chronyd's reference id (the selected source's IPv4 address, or a code).
     * @param stratum            its stratum.
     * @param leapStatus         0 normal, 1 insert second, 2 delete second, 3 not synchronised.
     * @param refTimeEpochNs     when chronyd last updated its estimate, epoch ns (0 if never).
     * @param correctionNs       chronyd's current correction, true time minus the system clock (positive: the
     *                           clock is slow), rounded to nearest.
     * @param correctionBoundNs  |correction| rounded up, plus its encoding error.
     * @param rootDelayNs        root delay, rounded up.
     * @param rootDispersionNs   root dispersion (grown to the report's time by chronyd), rounded up.
     * @param frequencyPpm       the clock's frequency error chronyd has measured, ppm.
     * @param skewPpm            chronyd's estimate of the error of that frequency, ppm.
     * @param readAtMonoNs       monotonic time of the request (the reading is dated at it).
     */
    public record Report(
        long referenceId,
        int stratum,
        int leapStatus,
        long refTimeEpochNs,
        long correctionNs,
        long correctionBoundNs,
        long rootDelayNs,
        long rootDispersionNs,
        double frequencyPpm,
        double skewPpm,
        long readAtMonoNs)
    {
        /**
         * @return true unless chronyd says it is not synchronised.
         */
        public boolean synchronised()
        {
            return leapStatus != LEAP_UNSYNCHRONISED;
        }

        /**
         * @return ClockBound's bound at the reading: |correction| + ⌈root delay / 2⌉ + root dispersion, ns.
         */
        public long boundNs()
        {
            return OffsetArithmetic.saturatedAdd(OffsetArithmetic.saturatedAdd(correctionBoundNs,
                OffsetArithmetic.halfUp(rootDelayNs)), rootDispersionNs);
        }
    }

    /** Settings of a {@link ChronyTrackingBound}; each checked when set. Not thread-safe. */
    public static final class Builder
    {
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
            DEFAULT_COMMAND_PORT);
        private long refreshIntervalNs = 1_000_000_000L;
        private long timeoutNs = 500_000_000L;
        private long maxDriftPpb = DriftErrorBound.NTP_PHI_PPB;
        private long freeRunningAfterNs = 10_000_000_000L;
        private long voidAfterNs = 60_000_000_000L;
        private LongSupplier monoClock = System::nanoTime;

        private Builder()
        {
        }

        /**
         * @param commandAddress chronyd's command address (its {@code bindcmdaddress} and {@code cmdport}).
         * @return this builder.
         */
        public Builder address(final InetSocketAddress commandAddress)
        {
            this.address = Objects.requireNonNull(commandAddress, "commandAddress");
            return this;
        }

        /**
         * @param ns how often to read the tracking report, {@code > 0}; default 1 s.
         * @return this builder.
         * @throws IllegalArgumentException if not positive.
         */
        public Builder refreshIntervalNs(final long ns)
        {
            this.refreshIntervalNs = positive("refreshIntervalNs", ns);
            return this;
        }

        /**
         * @param ns how long to wait for chronyd's answer, {@code > 0}; default 500 ms.
         * @return this builder.
         * @throws IllegalArgumentException if not positive.
         */
        public Builder timeoutNs(final long ns)
        {
            this.timeoutNs = positive("timeoutNs", ns);
            return this;
        }

        /**
         * @param ppb maximum drift rate of the local oscillator since a reading; default 15 ppm.
         * @return this builder.
         */
        public Builder maxDriftPpb(final long ppb)
        {
            this.maxDriftPpb = ppb;
            return this;
        }

        /**
         * @param freeRunningAfterNs age of the last good reading after which the status is free-running.
         * @param voidAfterNs        age after which the bound is unknown.
         * @return this builder (the values are checked by {@link DriftErrorBound} when built).
         */
        public Builder staleness(final long freeRunningAfterNs, final long voidAfterNs)
        {
            this.freeRunningAfterNs = freeRunningAfterNs;
            this.voidAfterNs = voidAfterNs;
            return this;
        }

        /**
         * @param clock the monotonic clock readings are dated on; must be the clock that later passes
         *              {@code monotonicNs} to {@link ChronyTrackingBound#errorBound(long)}. Default
         *              {@link System#nanoTime()}.
         * @return this builder.
         */
        public Builder monoClock(final LongSupplier clock)
        {
            this.monoClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the source (not started: call {@link ChronyTrackingBound#start()} or
         * {@link ChronyTrackingBound#refresh()}).
         * @throws IllegalArgumentException if the drift or staleness settings are invalid.
         */
        public ChronyTrackingBound build()
        {
            return new ChronyTrackingBound(this);
        }

        private static long positive(final String name, final long ns)
        {
            if (ns <= 0)
            {
                throw new IllegalArgumentException(name + " must be positive: " + ns);
            }
            return ns;
        }
    }
}
