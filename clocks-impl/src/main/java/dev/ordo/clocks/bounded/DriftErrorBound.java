package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBoundSource;
import dev.ordo.clocks.api.ErrorBounds;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An error bound that grows from the last synchronization at a maximum drift rate, the model of AWS
 * ClockBound and Meta's fbclock:
 * <pre>
 *   bound(m) = |offset correction| + root delay / 2 + root dispersion          (at the sync, monotonic time s)
 *            + maxDrift * |m - s| / (1 - maxDrift)                             (drift since then)
 * </pre>
 * where {@code m} is the monotonic time of the read. The {@code 1 / (1 - maxDrift)} factor (a few parts per
 * million) accounts for the monotonic clock running on the same drifting oscillator as the real-time clock:
 * {@code m - s} can under-count true elapsed time by up to that factor. Every rounding goes up.
 *
 * <p>Status: {@link ClockStatus#UNKNOWN} before the first sync; {@link ClockStatus#SYNCHRONIZED} while the
 * last sync is at most {@code freeRunningAfterNs} old; {@link ClockStatus#FREE_RUNNING} (the bound still
 * holds, and keeps growing) until it is {@code voidAfterNs} old; {@link ClockStatus#UNKNOWN} after that;
 * {@link ClockStatus#DISRUPTED} from {@link #markDisrupted(long)} until a newer sync. A read whose monotonic
 * time is before the sync by more than {@link #MAX_BACKWARD_NS} means the monotonic clocks do not agree
 * (a causality breach) and reports {@link ClockStatus#UNKNOWN}; a smaller backward distance is legitimate
 * (the read raced with an update) and is charged as drift like a forward one.
 *
 * <p>Feeding it: call {@link #update(long, long, long, long)} with each new sync result, e.g. from an NTP
 * probe or from chrony's tracking report. Root delay and root dispersion are the client's values as
 * RFC 5905 defines them (server's root delay plus the measured round-trip delay; server's root dispersion
 * plus the client's own dispersion), which is what chrony reports.
 *
 * <p>Concurrency contract: {@link #errorBound(long)} is thread-safe, lock-free and allocation-free (one
 * acquire read of an immutable sync record). {@link #update}, {@link #updateBound} and
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

    private final long maxDriftPpb;
    private final long driftDenominator;
    private final long freeRunningAfterNs;
    private final long voidAfterNs;

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
        this.freeRunningAfterNs = freeRunningAfterNs;
        this.voidAfterNs = voidAfterNs;
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
     * @throws IllegalArgumentException naming the bad value, for a negative delay or dispersion or an offset of
     *                                  {@link Long#MIN_VALUE}; the state is unchanged.
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
     * @throws IllegalArgumentException for a negative bound; the state is unchanged.
     */
    public boolean updateBound(final long boundNs, final long syncMonotonicNs)
    {
        if (boundNs < 0)
        {
            throw new IllegalArgumentException("boundNs must be >= 0: " + boundNs);
        }
        return publish(boundNs, syncMonotonicNs);
    }

    /**
     * Declares the clock disrupted (e.g. a VM live migration or a clock step was detected): reads report
     * {@link ClockStatus#DISRUPTED} until a sync taken after {@code monotonicNs} is published.
     *
     * @param monotonicNs when the disruption was detected, monotonic clock.
     */
    public void markDisrupted(final long monotonicNs)
    {
        while (true)
        {
            final Sync current = (Sync)STATE.getAcquire(this);
            final long boundNs = current == null ? ErrorBounds.MAX_BOUND_NS : current.boundNs;
            final long syncNs = current == null ? monotonicNs : current.syncMonotonicNs;
            final Sync next = new Sync(boundNs, syncNs, true, Math.max(monotonicNs,
                current == null ? Long.MIN_VALUE : current.disruptedAtNs));
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
            if (STATE.compareAndSet(this, current, new Sync(boundNs, syncMonotonicNs, false, disruptedAtNs)))
            {
                return true;
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long errorBound(final long monotonicNs)
    {
        final Sync sync = (Sync)STATE.getAcquire(this);
        if (sync == null)
        {
            return ErrorBounds.UNKNOWN;
        }
        if (sync.disrupted)
        {
            return ErrorBounds.of(ErrorBounds.MAX_BOUND_NS, ClockStatus.DISRUPTED);
        }
        long elapsedNs = monotonicNs - sync.syncMonotonicNs;
        if (((monotonicNs ^ sync.syncMonotonicNs) & (monotonicNs ^ elapsedNs)) < 0)
        {
            return ErrorBounds.UNKNOWN; // the difference overflowed: these are not readings of one clock
        }
        if (elapsedNs < 0)
        {
            if (elapsedNs < -MAX_BACKWARD_NS)
            {
                return ErrorBounds.UNKNOWN;
            }
            elapsedNs = -elapsedNs;
        }
        if (elapsedNs > voidAfterNs)
        {
            return ErrorBounds.UNKNOWN;
        }
        final ClockStatus status = elapsedNs > freeRunningAfterNs ? ClockStatus.FREE_RUNNING : ClockStatus.SYNCHRONIZED;
        return ErrorBounds.of(ErrorBoundedClock.saturatedAdd(sync.boundNs, driftNs(elapsedNs)), status);
    }

    /**
     * The drift term: {@code ceil(elapsedNs * maxDriftPpb / (1e9 - maxDriftPpb))}, saturating.
     *
     * @param elapsedNs monotonic time since the sync, {@code >= 0}.
     * @return the most the real-time clock can have drifted in that time, ns.
     */
    public long driftNs(final long elapsedNs)
    {
        return driftNs(elapsedNs, maxDriftPpb, driftDenominator);
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

    /** One published sync: immutable, so a reader sees all its fields or none. */
    private static final class Sync
    {
        final long boundNs;
        final long syncMonotonicNs;
        final boolean disrupted;
        final long disruptedAtNs;

        Sync(final long boundNs, final long syncMonotonicNs, final boolean disrupted, final long disruptedAtNs)
        {
            this.boundNs = boundNs;
            this.syncMonotonicNs = syncMonotonicNs;
            this.disrupted = disrupted;
            this.disruptedAtNs = disruptedAtNs;
        }

        @Override
        public String toString()
        {
            return "{boundNs=" + boundNs + ", syncMonotonicNs=" + syncMonotonicNs +
                (disrupted ? ", disrupted at " + disruptedAtNs : "") + "}";
        }
    }
}
