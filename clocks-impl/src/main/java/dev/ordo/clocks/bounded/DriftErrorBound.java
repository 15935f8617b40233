package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBoundSource;
import dev.ordo.clocks.api.ErrorBounds;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An error bound that grows from the last synchronization at a maximum drift rate, the model of AWS
 * ClockBound and Meta's fbclock:
 * <pre>
 *   bound(m) = |offset correction| + root delay / 2 + root dispersion          (at the sync, monotonic time s)
 *            + maxDrift * |m - s| / (1 - maxDrift)                             (drift since then)
 * </pre>
 * where {@code m} is the monotonic time of the read. The {@code 1 / (1 - maxDrift)} factor (a few parts per
 * million) accounts for the monotonic clock running on the same drifting oscillator as the real-time clock:
 * {@code m - s} can under-count true elapsed time by up to that factor. Every rounding goes up: the drift term
 * is computed without division from {@code k = ceil(2^64 * maxDrift / (1 - maxDrift))}, fixed at construction:
 * {@code floor(elapsed * k / 2^64) + 1} on the read path ({@link #driftNs(long)}: {@code ceil(elapsed * k /
 * 2^64)}), never below the exact value and at most 1 ns above its ceiling (drift rates of a third or more, and
 * absurd bounds, fall back to exact, saturating arithmetic).
 *
 * <p>Status: {@link ClockStatus#UNKNOWN} before the first sync; {@link ClockStatus#SYNCHRONIZED} while the
 * last sync is at most {@code freeRunningAfterNs} old; {@link ClockStatus#FREE_RUNNING} (the bound still
 * holds, and keeps growing) until it is {@code voidAfterNs} old; {@link ClockStatus#UNKNOWN} after that;
 * {@link ClockStatus#DISRUPTED} from {@link #markDisrupted(long)} until a newer sync. A read whose monotonic
 * time is before the sync by more than {@link #MAX_BACKWARD_NS} means the monotonic clocks do not agree
 * (a causality breach) and reports {@link ClockStatus#UNKNOWN}; a smaller backward distance is legitimate
 * (the read raced with an update) and is charged as drift like a forward one.
 *
 * <p><b>Before the first sync</b> every read is {@link ClockStatus#UNKNOWN}, so an untimed
 * {@code commitWait} on a clock built on this source blocks until the first sync is published (forever, if
 * none ever comes). Wait for it with a deadline first: {@link #awaitFirstSync(Duration)}; or use the timed
 * {@code commitWait}.
 *
 * <p><b>Input that could wedge it is refused</b> (an {@link IllegalArgumentException} naming the value; the
 * state is unchanged): a sync or a disruption stamped later than the monotonic clock's current reading (it
 * would make every real sync look older than it for as long as the stamp is ahead), negative delays,
 * dispersions and bounds. The monotonic clock (by default {@link SystemNanoClock}) must be the one the sync
 * times are taken on.
 *
 * <p>Feeding it: call {@link #update(long, long, long, long)} with each new sync result, e.g. from an NTP
 * probe or from chrony's tracking report. Root delay and root dispersion are the client's values as
 * RFC 5905 defines them (server's root delay plus the measured round-trip delay; server's root dispersion
 * plus the client's own dispersion), which is what chrony reports.
 *
 * <p>Concurrency contract: {@link #errorBound(long)} is thread-safe, wait-free and allocation-free (one
 * acquire read of an immutable sync record, two multiplications, no division). {@link #snapshot()} is that
 * acquire read, and {@link #errorBoundFrom(Object, long)} one more of the same field to check that no sync or
 * disruption was published in between (a bounded clock reads the record before its real-time read and checks it
 * after its monotonic read, see {@link ErrorBoundedClock}). {@link #update}, {@link #updateBound} and
 * {@link #markDisrupted} may be called from any thread at any time; each publishes one new immutable record
 * (one small allocation per sync, off the hot path) with a compare-and-set, so concurrent updaters never lose
 * a newer sync to an older one: a sync older than the current one is ignored.
 */
public final class DriftErrorBound implements ErrorBoundSource
{
    /** RFC 5905's frequency tolerance PHI, 15 ppm: a conservative default maximum drift rate. */
    public static final long NTP_PHI_PPB = 15_000L;

    /** Largest distance a read's monotonic time may be before the sync's and still be trusted. */
    public static final long MAX_BACKWARD_NS = 1_000_000_000L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(DriftErrorBound.class, "state", Sync.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final long SYNCHRONIZED_BITS = ErrorBounds.of(0, ClockStatus.SYNCHRONIZED);
    private static final long FREE_RUNNING_BITS = ErrorBounds.of(0, ClockStatus.FREE_RUNNING);
    private static final long DISRUPTED = ErrorBounds.of(ErrorBounds.MAX_BOUND_NS, ClockStatus.DISRUPTED);
    /** Bounds and drifts below this stay below MAX_BOUND_NS when added: the fast path needs no clamp. */
    private static final long FAST_LIMIT_NS = 1L << 60;

    private final long maxDriftPpb;
    private final long driftDenominator;
    /** ceil(2^64 * maxDrift / (1 - maxDrift)), or -1 when that does not fit a positive long (exact path). */
    private final long driftMultiplier;
    private final long freeRunningAfterNs;
    private final long voidAfterNs;
    /** voidAfterNs when the fast path can serve every age up to it (drift below 2^60 ns), else 0. */
    private final long fastVoidAfterNs;
    private final NanoClock monotonicClock;
    private final CountDownLatch firstSync = new CountDownLatch(1);

    @SuppressWarnings("unused") // accessed through STATE
    private volatile Sync state;

    /**
     * @param maxDriftPpb        maximum drift rate of the local oscillator, parts per billion
     *                           ({@code 15 ppm = 15_000 ppb}), {@code 0 <= maxDriftPpb < 1_000_000_000}.
     * @param freeRunningAfterNs age of the last sync after which the status is {@link ClockStatus#FREE_RUNNING},
     *                           {@code >= 0}.
     * @param voidAfterNs        age of the last sync after which the status is {@link ClockStatus#UNKNOWN},
     *                           {@code >= freeRunningAfterNs}.
     * @throws IllegalArgumentException naming the bad value.
     */
    public DriftErrorBound(final long maxDriftPpb, final long freeRunningAfterNs, final long voidAfterNs)
    {
        this(maxDriftPpb, freeRunningAfterNs, voidAfterNs, SystemNanoClock.INSTANCE);
    }

    /**
     * @param maxDriftPpb        maximum drift rate of the local oscillator, parts per billion
     *                           ({@code 15 ppm = 15_000 ppb}), {@code 0 <= maxDriftPpb < 1_000_000_000}.
     * @param freeRunningAfterNs age of the last sync after which the status is {@link ClockStatus#FREE_RUNNING},
     *                           {@code >= 0}.
     * @param voidAfterNs        age of the last sync after which the status is {@link ClockStatus#UNKNOWN},
     *                           {@code >= freeRunningAfterNs}.
     * @param monotonicClock     the monotonic clock sync times are taken on; used only to refuse stamps from
     *                           the future (never on the read path).
     * @throws IllegalArgumentException naming the bad value.
     * @throws NullPointerException     if {@code monotonicClock} is null.
     */
    public DriftErrorBound(
        final long maxDriftPpb, final long freeRunningAfterNs, final long voidAfterNs, final NanoClock monotonicClock)
    {
        if (maxDriftPpb < 0 || maxDriftPpb >= NANOS_PER_SECOND)
        {
            throw new IllegalArgumentException(
                "maxDriftPpb must be in [0, 1000000000) parts per billion: " + maxDriftPpb);
        }
        if (freeRunningAfterNs < 0)
        {
            throw new IllegalArgumentException("freeRunningAfterNs must be >= 0: " + freeRunningAfterNs);
        }
        if (voidAfterNs < freeRunningAfterNs)
        {
            throw new IllegalArgumentException(
                "voidAfterNs (" + voidAfterNs + ") must be >= freeRunningAfterNs (" + freeRunningAfterNs + ")");
        }
        this.maxDriftPpb = maxDriftPpb;
        this.driftDenominator = NANOS_PER_SECOND - maxDriftPpb;
        this.driftMultiplier = driftMultiplier(maxDriftPpb, driftDenominator);
        this.freeRunningAfterNs = freeRunningAfterNs;
        this.voidAfterNs = voidAfterNs;
        this.fastVoidAfterNs = driftMultiplier >= 0 &&
            Math.multiplyHigh(voidAfterNs, driftMultiplier) < FAST_LIMIT_NS - 1 ? voidAfterNs : 0;
        this.monotonicClock = Objects.requireNonNull(monotonicClock, "monotonicClock");
    }

    private static long driftMultiplier(final long maxDriftPpb, final long denominator)
    {
        final BigInteger[] quotientAndRemainder =
            BigInteger.valueOf(maxDriftPpb).shiftLeft(64).divideAndRemainder(BigInteger.valueOf(denominator));
        final BigInteger ceiling = quotientAndRemainder[1].signum() == 0 ?
            quotientAndRemainder[0] : quotientAndRemainder[0].add(BigInteger.ONE);
        return ceiling.bitLength() < 63 ? ceiling.longValue() : -1;
    }

    /**
     * @return a builder: maximum drift {@link #NTP_PHI_PPB}, free running after 64 s, unknown after 1024 s, on
     * {@link SystemNanoClock}.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Same as the constructor with the drift rate in parts per million.
     *
     * @param maxDriftPpm        maximum drift rate, ppm, {@code 0 <= maxDriftPpm < 1_000_000}.
     * @param freeRunningAfterNs see {@link #DriftErrorBound(long, long, long)}.
     * @param voidAfterNs        see {@link #DriftErrorBound(long, long, long)}.
     * @return the source.
     * @throws IllegalArgumentException naming the bad value.
     */
    public static DriftErrorBound withMaxDriftPpm(
        final long maxDriftPpm, final long freeRunningAfterNs, final long voidAfterNs)
    {
        if (maxDriftPpm < 0 || maxDriftPpm >= 1_000_000L)
        {
            throw new IllegalArgumentException("maxDriftPpm must be in [0, 1000000) parts per million: " + maxDriftPpm);
        }
        return new DriftErrorBound(maxDriftPpm * 1_000L, freeRunningAfterNs, voidAfterNs);
    }

    /**
     * Publishes a synchronization result, ClockBound's way:
     * {@code bound = |offsetCorrectionNs| + ceil(rootDelayNs / 2) + rootDispersionNs} at {@code syncMonotonicNs}.
     *
     * @param offsetCorrectionNs how far the real-time clock was from the reference at the sync (either sign;
     *                           e.g. an NTP offset θ, or chrony's remaining correction).
     * @param rootDelayNs        root delay to the reference, {@code >= 0}.
     * @param rootDispersionNs   root dispersion, {@code >= 0}.
     * @param syncMonotonicNs    monotonic time of the measurement, on the clock later reads pass in.
     * @return true when published; false when ignored because a newer sync (or a disruption after this sync)
     * is already known.
     * @throws IllegalArgumentException naming the bad value, for a negative delay or dispersion, an offset of
     *                                  {@link Long#MIN_VALUE} or a sync time later than the monotonic clock's
     *                                  current reading; the state is unchanged.
     */
    public boolean update(
        final long offsetCorrectionNs, final long rootDelayNs, final long rootDispersionNs, final long syncMonotonicNs)
    {
        if (offsetCorrectionNs == Long.MIN_VALUE)
        {
            throw new IllegalArgumentException("offsetCorrectionNs is out of range: " + offsetCorrectionNs);
        }
        if (rootDelayNs < 0)
        {
            throw new IllegalArgumentException("rootDelayNs must be >= 0: " + rootDelayNs);
        }
        if (rootDispersionNs < 0)
        {
            throw new IllegalArgumentException("rootDispersionNs must be >= 0: " + rootDispersionNs);
        }
        checkNotInTheFuture("syncMonotonicNs", syncMonotonicNs);
        final long halfDelayNs = (rootDelayNs >> 1) + (rootDelayNs & 1);
        final long boundNs = ErrorBoundedClock.saturatedAdd(
            ErrorBoundedClock.saturatedAdd(Math.abs(offsetCorrectionNs), halfDelayNs), rootDispersionNs);
        return publish(boundNs, syncMonotonicNs);
    }

    /**
     * Publishes a bound computed elsewhere (e.g. read from a sync daemon that already combined the terms).
     *
     * @param boundNs         bound on |real-time clock - true time| at the sync, {@code >= 0}.
     * @param syncMonotonicNs monotonic time of the sync.
     * @return true when published; false when ignored as older than what is known.
     * @throws IllegalArgumentException for a negative bound or a sync time later than the monotonic clock's
     *                                  current reading; the state is unchanged.
     */
    public boolean updateBound(final long boundNs, final long syncMonotonicNs)
    {
        if (boundNs < 0)
        {
            throw new IllegalArgumentException("boundNs must be >= 0: " + boundNs);
        }
        checkNotInTheFuture("syncMonotonicNs", syncMonotonicNs);
        return publish(boundNs, syncMonotonicNs);
    }

    /**
     * Declares the clock disrupted (e.g. a VM live migration or a clock step was detected): reads report
     * {@link ClockStatus#DISRUPTED} until a sync taken after {@code monotonicNs} is published. If the newest
     * published sync was already taken after {@code monotonicNs}, nothing changes (that sync measured the
     * disrupted clock), so the end state does not depend on which of the two is reported first.
     *
     * @param monotonicNs when the disruption was detected, monotonic clock; not later than its current reading.
     * @throws IllegalArgumentException if {@code monotonicNs} is later than the monotonic clock's current reading
     *                                  (a disruption stamped in the future would refuse every real sync until
     *                                  then); the state is unchanged.
     */
    public void markDisrupted(final long monotonicNs)
    {
        checkNotInTheFuture("monotonicNs", monotonicNs);
        while (true)
        {
            final Sync current = (Sync)STATE.getAcquire(this);
            if (current != null && !current.disrupted && current.syncMonotonicNs > monotonicNs)
            {
                // The known sync was taken after the disruption: it already measured the disrupted clock. The
                // same end state as "disruption, then this sync" (which publish accepts), whatever the order.
                return;
            }
            final long boundNs = current == null ? ErrorBounds.MAX_BOUND_NS : current.boundNs;
            final long syncNs = current == null ? monotonicNs : current.syncMonotonicNs;
            final Sync next = new Sync(boundNs, syncNs, true, Math.max(monotonicNs,
                current == null ? Long.MIN_VALUE : current.disruptedAtNs), fastVoidAfterNs);
            if (STATE.compareAndSet(this, current, next))
            {
                return;
            }
        }
    }

    private boolean publish(final long boundNs, final long syncMonotonicNs)
    {
        while (true)
        {
            final Sync current = (Sync)STATE.getAcquire(this);
            if (current != null &&
                (syncMonotonicNs < current.syncMonotonicNs ||
                (current.disrupted && syncMonotonicNs <= current.disruptedAtNs)))
            {
                return false;
            }
            final long disruptedAtNs = current == null ? Long.MIN_VALUE : current.disruptedAtNs;
            if (STATE.compareAndSet(this, current, new Sync(boundNs, syncMonotonicNs, false, disruptedAtNs, fastVoidAfterNs)))
            {
                firstSync.countDown();
                return true;
            }
        }
    }

    private void checkNotInTheFuture(final String name, final long monotonicNs)
    {
        final long nowNs = monotonicClock.nanoTime();
        final long aheadNs = monotonicNs - nowNs;
        if (((monotonicNs ^ nowNs) & (monotonicNs ^ aheadNs)) < 0)
        {
            throw new IllegalArgumentException(name + " " + monotonicNs + " is more than 2^63 ns away from the" +
                " monotonic clock's reading " + nowNs + ": not a reading of that clock; refused, the source is" +
                " unchanged");
        }
        if (aheadNs > 0)
        {
            throw new IllegalArgumentException(name + " " + monotonicNs + " is " + (monotonicNs - nowNs) +
                " ns in the future of the monotonic clock (now " + nowNs + "): a stamp from another clock or a" +
                " bug; refused, the source is unchanged");
        }
    }

    /**
     * Waits until the first sync has been published (reads before it are {@link ClockStatus#UNKNOWN}, so an
     * untimed commit wait would block until then).
     *
     * @param timeout the longest wait; zero or negative only checks.
     * @return true if a sync has been published; false if the timeout elapsed first.
     * @throws InterruptedException if the thread is interrupted while waiting.
     * @throws NullPointerException if {@code timeout} is null.
     */
    public boolean awaitFirstSync(final Duration timeout) throws InterruptedException
    {
        return firstSync.await(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
    }

    static long saturatedNanos(final Duration duration)
    {
        Objects.requireNonNull(duration, "duration");
        try
        {
            return duration.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long errorBound(final long monotonicNs)
    {
        return errorBound((Sync)STATE.getAcquire(this), monotonicNs);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the published sync record (immutable), one acquire read.
     */
    @Override
    public Object snapshot()
    {
        return (Sync)STATE.getAcquire(this);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: {@link ErrorBounds#SNAPSHOT_CHANGED} if any sync or disruption was published since the snapshot
     * (one more acquire read of the same field and a reference comparison), else the snapshot's bound as
     * {@link #errorBound(long)} computes it (also {@link ErrorBounds#SNAPSHOT_CHANGED} for anything that is not
     * this source's current record).
     */
    @Override
    public long errorBoundFrom(final Object snapshot, final long monotonicNs)
    {
        // Every publication (sync, disruption) installs a new record with a compare-and-set, and the snapshot holds
        // its record alive, so the reference cannot come back (no ABA): an unchanged reference means no record was
        // published between the snapshot's read and this one. The bound is computed from the snapshot itself, so
        // the fields are loaded without waiting for this second read.
        if ((Sync)STATE.getAcquire(this) != snapshot)
        {
            return ErrorBounds.SNAPSHOT_CHANGED;
        }
        return errorBound((Sync)snapshot, monotonicNs);
    }

    private long errorBound(final Sync sync, final long monotonicNs)
    {
        if (sync == null)
        {
            return ErrorBounds.UNKNOWN;
        }
        final long syncNs = sync.syncMonotonicNs;
        final long elapsedNs = monotonicNs - syncNs;
        // Fast path, the common case: 1 <= elapsedNs <= voidAfterNs (one unsigned comparison; fastAgeLimitNs is
        // 0, i.e. never, for a disrupted record, a bound of 2^60 ns or more, or a configuration whose drift could
        // reach 2^60 ns), no overflow. Everything after the monotonic read is on the caller's critical path, so
        // it is kept to a subtraction, one 64x64->128 multiplication, an addition and an or:
        // floor(elapsed * k / 2^64) + 1 is never below the exact ceiling and at most 1 ns above it, and
        // boundPlusOneNs + drift < 2^60 + 2^60 < MAX_BOUND_NS, so nothing saturates or needs a clamp.
        if (((monotonicNs ^ syncNs) & (monotonicNs ^ elapsedNs)) >= 0 &&
            Long.compareUnsigned(elapsedNs - 1, sync.fastAgeLimitNs) < 0)
        {
            final long statusBits = elapsedNs > freeRunningAfterNs ? FREE_RUNNING_BITS : SYNCHRONIZED_BITS;
            return statusBits | (sync.boundPlusOneNs + Math.multiplyHigh(elapsedNs, driftMultiplier));
        }
        return slowErrorBound(sync, monotonicNs, elapsedNs);
    }

    private long slowErrorBound(final Sync sync, final long monotonicNs, final long differenceNs)
    {
        if (sync.disrupted)
        {
            return DISRUPTED;
        }
        final long syncNs = sync.syncMonotonicNs;
        long elapsedNs = differenceNs;
        if (((monotonicNs ^ syncNs) & (monotonicNs ^ elapsedNs)) < 0)
        {
            return ErrorBounds.UNKNOWN; // the difference overflowed: these are not readings of one clock
        }
        if (elapsedNs < 0)
        {
            if (elapsedNs < -MAX_BACKWARD_NS)
            {
                return ErrorBounds.UNKNOWN;
            }
            elapsedNs = -elapsedNs; // a read racing an update: charged like a forward distance
        }
        if (elapsedNs > voidAfterNs)
        {
            return ErrorBounds.UNKNOWN;
        }
        // sync.boundNs <= MAX_BOUND_NS (clamped at publication), so the saturating sum is >= 0; at or above
        // MAX_BOUND_NS it packs as "unbounded" with the same status, exactly as ErrorBounds.of would.
        final long boundNs = Math.min(ErrorBoundedClock.saturatedAdd(sync.boundNs, driftNs(elapsedNs)),
            ErrorBounds.MAX_BOUND_NS);
        return (elapsedNs > freeRunningAfterNs ? FREE_RUNNING_BITS : SYNCHRONIZED_BITS) | boundNs;
    }

    /**
     * The drift term: {@code ceil(elapsedNs * maxDriftPpb / (1e9 - maxDriftPpb))}, possibly 1 ns more (see the
     * class javadoc), saturating.
     *
     * @param elapsedNs monotonic time since the sync, {@code >= 0}.
     * @return the most the real-time clock can have drifted in that time, ns.
     */
    public long driftNs(final long elapsedNs)
    {
        final long multiplier = driftMultiplier;
        if (multiplier < 0 || elapsedNs < 0)
        {
            return driftNs(elapsedNs, maxDriftPpb, driftDenominator);
        }
        // ceil(elapsed * k / 2^64) with k = ceil(2^64 * drift / (1 - drift)) < 2^63: high word of the 128-bit
        // product, plus one when the low word is not zero. Never below the exact value (k is rounded up).
        final long high = Math.multiplyHigh(elapsedNs, multiplier);
        return (elapsedNs * multiplier) == 0 ? high : high + 1;
    }

    static long driftNs(final long elapsedNs, final long maxDriftPpb, final long denominator)
    {
        if (maxDriftPpb == 0 || elapsedNs <= 0)
        {
            return 0;
        }
        final long quotient = elapsedNs / denominator;
        final long remainder = elapsedNs % denominator;
        if (quotient > (ErrorBounds.MAX_BOUND_NS / maxDriftPpb))
        {
            return ErrorBounds.MAX_BOUND_NS;
        }
        final long fraction = remainder * maxDriftPpb; // < 1e18: no overflow
        return quotient * maxDriftPpb + fraction / denominator + (fraction % denominator == 0 ? 0 : 1);
    }

    /**
     * @return the maximum drift rate, ppb.
     */
    public long maxDriftPpb()
    {
        return maxDriftPpb;
    }

    /**
     * @return age of the last sync after which the status is {@link ClockStatus#FREE_RUNNING}, ns.
     */
    public long freeRunningAfterNs()
    {
        return freeRunningAfterNs;
    }

    /**
     * @return age of the last sync after which the status is {@link ClockStatus#UNKNOWN}, ns.
     */
    public long voidAfterNs()
    {
        return voidAfterNs;
    }

    /**
     * @return monotonic time of the last published sync, or {@link Long#MIN_VALUE} if none.
     */
    public long lastSyncMonotonicNs()
    {
        final Sync sync = (Sync)STATE.getAcquire(this);
        return sync == null ? Long.MIN_VALUE : sync.syncMonotonicNs;
    }

    /**
     * @return the bound at the last sync, before any drift, or {@link ErrorBounds#MAX_BOUND_NS} if none.
     */
    public long lastSyncBoundNs()
    {
        final Sync sync = (Sync)STATE.getAcquire(this);
        return sync == null ? ErrorBounds.MAX_BOUND_NS : sync.boundNs;
    }

    @Override
    public String toString()
    {
        final Sync sync = (Sync)STATE.getAcquire(this);
        return "DriftErrorBound{maxDriftPpb=" + maxDriftPpb + ", freeRunningAfterNs=" + freeRunningAfterNs +
            ", voidAfterNs=" + voidAfterNs + ", lastSync=" + sync + "}";
    }

    /**
     * Builds a {@link DriftErrorBound} with durations in {@link Duration} (not thread-safe; build once).
     */
    public static final class Builder
    {
        private long maxDriftPpb = NTP_PHI_PPB;
        private long freeRunningAfterNs = 64 * NANOS_PER_SECOND;
        private long voidAfterNs = 1_024 * NANOS_PER_SECOND;
        private NanoClock monotonicClock = SystemNanoClock.INSTANCE;

        private Builder()
        {
        }

        /**
         * @param maxDriftPpb maximum drift rate, ppb, {@code 0 <= maxDriftPpb < 1_000_000_000} (checked at build).
         * @return this builder.
         */
        public Builder maxDriftPpb(final long maxDriftPpb)
        {
            this.maxDriftPpb = maxDriftPpb;
            return this;
        }

        /**
         * @param maxDriftPpm maximum drift rate, ppm, {@code 0 <= maxDriftPpm < 1_000_000}.
         * @return this builder.
         * @throws IllegalArgumentException naming the value if out of range.
         */
        public Builder maxDriftPpm(final long maxDriftPpm)
        {
            if (maxDriftPpm < 0 || maxDriftPpm >= 1_000_000L)
            {
                throw new IllegalArgumentException("maxDriftPpm must be in [0, 1000000) parts per million: " + maxDriftPpm);
            }
            this.maxDriftPpb = maxDriftPpm * 1_000L;
            return this;
        }

        /**
         * @param age age of the last sync after which the status is {@link ClockStatus#FREE_RUNNING} (saturates at
         *            about 292 years).
         * @return this builder.
         */
        public Builder freeRunningAfter(final Duration age)
        {
            this.freeRunningAfterNs = saturatedNanos(age);
            return this;
        }

        /**
         * @param age age of the last sync after which the status is {@link ClockStatus#UNKNOWN} (saturates).
         * @return this builder.
         */
        public Builder voidAfter(final Duration age)
        {
            this.voidAfterNs = saturatedNanos(age);
            return this;
        }

        /**
         * @param monotonicClock the monotonic clock sync times are taken on (tests pass a controlled one).
         * @return this builder.
         */
        public Builder monotonicClock(final NanoClock monotonicClock)
        {
            this.monotonicClock = Objects.requireNonNull(monotonicClock, "monotonicClock");
            return this;
        }

        /**
         * @return the source.
         * @throws IllegalArgumentException naming the bad value.
         */
        public DriftErrorBound build()
        {
            return new DriftErrorBound(maxDriftPpb, freeRunningAfterNs, voidAfterNs, monotonicClock);
        }
    }

    /** One published sync: immutable, so a reader sees all its fields or none. */
    private static final class Sync
    {
        final long boundNs;
        final long syncMonotonicNs;
        final boolean disrupted;
        final long disruptedAtNs;
        /** The fast path serves ages 1..fastAgeLimitNs; 0: never (disrupted, or a bound too large for it). */
        final long fastAgeLimitNs;
        final long boundPlusOneNs;

        Sync(
            final long boundNs,
            final long syncMonotonicNs,
            final boolean disrupted,
            final long disruptedAtNs,
            final long fastVoidAfterNs)
        {
            this.boundNs = Math.min(boundNs, ErrorBounds.MAX_BOUND_NS);
            this.syncMonotonicNs = syncMonotonicNs;
            this.disrupted = disrupted;
            this.disruptedAtNs = disruptedAtNs;
            this.fastAgeLimitNs = disrupted || this.boundNs >= FAST_LIMIT_NS ? 0 : fastVoidAfterNs;
            this.boundPlusOneNs = this.boundNs + 1;
        }

        @Override
        public String toString()
        {
            return "{boundNs=" + boundNs + ", syncMonotonicNs=" + syncMonotonicNs +
                (disrupted ? ", disrupted at " + disruptedAtNs : "") + "}";
        }
    }
}
