package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.BackwardJumpListener;
import dev.ordo.clocks.api.ClockOverflowException;
import dev.ordo.clocks.api.HybridClock;
import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.InvalidTimestampException;
import dev.ordo.clocks.api.MaxOffsetExceededException;
import dev.ordo.clocks.api.UpperBoundStore;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.EpochMicroClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemEpochMicroClock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock-free, allocation-free hybrid logical clock (Kulkarni et al., 2014) over a packed {@code long}.
 *
 * <h2>Algorithm</h2>
 * The state is one packed timestamp {@code s} (physical part in the high bits, logical counter in the low
 * bits; see {@link HybridTimestampFormat}). With {@code pt} the physical clock read as a packed timestamp
 * with logical part 0:
 * <ul>
 *     <li>{@link #now()}: {@code s' = max(s + 1, pt)};</li>
 *     <li>{@link #update(long) update(r)}: {@code s' = max(max(s, r) + 1, pt)}.</li>
 * </ul>
 * These are the paper's rules on the packed form: a full logical counter carries into the physical part,
 * which keeps the order. When the clock is already at or ahead of physical time, {@code now()} is a single
 * atomic add (wait-free); otherwise one compare-and-set, retried only on a race.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *     <li>Every value returned by {@link #now()} and a successful {@link #update(long)} is unique across
 *     threads and greater than every value returned before it (in the order of the atomic operations), so
 *     each thread sees its results strictly increase.</li>
 *     <li>Results are never below the physical time read during the call, and an update's result is above
 *     the remote timestamp.</li>
 *     <li>A remote timestamp more than {@link #maxOffset()} ahead of local physical time, or one the format
 *     cannot hold, is rejected; the clock is then unchanged (no state, no counter but
 *     {@link #rejectedUpdates()} moves).</li>
 *     <li>Backward jumps of the physical source never make the clock go back: they are counted
 *     ({@link #backwardJumps()}) and reported to the {@link BackwardJumpListener}. Detection reads the last
 *     physical time seen <em>before</em> reading the clock, so a slow thread cannot report a jump that did
 *     not happen.</li>
 *     <li>With an {@link UpperBoundStore}, no timestamp is issued at or above the persisted bound, and a new
 *     clock built on the same store after a crash starts above it: it never repeats or goes below a
 *     timestamp issued before the crash, even when the physical clock stepped back meanwhile.</li>
 * </ul>
 *
 * <h2>Logical overflow</h2>
 * More than {@code maxLogical + 1} events within one physical unit (or a long stretch at a physical time
 * ahead of the local clock, after a remote update) carries into the physical part: the clock runs ahead of
 * physical time. It stays correct and monotonic; the distance is visible as {@link #aheadOfPhysical()} and
 * {@link #maxAheadOfPhysical()}, each carry is counted in {@link #overflowCarries()}, and physical time
 * catches up by itself. Peers see such timestamps as ahead and reject them once they pass their max offset.
 *
 * <h2>Concurrency and cost</h2>
 * All methods are thread-safe and lock-free. Nothing allocates on any path except: exceptions
 * ({@link #update(long)} on rejection; use {@link #tryUpdate(long)} to avoid them), and the upper-bound
 * store's write, which happens once per half window (by the caller that crosses it, or by a thread that
 * calls {@link #maintainUpperBound()}) and blocks a caller only when the store fell behind by a whole window.
 * The hot state lives on its own cache line; statistics are on another one, written rarely.
 */
public final class AtomicHybridClock extends HlcPadAfterStats implements HybridClock
{
    /** Default max offset: 500 ms, as CockroachDB, Apache Ignite 3 and YugabyteDB. */
    public static final long DEFAULT_MAX_OFFSET_MS = 500;

    /** Default persistence window: 200 ms of physical time reserved per durable write. */
    public static final long DEFAULT_PERSIST_WINDOW_MS = 200;

    /**
     * Headroom below a limit within which the wait-free atomic add may be used: more threads than this
     * racing past one check at once could overshoot the limit. The JVM runs far fewer threads.
     */
    private static final long ADD_SLACK = 1L << 16;

    private static final VarHandle STATE;
    private static final VarHandle LAST_PHYSICAL;
    private static final VarHandle MAX_AHEAD;
    private static final VarHandle REJECTED;
    private static final VarHandle JUMPS;
    private static final VarHandle CARRIES;
    private static final VarHandle FAST_LIMIT;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(HlcState.class, "state", long.class);
            LAST_PHYSICAL = lookup.findVarHandle(HlcStats.class, "lastPhysical", long.class);
            MAX_AHEAD = lookup.findVarHandle(HlcStats.class, "maxAhead", long.class);
            REJECTED = lookup.findVarHandle(HlcStats.class, "rejected", long.class);
            JUMPS = lookup.findVarHandle(HlcStats.class, "jumps", long.class);
            CARRIES = lookup.findVarHandle(HlcStats.class, "carries", long.class);
            FAST_LIMIT = lookup.findVarHandle(HlcStats.class, "fastLimit", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final HybridTimestampFormat format;
    private final int logicalBits;
    private final long logicalMask;
    private final long maxPhysical;
    private final EpochClock millisClock;
    private final EpochMicroClock microsClock;
    private final long maxOffset;
    private final long jumpTolerance;
    private final BackwardJumpListener jumpListener;
    private final UpperBoundStore store;
    private final long persistWindow;
    private final ReentrantLock persistLock;
    /** Largest timestamp this clock may issue; guarded by persistLock for writes. */
    private volatile long issueLimit;

    private AtomicHybridClock(
        final Builder builder, final long maxOffset, final long jumpTolerance, final long persistWindow)
    {
        this.format = builder.format;
        this.logicalBits = format.logicalBits();
        this.logicalMask = format.maxLogical();
        this.maxPhysical = format.maxPhysical();
        this.millisClock = builder.millisClock;
        this.microsClock = builder.microsClock;
        this.maxOffset = maxOffset;
        this.jumpTolerance = jumpTolerance;
        this.jumpListener = builder.jumpListener;
        this.store = builder.store;
        this.persistWindow = persistWindow;
        this.persistLock = store == null ? null : new ReentrantLock();

        long start = builder.initialTimestamp;
        if (store != null)
        {
            final long persisted = store.load();
            if (persisted != UpperBoundStore.NONE)
            {
                if (!format.isValid(persisted))
                {
                    throw new IllegalStateException(
                        "the upper-bound store holds " + persisted + ", not a valid " + format + " timestamp");
                }
                // Every timestamp issued before the restart is below the persisted bound: start at it.
                start = unsignedMax(start, persisted);
            }
        }
        STATE.setVolatile(this, start);
        LAST_PHYSICAL.setVolatile(this, 0L);
        if (store == null)
        {
            issueLimit = format.maxTimestamp();
            FAST_LIMIT.setVolatile(this, format.maxTimestamp() - ADD_SLACK);
        }
        else
        {
            issueLimit = start;
            FAST_LIMIT.setVolatile(this, 0L);
            extendUpperBound(start + 1);
        }
    }

    /**
     * @return a builder with the defaults: {@link HybridTimestampFormat#MILLIS} on
     * {@link SystemEpochClock#INSTANCE}, max offset {@value #DEFAULT_MAX_OFFSET_MS} ms, no persistence.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @return a clock with all defaults (see {@link #builder()}).
     */
    public static AtomicHybridClock create()
    {
        return builder().build();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long now()
    {
        final long physical = readPhysical();
        final long physicalTs = physical << logicalBits;
        long prev = (long)STATE.getVolatile(this);
        final long fastLimit = (long)FAST_LIMIT.getVolatile(this);
        while (true)
        {
            if (Long.compareUnsigned(prev, physicalTs) >= 0)
            {
                if (Long.compareUnsigned(prev, fastLimit) < 0)
                {
                    // The state only grows, so it stays >= physicalTs: one wait-free atomic add suffices.
                    final long next = (long)STATE.getAndAdd(this, 1L) + 1;
                    afterIncrement(next, physical);
                    return next;
                }
                return slowAdvance(physical, 0L, false);
            }
            if (Long.compareUnsigned(physicalTs, fastLimit) >= 0)
            {
                return slowAdvance(physical, 0L, false);
            }
            final long witness = (long)STATE.compareAndExchange(this, prev, physicalTs);
            if (witness == prev)
            {
                return physicalTs;
            }
            prev = witness;
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long update(final long remote)
    {
        if (!format.isValid(remote) || HybridClock.isRejected(remote))
        {
            REJECTED.getAndAdd(this, 1L);
            throw new InvalidTimestampException(
                "invalid remote " + format + " hybrid timestamp " + remote + " (0x" + Long.toHexString(remote) +
                "): no clock of this format issues it; the clock is unchanged");
        }
        final long physical = readPhysical();
        if (isTooFarAhead(remote, physical))
        {
            REJECTED.getAndAdd(this, 1L);
            throw new MaxOffsetExceededException(format, remote, physical, maxOffset);
        }
        final long result = advance(remote, physical);
        if (result == REJECTED_OVERFLOW)
        {
            throw overflow(remote);
        }
        return result;
    }

    /**
     * {@inheritDoc}
     *
     * <p>For {@link HybridTimestampFormat#MICROS} after the year 2041 valid timestamps are negative
     * {@code long}s; the rejection codes stay distinguishable with {@link HybridClock#isRejected} because
     * -1..-3 are the format's three largest timestamps, which no clock reaches before the year 2112 (and
     * which this clock refuses as remote values).
     */
    @Override
    public long tryUpdate(final long remote)
    {
        if (!format.isValid(remote) || HybridClock.isRejected(remote))
        {
            REJECTED.getAndAdd(this, 1L);
            return REJECTED_INVALID;
        }
        final long physical = readPhysical();
        if (isTooFarAhead(remote, physical))
        {
            REJECTED.getAndAdd(this, 1L);
            return REJECTED_TOO_FAR_AHEAD;
        }
        return advance(remote, physical);
    }

    private boolean isTooFarAhead(final long remote, final long physical)
    {
        final long remotePhysical = remote >>> logicalBits;
        return remotePhysical > physical && remotePhysical - physical > maxOffset;
    }

    private long advance(final long remote, final long physical)
    {
        final long physicalTs = physical << logicalBits;
        long prev = (long)STATE.getVolatile(this);
        final long fastLimit = (long)FAST_LIMIT.getVolatile(this);
        while (true)
        {
            if (Long.compareUnsigned(remote, prev) < 0 && Long.compareUnsigned(physicalTs, prev) <= 0 &&
                Long.compareUnsigned(prev, fastLimit) < 0)
            {
                // max(prev, remote, physical) is the state itself, which only grows: one atomic add.
                final long next = (long)STATE.getAndAdd(this, 1L) + 1;
                afterIncrement(next, physical);
                return next;
            }
            final long base = unsignedMax(prev, remote);
            final long next = unsignedMax(base + 1, physicalTs);
            if (Long.compareUnsigned(base, fastLimit) >= 0 || Long.compareUnsigned(next, fastLimit) >= 0)
            {
                return slowAdvance(physical, remote, true);
            }
            final long witness = (long)STATE.compareAndExchange(this, prev, next);
            if (witness == prev)
            {
                if (next != physicalTs)
                {
                    afterIncrement(next, physical);
                }
                return next;
            }
            prev = witness;
        }
    }

    /**
     * Exact path near a limit (the persisted upper bound or the format's largest value): a CAS loop that
     * checks every candidate against the limit. Inside the refresh zone one caller extends the persisted
     * bound while the others go on issuing below the durable limit; past the limit, callers wait for it.
     */
    private long slowAdvance(final long physicalAtCall, final long remote, final boolean isUpdate)
    {
        long physical = physicalAtCall;
        long physicalTs = physical << logicalBits;
        while (true)
        {
            final long prev = (long)STATE.getVolatile(this);
            final long base = isUpdate ? unsignedMax(prev, remote) : prev;
            final boolean increments = Long.compareUnsigned(base, physicalTs) >= 0;
            if (increments && base == format.maxTimestamp())
            {
                if (isUpdate)
                {
                    REJECTED.getAndAdd(this, 1L);
                    return REJECTED_OVERFLOW;
                }
                throw overflow(remote);
            }
            final long next = increments ? base + 1 : physicalTs;
            if (store != null)
            {
                if (Long.compareUnsigned(next, issueLimit) > 0)
                {
                    extendUpperBound(next); // the durable bound fell behind: wait for it
                    // The wait may have been long (an fsync): read physical time again so the timestamp
                    // reflects when it is issued rather than when the call began, but no further than the
                    // durable limit, or a store slower than the window would make this loop forever.
                    physical = Math.max(physicalAtCall, Math.min(readPhysical(), issueLimit >>> logicalBits));
                    physicalTs = physical << logicalBits;
                    continue;
                }
                if (Long.compareUnsigned(next, (long)FAST_LIMIT.getVolatile(this)) >= 0 && persistLock.tryLock())
                {
                    try
                    {
                        extendUpperBoundLocked(next);
                    }
                    finally
                    {
                        persistLock.unlock();
                    }
                }
            }
            if (STATE.compareAndSet(this, prev, next))
            {
                if (increments)
                {
                    afterIncrement(next, physical);
                }
                return next;
            }
        }
    }

    /**
     * Waits for the persist lock and makes the durable bound cover {@code needed} (if no other thread did).
     */
    private void extendUpperBound(final long needed)
    {
        persistLock.lock();
        try
        {
            extendUpperBoundLocked(needed);
        }
        finally
        {
            persistLock.unlock();
        }
    }

    private void extendUpperBoundLocked(final long needed)
    {
        if (Long.compareUnsigned(needed, (long)FAST_LIMIT.getVolatile(this)) < 0)
        {
            return; // another thread extended it meanwhile
        }
        final long neededPhysical = needed >>> logicalBits;
        final long basePhysical = Math.max(neededPhysical, readPhysicalQuietly());
        if (basePhysical > maxPhysical - persistWindow)
        {
            throw new ClockOverflowException("cannot persist an upper bound past the largest " + format + " time");
        }
        final long newBound = (basePhysical + persistWindow) << logicalBits; // exclusive
        store.store(newBound);
        issueLimit = newBound - 1;
        // Refresh when half the window is used, so callers rarely wait on the store.
        final long refreshAt = (basePhysical + persistWindow / 2) << logicalBits;
        FAST_LIMIT.setVolatile(this, Math.min(refreshAt, newBound - 1 - ADD_SLACK));
    }

    /**
     * Extends the persisted upper bound if half of the current window is used up. Call it from a background
     * thread every {@code persistWindow / 4} or so and no caller of {@link #now()}/{@link #update(long)} ever
     * waits for the store. Does nothing without a store.
     *
     * @throws java.io.UncheckedIOException when the store fails; the clock is unchanged.
     */
    public void maintainUpperBound()
    {
        if (store == null)
        {
            return;
        }
        final long physicalTs = readPhysicalQuietly() << logicalBits;
        extendUpperBound(unsignedMax((long)STATE.getVolatile(this) + 1, physicalTs));
    }

    private void afterIncrement(final long next, final long physical)
    {
        if ((next & logicalMask) == 0)
        {
            CARRIES.getAndAdd(this, 1L);
        }
        final long ahead = (next >>> logicalBits) - physical;
        if (ahead > (long)MAX_AHEAD.getOpaque(this))
        {
            raiseMaxAhead(ahead);
        }
    }

    private void raiseMaxAhead(final long ahead)
    {
        long seen = (long)MAX_AHEAD.getVolatile(this);
        while (ahead > seen)
        {
            final long witness = (long)MAX_AHEAD.compareAndExchange(this, seen, ahead);
            if (witness == seen)
            {
                return;
            }
            seen = witness;
        }
    }

    /**
     * Reads the physical clock, detecting backward jumps. The last physical time seen is read before the
     * clock, so any value it holds was read from the clock earlier than this call's reading: a smaller
     * reading is a real backward jump, never a race between threads.
     */
    private long readPhysical()
    {
        final long last = (long)LAST_PHYSICAL.getAcquire(this);
        final long physical = readPhysicalQuietly();
        if (physical > last)
        {
            LAST_PHYSICAL.setRelease(this, physical); // racy max; a lost update only lowers sensitivity
        }
        else if (physical < last && last - physical > jumpTolerance &&
            LAST_PHYSICAL.compareAndSet(this, last, physical))
        {
            JUMPS.getAndAdd(this, 1L);
            jumpListener.onBackwardJump(last, physical);
        }
        return physical;
    }

    private long readPhysicalQuietly()
    {
        final long physical = microsClock == null ? millisClock.time() : microsClock.microTime();
        if (physical < 0 || physical > maxPhysical)
        {
            throw new IllegalStateException(
                "the physical clock returned " + physical + " " + format.unitSymbol() + ", outside the " + format +
                " range 0.." + maxPhysical + "; the hybrid clock is unchanged");
        }
        return physical;
    }

    private ClockOverflowException overflow(final long remote)
    {
        return new ClockOverflowException(
            "hybrid clock cannot advance past the largest " + format + " timestamp " +
            format.toString(format.maxTimestamp()) + " (clock " + format.toString(current()) + ", remote " +
            format.toString(remote) + "); the clock is unchanged");
    }

    private static long unsignedMax(final long a, final long b)
    {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long current()
    {
        return (long)STATE.getVolatile(this);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public HybridTimestampFormat format()
    {
        return format;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long maxOffset()
    {
        return maxOffset;
    }

    /**
     * @return how many remote timestamps {@link #update(long)}/{@link #tryUpdate(long)} rejected (too far
     * ahead, invalid, or overflowing).
     */
    public long rejectedUpdates()
    {
        return (long)REJECTED.getVolatile(this);
    }

    /**
     * @return how many times the physical source went backwards by more than the tolerance.
     */
    public long backwardJumps()
    {
        return (long)JUMPS.getVolatile(this);
    }

    /**
     * @return how many times a full logical counter carried into the physical part.
     */
    public long overflowCarries()
    {
        return (long)CARRIES.getVolatile(this);
    }

    /**
     * @return the largest distance seen between an issued timestamp's physical part and the physical time
     * read in the same call, in the format's physical unit (0 when the clock never ran ahead).
     */
    public long maxAheadOfPhysical()
    {
        return (long)MAX_AHEAD.getVolatile(this);
    }

    /**
     * Reads the physical clock (without jump detection) and compares it with the clock.
     *
     * @return how far the clock's latest timestamp is ahead of physical time now, in the format's physical
     * unit; 0 or negative when physical time has caught up.
     */
    public long aheadOfPhysical()
    {
        return (current() >>> logicalBits) - readPhysicalQuietly();
    }

    @Override
    public String toString()
    {
        return "AtomicHybridClock{" + format.toString(current()) + ", maxOffset=" + maxOffset + format.unitSymbol() +
            ", rejected=" + rejectedUpdates() + ", backwardJumps=" + backwardJumps() + ", carries=" +
            overflowCarries() + ", maxAhead=" + maxAheadOfPhysical() + format.unitSymbol() + "}";
    }

    /**
     * Configures an {@link AtomicHybridClock}. Not thread-safe; build once and share the clock.
     */
    public static final class Builder
    {
        private HybridTimestampFormat format = HybridTimestampFormat.MILLIS;
        private EpochClock millisClock;
        private EpochMicroClock microsClock;
        private long maxOffset = -1;
        private long jumpTolerance;
        private BackwardJumpListener jumpListener = BackwardJumpListener.NONE;
        private UpperBoundStore store;
        private long persistWindow = -1;
        private long initialTimestamp;

        private Builder()
        {
        }

        /**
         * Millisecond format ({@link HybridTimestampFormat#MILLIS}) on the given physical clock.
         *
         * @param clock e.g. {@link SystemEpochClock#INSTANCE}, or a {@code CachedEpochClock} in tests.
         * @return this.
         */
        public Builder epochClock(final EpochClock clock)
        {
            this.format = HybridTimestampFormat.MILLIS;
            this.millisClock = Objects.requireNonNull(clock, "clock");
            this.microsClock = null;
            return this;
        }

        /**
         * Microsecond format ({@link HybridTimestampFormat#MICROS}) on the given physical clock.
         *
         * @param clock e.g. {@link SystemEpochMicroClock}.
         * @return this.
         */
        public Builder epochMicroClock(final EpochMicroClock clock)
        {
            this.format = HybridTimestampFormat.MICROS;
            this.microsClock = Objects.requireNonNull(clock, "clock");
            this.millisClock = null;
            return this;
        }

        /**
         * Selects the format on the system clock of its unit.
         *
         * @param format {@link HybridTimestampFormat#MILLIS} (default) or {@link HybridTimestampFormat#MICROS}.
         * @return this.
         */
        public Builder format(final HybridTimestampFormat format)
        {
            return Objects.requireNonNull(format, "format") == HybridTimestampFormat.MILLIS ?
                epochClock(SystemEpochClock.INSTANCE) : epochMicroClock(new SystemEpochMicroClock());
        }

        /**
         * @param maxOffset largest accepted distance of a remote physical time ahead of local physical time,
         *                  {@code > 0}.
         * @param unit      its unit.
         * @return this.
         */
        public Builder maxOffset(final long maxOffset, final TimeUnit unit)
        {
            if (maxOffset <= 0)
            {
                throw new IllegalArgumentException("maxOffset must be positive: " + maxOffset + " " + unit);
            }
            this.maxOffset = unit.toNanos(maxOffset);
            return this;
        }

        /**
         * @param tolerance backward steps of the physical source up to this size are not counted as jumps
         *                  (default 0: every step back is counted); {@code >= 0}.
         * @param unit      its unit.
         * @return this.
         */
        public Builder backwardJumpTolerance(final long tolerance, final TimeUnit unit)
        {
            if (tolerance < 0)
            {
                throw new IllegalArgumentException("backward jump tolerance must be >= 0: " + tolerance + " " + unit);
            }
            this.jumpTolerance = unit.toNanos(tolerance);
            return this;
        }

        /**
         * @param listener told of each backward jump of the physical source, on the calling thread.
         * @return this.
         */
        public Builder backwardJumpListener(final BackwardJumpListener listener)
        {
            this.jumpListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Enables restart safety: the clock persists an upper bound before issuing timestamps below it, and
         * starts above the stored bound.
         *
         * @param store e.g. {@link FileUpperBoundStore}.
         * @return this.
         */
        public Builder upperBoundStore(final UpperBoundStore store)
        {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param window physical time reserved by each durable write (default
         *               {@value #DEFAULT_PERSIST_WINDOW_MS} ms). After a crash the restarted clock may run up
         *               to this far ahead of physical time; keep it well below the max offset.
         * @param unit   its unit.
         * @return this.
         */
        public Builder persistWindow(final long window, final TimeUnit unit)
        {
            if (window <= 0)
            {
                throw new IllegalArgumentException("persist window must be positive: " + window + " " + unit);
            }
            this.persistWindow = unit.toNanos(window);
            return this;
        }

        /**
         * @param timestamp the clock starts here (the first result is above it); default 0.
         * @return this.
         */
        public Builder initialTimestamp(final long timestamp)
        {
            this.initialTimestamp = timestamp;
            return this;
        }

        /**
         * @return the clock.
         * @throws InvalidTimestampException if the initial timestamp is not valid in the chosen format.
         * @throws java.io.UncheckedIOException if the upper-bound store cannot be read or written.
         */
        public AtomicHybridClock build()
        {
            if (millisClock == null && microsClock == null)
            {
                millisClock = SystemEpochClock.INSTANCE;
            }
            format.validate(initialTimestamp);
            final TimeUnit unit = format.physicalUnit();
            final long maxOffsetUnits = maxOffset < 0 ? unit.convert(DEFAULT_MAX_OFFSET_MS, TimeUnit.MILLISECONDS) :
                Math.max(1, unit.convert(maxOffset, TimeUnit.NANOSECONDS));
            final long jumpToleranceUnits = unit.convert(jumpTolerance, TimeUnit.NANOSECONDS);
            final long persistWindowUnits = persistWindow < 0 ?
                unit.convert(DEFAULT_PERSIST_WINDOW_MS, TimeUnit.MILLISECONDS) :
                Math.max(2, unit.convert(persistWindow, TimeUnit.NANOSECONDS));
            return new AtomicHybridClock(this, maxOffsetUnits, jumpToleranceUnits, persistWindowUnits);
        }
    }
}

/** Padding before the hot state. */
abstract class HlcPadBefore
{
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
}

/** The hot state: the last issued timestamp, written by every call. */
abstract class HlcState extends HlcPadBefore
{
    volatile long state;
}

/** Padding between the state and the read-mostly statistics. */
abstract class HlcPadAfterState extends HlcState
{
    byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
    byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
    byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
    byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
}

/** Read on every call, written rarely (once per physical tick, or on rare events). */
abstract class HlcStats extends HlcPadAfterState
{
    volatile long lastPhysical;
    volatile long fastLimit;
    volatile long maxAhead;
    volatile long rejected;
    volatile long jumps;
    volatile long carries;
}

/** Padding after the statistics. */
abstract class HlcPadAfterStats extends HlcStats
{
    byte r000, r001, r002, r003, r004, r005, r006, r007, r008, r009, r010, r011, r012, r013, r014, r015;
    byte r016, r017, r018, r019, r020, r021, r022, r023, r024, r025, r026, r027, r028, r029, r030, r031;
    byte r032, r033, r034, r035, r036, r037, r038, r039, r040, r041, r042, r043, r044, r045, r046, r047;
    byte r048, r049, r050, r051, r052, r053, r054, r055, r056, r057, r058, r059, r060, r061, r062, r063;
}
