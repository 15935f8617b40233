package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.BoundedClock;
import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBoundSource;
import dev.ordo.clocks.api.ErrorBounds;
import dev.ordo.clocks.api.TimeInterval;
import dev.ordo.clocks.api.TimeIntervalValue;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.HighResolutionClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * A {@link BoundedClock} built from three parts: a real-time clock (epoch ns), a monotonic clock (elapsed
 * ns, arbitrary origin) and an {@link ErrorBoundSource} that says how far the real-time clock can be from
 * true time. Reading: a snapshot {@code s} of the source's state ({@link ErrorBoundSource#snapshot()}), then real
 * time {@code r}, then monotonic time {@code m}, then the bound {@code b} of {@code s} at {@code m}
 * ({@link ErrorBoundSource#errorBoundFrom(Object, long)}); the interval is {@code [r - b, r + b]} (saturating), or
 * {@code [Long.MIN_VALUE, Long.MAX_VALUE]} when the source reports {@link ClockStatus#UNKNOWN},
 * {@link ClockStatus#DISRUPTED} or nonsense. Reading the monotonic clock after the real-time one makes the drift
 * term more pessimistic.
 *
 * <p><b>Read order.</b> A bound covers readings taken while its state is the source's current one (see
 * {@link ErrorBoundSource}). The snapshot is taken before {@code r}, and the source checks after {@code m} that it
 * is still current, answering {@link ErrorBounds#SNAPSHOT_CHANGED} otherwise; the clock then reads everything
 * again, at most {@value #MAX_READ_ATTEMPTS} times in all, and reports {@link ClockStatus#UNKNOWN} if every
 * attempt raced with a change. So a reading is judged by the state that was current from before it was taken to
 * after {@code m}, however long the reading thread is held between its reads (preempted, paused for a GC): a sync
 * published meanwhile cannot narrow a reading taken before it (before the daemon's step or slew), and a
 * disruption or a larger bound published meanwhile cannot leave a later reading under the old bound. AWS
 * ClockBound's client takes its snapshot first the same way. A source that keeps the default snapshot methods is
 * read in the old order (real time, monotonic time, current state), which is exact only if its state never
 * changes. {@code SyncPublishedDuringAReadTest} replays every placement of a sync, a larger bound and a disruption
 * between the reads.
 *
 * <p>Build one with {@link #system(ErrorBoundSource)} (the system clocks, allocation-free) or
 * {@link #builder(ErrorBoundSource)}, which also takes a {@link java.time.InstantSource} or
 * {@link java.time.Clock} as the real-time clock (tests pass {@code Clock.fixed} or {@code Clock.offset};
 * reading an {@code InstantSource} allocates an {@link Instant} per read unless the JIT removes it).
 *
 * <p>Concurrency contract: the clock is immutable; {@code now}, {@code after} and {@code before} are
 * thread-safe, wait-free (at most {@value #MAX_READ_ATTEMPTS} attempts) and allocation-free as long as the two
 * clocks and the source are. On Agrona's
 * system clocks that holds whatever other clock types the JVM runs (they are read through static calls, so
 * the JIT always inlines them and removes the {@link Instant} the JDK builds for a real-time reading). {@code commitWait}
 * blocks only the calling thread. Nothing is shared between threads, so nothing is contended.
 *
 * <p>What is not guaranteed: intervals are not monotonic (a later {@code now} can have a smaller
 * {@code earliestNs} when the real-time clock is stepped back); the guarantee is containment of true time,
 * which holds only while the source's bound is right. A step of the real-time clock that the source does not
 * know about (an operator running {@code date -s}) breaks it until the next synchronization: that is why the
 * sources use the monotonic clock for elapsed time and the sync daemon for the bound.
 */
public final class ErrorBoundedClock implements BoundedClock
{
    /** How long a commit wait idles per look while the clock cannot bound its error at all. */
    static final long UNBOUNDED_POLL_NS = 1_000_000L;
    /**
     * Reads a call makes at most when each one races with a change of the source's state; after that it reports
     * {@link ClockStatus#UNKNOWN}. A source changes about once a second and a read takes well under a microsecond,
     * so a second attempt is rare and an eighth means a source publishing without pause.
     */
    public static final int MAX_READ_ATTEMPTS = 8;
    private static final long SYNCHRONIZED_BITS = ErrorBounds.of(0, ClockStatus.SYNCHRONIZED);
    private static final long FREE_RUNNING_BITS = ErrorBounds.of(0, ClockStatus.FREE_RUNNING);

    private final EpochNanoClock realTimeClock;
    private final NanoClock monotonicClock;
    // Exactly Agrona's system clocks: read them through static calls. A call through the interface is not
    // inlined once the JVM has seen three or more clock types at it (tests, a second clock), and then the
    // Instant the system real-time clock builds escapes: 24 bytes a read (CI caught it in the full suite).
    private final boolean systemRealTime;
    private final boolean systemMonotonic;
    private final ErrorBoundSource source;
    private final CommitWaitStrategy waitStrategy;

    /**
     * A clock on the system's clocks ({@link SystemEpochNanoClock}, {@link SystemNanoClock}) with the default
     * {@link CommitWaitStrategy}.
     *
     * @param source the error bound source.
     * @return the clock.
     */
    public static ErrorBoundedClock system(final ErrorBoundSource source)
    {
        return new ErrorBoundedClock(SystemEpochNanoClock.INSTANCE, SystemNanoClock.INSTANCE, source);
    }

    /**
     * @param source the error bound source.
     * @return a builder on the system clocks and the default {@link CommitWaitStrategy}.
     * @throws NullPointerException if {@code source} is null.
     */
    public static Builder builder(final ErrorBoundSource source)
    {
        return new Builder(source);
    }

    /**
     * @param realTimeClock  real-time clock, ns since the Unix epoch (the clock the source bounds).
     * @param monotonicClock monotonic clock, the one the source's sync times are taken on.
     * @param source         the error bound source.
     * @throws NullPointerException naming the missing argument.
     */
    public ErrorBoundedClock(
        final EpochNanoClock realTimeClock, final NanoClock monotonicClock, final ErrorBoundSource source)
    {
        this(realTimeClock, monotonicClock, source, CommitWaitStrategy.DEFAULT);
    }

    /**
     * @param realTimeClock  real-time clock, ns since the Unix epoch (the clock the source bounds).
     * @param monotonicClock monotonic clock, the one the source's sync times are taken on.
     * @param source         the error bound source.
     * @param waitStrategy   how commit waits pass the time.
     * @throws NullPointerException naming the missing argument.
     */
    public ErrorBoundedClock(
        final EpochNanoClock realTimeClock,
        final NanoClock monotonicClock,
        final ErrorBoundSource source,
        final CommitWaitStrategy waitStrategy)
    {
        this.realTimeClock = Objects.requireNonNull(realTimeClock, "realTimeClock");
        this.monotonicClock = Objects.requireNonNull(monotonicClock, "monotonicClock");
        this.systemRealTime = realTimeClock.getClass() == SystemEpochNanoClock.class;
        this.systemMonotonic = monotonicClock.getClass() == SystemNanoClock.class;
        this.source = Objects.requireNonNull(source, "source");
        this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public TimeInterval now(final TimeInterval out)
    {
        final ErrorBoundSource source = this.source;
        long realNs;
        long packed;
        int attemptsLeft = MAX_READ_ATTEMPTS;
        do
        {
            // Invariant: a packed value other than SNAPSHOT_CHANGED covers realNs. The snapshot is read (acquire)
            // before the real-time read, which cannot move above it (a later load, or a call into the VM), and is
            // judged after the monotonic read: a checking source (DriftErrorBound, the cluster bound) answers
            // SNAPSHOT_CHANGED unless the snapshot was still its current state then, so realNs was taken while
            // that state was current, and the state's bound at monoNs >= the reading's own time covers it (bounds
            // only grow with age). ClockBoundShm keeps ClockBound's model instead (see its class javadoc). Holds
            // whatever a publisher does between any two of these steps, however long this thread is held there:
            // every retry takes all three values afresh. Out of attempts, SNAPSHOT_CHANGED (negative) is reported
            // as UNKNOWN below.
            final Object snapshot = source.snapshot();
            realNs = realTimeNs();
            packed = source.errorBoundFrom(snapshot, monotonicNs());
        }
        while (packed == ErrorBounds.SNAPSHOT_CHANGED && --attemptsLeft > 0);
        // This runs after the monotonic read, on the caller's critical path: decode with shifts and compares
        // (no table lookup). SYNCHRONIZED_BITS has exactly the status bits of SYNCHRONIZED (ErrorBounds' layout).
        final long boundNs = packed & ErrorBounds.MAX_BOUND_NS;
        final long statusBits = packed & ~ErrorBounds.MAX_BOUND_NS; // bit 63 set: invalid, never bounded
        if ((statusBits != SYNCHRONIZED_BITS && statusBits != FREE_RUNNING_BITS) || boundNs == ErrorBounds.MAX_BOUND_NS)
        {
            return out.setUnbounded(realNs, ErrorBounds.status(packed) == ClockStatus.DISRUPTED ?
                ClockStatus.DISRUPTED : ClockStatus.UNKNOWN);
        }
        return out.set(saturatedSubtract(realNs, boundNs), saturatedAdd(realNs, boundNs), realNs,
            statusBits == SYNCHRONIZED_BITS ? ClockStatus.SYNCHRONIZED : ClockStatus.FREE_RUNNING);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One allocation (the value); the same arithmetic as {@link #now(TimeInterval)}.
     */
    @Override
    public TimeIntervalValue now()
    {
        long realNs;
        long packed;
        int attemptsLeft = MAX_READ_ATTEMPTS;
        do
        {
            final Object snapshot = source.snapshot(); // the read order of now(TimeInterval), for the same reason
            realNs = realTimeNs();
            packed = source.errorBoundFrom(snapshot, monotonicNs());
        }
        while (packed == ErrorBounds.SNAPSHOT_CHANGED && --attemptsLeft > 0);
        if (!ErrorBounds.isBounded(packed))
        {
            return new TimeIntervalValue(Long.MIN_VALUE, Long.MAX_VALUE, realNs,
                ErrorBounds.status(packed) == ClockStatus.DISRUPTED ? ClockStatus.DISRUPTED : ClockStatus.UNKNOWN);
        }
        final long boundNs = ErrorBounds.boundNs(packed);
        return new TimeIntervalValue(saturatedSubtract(realNs, boundNs), saturatedAdd(realNs, boundNs), realNs,
            ErrorBounds.status(packed));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here {@code instant()} is the real-time clock's reading (one read, no error bound involved).
     */
    @Override
    public InstantSource asInstantSource()
    {
        return () -> toInstant(realTimeNs());
    }

    private long realTimeNs()
    {
        return systemRealTime ? HighResolutionClock.epochNanos() : realTimeClock.nanoTime();
    }

    private long monotonicNs()
    {
        return systemMonotonic ? System.nanoTime() : monotonicClock.nanoTime();
    }

    private static Instant toInstant(final long epochNs)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean after(final long timeNs)
    {
        return edgeNs(true) > timeNs;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean before(final long timeNs)
    {
        return edgeNs(false) < timeNs;
    }

    /**
     * One reading in the read order of {@link #now(TimeInterval)}, reduced to one edge of its interval: the
     * earliest or the latest possible true time (saturating), or {@code Long.MIN_VALUE} / {@code Long.MAX_VALUE}
     * when the clock cannot bound its error, so that no time is certainly passed or certainly ahead.
     */
    private long edgeNs(final boolean earliest)
    {
        long realNs;
        long packed;
        int attemptsLeft = MAX_READ_ATTEMPTS;
        do
        {
            final Object snapshot = source.snapshot(); // the read order of now(TimeInterval), for the same reason
            realNs = realTimeNs();
            packed = source.errorBoundFrom(snapshot, monotonicNs());
        }
        while (packed == ErrorBounds.SNAPSHOT_CHANGED && --attemptsLeft > 0);
        if (!ErrorBounds.isBounded(packed))
        {
            return earliest ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        final long boundNs = ErrorBounds.boundNs(packed);
        return earliest ? saturatedSubtract(realNs, boundNs) : saturatedAdd(realNs, boundNs);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Loop: read the clock; if {@code earliestNs > timeNs} return; otherwise hand the remaining distance
     * ({@code timeNs - earliestNs + 1}, which assumes the bound stays put) to the {@link CommitWaitStrategy} and
     * look again. While the clock is unbounded it idles {@value #UNBOUNDED_POLL_NS} ns per look.
     *
     * <p>With a {@link DriftErrorBound} this blocks until the source's first sync (before it the clock is
     * {@link ClockStatus#UNKNOWN}), forever if none comes: wait for it with a deadline
     * ({@link DriftErrorBound#awaitFirstSync(java.time.Duration)}) or use {@link #commitWait(long, long)} /
     * {@link #commitWait(long, java.time.Duration)}.
     */
    @Override
    public long commitWait(final long timeNs) throws InterruptedException
    {
        return await(timeNs, Long.MAX_VALUE);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long commitWait(final long timeNs, final long timeoutNs) throws InterruptedException
    {
        if (timeoutNs < 0)
        {
            throw new IllegalArgumentException("commit wait timeoutNs must be >= 0: " + timeoutNs);
        }
        return await(timeNs, timeoutNs);
    }

    private long await(final long timeNs, final long timeoutNs) throws InterruptedException
    {
        final long startNs = monotonicNs();
        boolean firstLook = true;
        int changedLooks = 0;
        while (true)
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted during commit wait for " + timeNs + " ns");
            }
            // The read order of now(TimeInterval), for the same reason; a look that raced with a change of the
            // source is taken again at once (not idled away as unbounded).
            final Object snapshot = source.snapshot();
            final long realNs = realTimeNs();
            final long monoNs = monotonicNs();
            final long packed = source.errorBoundFrom(snapshot, monoNs);
            if (packed == ErrorBounds.SNAPSHOT_CHANGED && ++changedLooks < MAX_READ_ATTEMPTS)
            {
                continue;
            }
            changedLooks = 0;
            final long waitedNs = monoNs - startNs;
            long remainingNs = UNBOUNDED_POLL_NS;
            if (ErrorBounds.isBounded(packed))
            {
                final long earliestNs = saturatedSubtract(realNs, ErrorBounds.boundNs(packed));
                if (earliestNs > timeNs)
                {
                    return firstLook ? 0 : Math.max(0, waitedNs); // 0: it had already passed, as documented
                }
                final long distanceNs = timeNs - earliestNs; // >= 0 unless it overflowed
                remainingNs = distanceNs < 0 || distanceNs == Long.MAX_VALUE ? Long.MAX_VALUE : distanceNs + 1;
            }
            if (waitedNs >= timeoutNs)
            {
                return TIMED_OUT;
            }
            firstLook = false;
            waitStrategy.idle(Math.min(remainingNs, timeoutNs - Math.max(0, waitedNs)));
        }
    }

    /**
     * @return the error bound source.
     */
    public ErrorBoundSource source()
    {
        return source;
    }

    /**
     * Builds an {@link ErrorBoundedClock} (not thread-safe; build once).
     */
    public static final class Builder
    {
        private final ErrorBoundSource source;
        private EpochNanoClock realTimeClock = SystemEpochNanoClock.INSTANCE;
        private NanoClock monotonicClock = SystemNanoClock.INSTANCE;
        private CommitWaitStrategy waitStrategy = CommitWaitStrategy.DEFAULT;

        private Builder(final ErrorBoundSource source)
        {
            this.source = Objects.requireNonNull(source, "source");
        }

        /**
         * @param realTimeClock real-time clock, ns since the Unix epoch (allocation-free if it is).
         * @return this builder.
         */
        public Builder realTimeClock(final EpochNanoClock realTimeClock)
        {
            this.realTimeClock = Objects.requireNonNull(realTimeClock, "realTimeClock");
            return this;
        }

        /**
         * @param instantSource real-time clock as java.time sees it ({@code Clock.systemUTC()},
         *                      {@code Clock.fixed(...)}, {@code Clock.offset(...)}); instants outside the
         *                      {@code long} range of epoch ns (before 1677, after 2262) saturate.
         * @return this builder.
         */
        public Builder realTimeClock(final InstantSource instantSource)
        {
            Objects.requireNonNull(instantSource, "instantSource");
            this.realTimeClock = () -> epochNs(instantSource.instant());
            return this;
        }

        /**
         * @param monotonicClock the monotonic clock the source's sync times are taken on.
         * @return this builder.
         */
        public Builder monotonicClock(final NanoClock monotonicClock)
        {
            this.monotonicClock = Objects.requireNonNull(monotonicClock, "monotonicClock");
            return this;
        }

        /**
         * @param waitStrategy how commit waits pass the time.
         * @return this builder.
         */
        public Builder waitStrategy(final CommitWaitStrategy waitStrategy)
        {
            this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
            return this;
        }

        /**
         * @return the clock.
         */
        public ErrorBoundedClock build()
        {
            return new ErrorBoundedClock(realTimeClock, monotonicClock, source, waitStrategy);
        }
    }

    static long epochNs(final Instant instant)
    {
        // Exact for every instant the long range holds (also its first and last second), saturating outside it:
        // the products below fit (|seconds| <= 9_223_372_036 there), and the sum saturates.
        final long seconds = instant.getEpochSecond();
        if (seconds > Long.MAX_VALUE / 1_000_000_000L)
        {
            return Long.MAX_VALUE;
        }
        if (seconds < Long.MIN_VALUE / 1_000_000_000L - 1)
        {
            return Long.MIN_VALUE;
        }
        return seconds >= 0 ? saturatedAdd(seconds * 1_000_000_000L, instant.getNano()) :
            saturatedAdd((seconds + 1) * 1_000_000_000L, instant.getNano() - 1_000_000_000L);
    }

    static long saturatedAdd(final long a, final long b)
    {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    static long saturatedSubtract(final long a, final long b)
    {
        final long difference = a - b;
        return ((a ^ b) & (a ^ difference)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : difference;
    }

    @Override
    public String toString()
    {
        return "ErrorBoundedClock{source=" + source + "}";
    }
}
