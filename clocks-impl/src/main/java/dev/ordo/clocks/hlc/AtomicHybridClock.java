package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.BackwardJumpListener;
import dev.ordo.clocks.api.ClockOverflowException;
import dev.ordo.clocks.api.ForwardJumpListener;
import dev.ordo.clocks.api.ForwardJumpPolicy;
import dev.ordo.clocks.api.HybridClock;
import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.InvalidTimestampException;
import dev.ordo.clocks.api.MaxOffsetExceededException;
import dev.ordo.clocks.api.PhysicalClockJumpedException;
import dev.ordo.clocks.api.UpperBoundStore;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.EpochMicroClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemEpochMicroClock;
import org.agrona.concurrent.SystemNanoClock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * which keeps the order. The common case is one unconditional atomic add whose result is then checked
 * (wait-free); when physical time has moved past it, one compare-and-set fixes it up (the added value is
 * then skipped, never issued).
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
 *     <li>The clock issues no timestamp above {@link #largestTimestamp()} ({@code 2^32} below the format's
 *     largest value), so {@link HybridClock#REJECTED_TOO_FAR_AHEAD} and the other rejection codes are never
 *     timestamps this clock returns, in any format.</li>
 *     <li>Backward jumps of the physical source never make the clock go back: each is counted once
 *     ({@link #backwardJumps()}) and reported to the {@link BackwardJumpListener}. Forward jumps beyond a
 *     threshold are counted ({@link #forwardJumps()}), reported to the {@link ForwardJumpListener}, and
 *     handled by the {@link ForwardJumpPolicy}.</li>
 *     <li>With an {@link UpperBoundStore}, no timestamp is issued at or above the persisted bound, and a new
 *     clock built on the same store after a crash starts above it: it never repeats or goes below a
 *     timestamp issued before the crash, even when the physical clock stepped back meanwhile. When the
 *     persisted bound is ahead of physical time at start, {@link Builder#build()} waits (bounded) until
 *     physical time passes it, so the restarted clock does not run ahead of its peers.</li>
 * </ul>
 *
 * <h2>Logical overflow</h2>
 * More than {@code maxLogical + 1} events within one physical unit (or a long stretch at a physical time
 * ahead of the local clock, after a remote update) carries into the physical part: the clock runs ahead of
 * physical time. It stays correct and monotonic; the distance is visible as {@link #aheadOfPhysical()} and
 * {@link #maxAheadOfPhysical()}, each carry is counted in {@link #overflowCarries()}, and physical time
 * catches up by itself. Peers see such timestamps as ahead and reject them once they pass their max offset.
 *
 * <h2>Concurrency, blocking and cost</h2>
 * All methods are thread-safe. Without a store, {@link #now()}, {@link #update(long)},
 * {@link #tryUpdate(long)} and {@link #current()} never block: lock-free, and wait-free on the common path.
 * With a store, a caller blocks only when the timestamp it needs is beyond the durable bound (the store fell
 * a whole window behind, or a remote update or a forward physical jump needs a bound further ahead): it then
 * waits for the persist lock and for one {@link UpperBoundStore#store(long)} (an fsync with
 * {@link FileUpperBoundStore}; plus one more if another thread holds the lock for its own write). Crossing
 * the half-window refresh point never blocks: one caller writes while the others go on. Calling
 * {@link #maintainUpperBound()} every quarter window from a thread of your own keeps callers from ever
 * waiting, as long as the store is faster than a quarter window. {@link Builder#build()} with a store blocks
 * for at most the configured startup wait. Nothing allocates on any path except exceptions and the store's
 * write. The hot state lives on its own cache line; statistics are on another one, written rarely.
 */
public final class AtomicHybridClock extends HlcPadAfterStats implements HybridClock
{
    /** Default max offset: 500 ms, as CockroachDB, Apache Ignite 3 and YugabyteDB. */
    public static final long DEFAULT_MAX_OFFSET_MS = 500;

    /** Default persistence window: 200 ms of physical time reserved per durable write. */
    public static final long DEFAULT_PERSIST_WINDOW_MS = 200;

    /**
     * Longest persistence window: one hour. Each durable write reserves a window of physical time ahead of the
     * clock, so after a crash the restarted clock finds its bound up to a window ahead, and waits that out (up
     * to the startup wait, beyond which it refuses to start) or starts that far ahead of its peers. A longer
     * window saves only store writes (at most two per window), and a window of centuries once passed the
     * builder and put every restart that far ahead.
     */
    public static final long MAX_PERSIST_WINDOW_MS = 3_600_000;

    /** Longest single park while waiting at start for physical time, so a step of the clock ends the wait soon. */
    private static final long MAX_STARTUP_PARK_NS = 10_000_000;

    /** Default longest wait at start for physical time to pass a persisted bound: 10 s. */
    public static final long DEFAULT_MAX_STARTUP_WAIT_MS = 10_000;

    /**
     * Values between {@link #largestTimestamp()} and the format's largest timestamp: never issued. They are
     * headroom for atomic adds already in flight when the clock reaches its top (far fewer threads than this
     * exist), and they keep the {@code tryUpdate} rejection codes (-1..-3, the largest {@code MICROS} values
     * as unsigned numbers) out of the range of issued timestamps.
     */
    private static final long TOP_HEADROOM = 1L << 32;

    /** {@code fastLimit} value that sends every call to the exact compare-and-set path. */
    private static final long EXACT = 0L;

    private static final int EPOCH_SHIFT = 53;
    private static final long PHYSICAL_MASK = (1L << EPOCH_SHIFT) - 1;
    private static final long EPOCH_MASK = ~PHYSICAL_MASK;
    private static final long EPOCH_ONE = 1L << EPOCH_SHIFT;
    private static final long NO_BASELINE = Long.MIN_VALUE;

    private static final VarHandle STATE;
    private static final VarHandle LAST_PHYSICAL;
    private static final VarHandle MAX_AHEAD;
    private static final VarHandle REJECTED;
    private static final VarHandle JUMPS;
    private static final VarHandle CARRIES;
    private static final VarHandle FAST_LIMIT;
    private static final VarHandle FORWARD_JUMPS;
    private static final VarHandle BASELINE;
    private static final VarHandle REFUSING;

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
            FORWARD_JUMPS = lookup.findVarHandle(HlcStats.class, "forwardJumps", long.class);
            BASELINE = lookup.findVarHandle(HlcStats.class, "wallMinusMonoNs", long.class);
            REFUSING = lookup.findVarHandle(HlcStats.class, "refusing", int.class);
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
    private final long ceiling;
    private final long unitNanos;
    private final EpochClock millisClock;
    private final EpochMicroClock microsClock;
    private final NanoClock monotonicClock;
    private final long maxOffset;
    private final long jumpTolerance;
    private final BackwardJumpListener jumpListener;
    private final long forwardThreshold;
    private final int baselineRefreshShift;
    private final ForwardJumpListener forwardListener;
    private final boolean refuseOnForwardJump;
    private final UpperBoundStore store;
    private final long persistWindow;
    private final ReentrantLock persistLock;
    private final long startupWait;
    /** Largest timestamp this clock may issue; written under persistLock after the store made it durable. */
    private volatile long issueLimit;

    private AtomicHybridClock(
        final Builder builder, final long maxOffset, final long jumpTolerance, final long persistWindow,
        final long forwardThreshold, final long maxStartupWait, final long acceptAhead)
    {
        this.format = builder.format;
        this.logicalBits = format.logicalBits();
        this.logicalMask = format.maxLogical();
        this.maxPhysical = format.maxPhysical();
        this.ceiling = format.maxTimestamp() - TOP_HEADROOM;
        this.unitNanos = format.physicalUnit().toNanos(1);
        this.millisClock = builder.millisClock;
        this.microsClock = builder.microsClock;
        this.monotonicClock = builder.monotonicClock;
        this.maxOffset = maxOffset;
        this.jumpTolerance = jumpTolerance;
        this.jumpListener = builder.jumpListener;
        this.forwardThreshold = forwardThreshold;
        // Re-measure physical minus monotonic time about once a second, so slow drift (NTP slewing) never
        // adds up to a false forward jump: 2^10 ms or 2^20 µs.
        this.baselineRefreshShift = format == HybridTimestampFormat.MILLIS ? 10 : 20;
        this.forwardListener = builder.forwardListener;
        this.refuseOnForwardJump = builder.forwardPolicy == ForwardJumpPolicy.REFUSE;
        this.store = builder.store;
        this.persistWindow = persistWindow;
        this.persistLock = store == null ? null : new ReentrantLock();
        BASELINE.setVolatile(this, NO_BASELINE);
        LAST_PHYSICAL.setVolatile(this, 0L);

        long start = builder.initialTimestamp;
        long waited = 0;
        if (store != null)
        {
            // With its format: a store that records formats refuses a bound of the other one (1000x off).
            final long persisted = store.load(format);
            if (persisted == UpperBoundStore.NONE)
            {
                if (builder.storeStart == StoreStart.RESTART)
                {
                    throw new IllegalStateException(
                        "the upper-bound store " + store + " holds no bound, but the clock was built as a restart: " +
                        "if this is the node's first start, build with StoreStart.FIRST_START; if the bound was " +
                        "lost, this node may repeat timestamps it issued before (restore the file, or wait out the " +
                        "max offset and start it as a first start)");
                }
            }
            else
            {
                if (builder.storeStart == StoreStart.FIRST_START)
                {
                    throw new IllegalStateException(
                        "the upper-bound store " + store + " already holds a bound (" + describe(persisted) +
                        "), but the clock was built as a first start: build with StoreStart.RESTART");
                }
                if (!format.isValid(persisted) || Long.compareUnsigned(persisted, ceiling) > 0)
                {
                    throw new IllegalStateException(
                        "the upper-bound store " + store + " holds " + persisted + ", not a " + format +
                        " timestamp this clock can start from");
                }
                waited = awaitPhysicalPast(persisted, maxStartupWait, acceptAhead);
                // Every timestamp issued before the restart is below the persisted bound: start at it.
                start = unsignedMax(start, persisted);
            }
        }
        this.startupWait = waited;
        STATE.setVolatile(this, start);
        if (store == null)
        {
            issueLimit = ceiling;
            FAST_LIMIT.setVolatile(this, ceiling);
        }
        else
        {
            issueLimit = start;
            FAST_LIMIT.setVolatile(this, EXACT);
            extendUpperBound(start + 1);
        }
    }

    /**
     * Waits until physical time reaches the physical part of a persisted bound (CockroachDB does the same),
     * so the restarted clock does not run ahead of its peers by up to a window plus the largest accepted
     * remote jump. Refuses a bound implausibly far ahead.
     *
     * @return the physical time waited, in the format's unit.
     */
    private long awaitPhysicalPast(final long persisted, final long maxStartupWait, final long acceptAhead)
    {
        final long boundPhysical = persisted >>> logicalBits;
        final long physicalAtStart = readPhysicalQuietly();
        final long ahead = boundPhysical - physicalAtStart;
        if (ahead <= 0)
        {
            return 0;
        }
        if (ahead > maxStartupWait)
        {
            if (ahead <= acceptAhead)
            {
                return 0; // the user accepts a clock that starts this far ahead of physical time
            }
            throw new IllegalStateException(
                "the upper-bound store " + store + " holds " + describe(persisted) + ", " + ahead + " " +
                format.unitSymbol() + " ahead of physical time " + format.toString(format.fromPhysical(physicalAtStart)) +
                ": longer than the startup wait of " + maxStartupWait + " " + format.unitSymbol() +
                ". Either the physical clock is wrong (fix it first) or the bound is (a clock started from it would " +
                "run that far ahead and peers would reject it). To start anyway, raise maxStartupWait or set " +
                "acceptBoundAhead");
        }
        // Exact for every distance: the budget saturates (2^47 ms is more nanoseconds than a long holds), and
        // monotonic time is compared as an elapsed difference, never as a deadline that could overflow.
        final long budgetNs = saturatedMultiply(ahead + 1, unitNanos);
        final long startNs = monotonicClock.nanoTime();
        long physical = physicalAtStart;
        while (physical < boundPhysical)
        {
            if (Thread.currentThread().isInterrupted())
            {
                // parkNanos returns at once while the flag is set: without this the wait would spin until its
                // budget ran out and then blame the physical clock. The flag stays set for the caller.
                throw new IllegalStateException(
                    "interrupted while waiting for physical time " + format.toString(format.fromPhysical(physical)) +
                    " to reach the persisted bound " + describe(persisted) + " of the upper-bound store " + store +
                    "; the clock was not built (the thread's interrupt flag is left set)");
            }
            final long elapsedNs = Math.max(0, monotonicClock.nanoTime() - startNs);
            if (elapsedNs >= budgetNs)
            {
                throw new IllegalStateException(
                    "physical time " + format.toString(format.fromPhysical(physical)) + " did not reach the persisted " +
                    "bound " + describe(persisted) + " in the " + (ahead + 1) + " " + format.unitSymbol() +
                    " of monotonic time that should take from " +
                    format.toString(format.fromPhysical(physicalAtStart)) + "; the physical clock is not advancing");
            }
            // Re-read at least every 10 ms: a physical clock stepped forward meanwhile (NTP at boot) ends the wait.
            final long distanceNs = saturatedMultiply(boundPhysical - physical, unitNanos);
            LockSupport.parkNanos(Math.min(budgetNs - elapsedNs, Math.min(MAX_STARTUP_PARK_NS, distanceNs)));
            physical = readPhysicalQuietly();
        }
        return physical - physicalAtStart;
    }

    /** {@code a * b} for non-negative operands, {@link Long#MAX_VALUE} when it does not fit. */
    private static long saturatedMultiply(final long a, final long b)
    {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    private String describe(final long timestamp)
    {
        return format.isValid(timestamp) ? format.toString(timestamp) : Long.toUnsignedString(timestamp);
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
     *
     * @throws PhysicalClockJumpedException with {@link ForwardJumpPolicy#REFUSE}, after a forward jump that
     *                                      was not yet acknowledged; the clock is unchanged.
     */
    @Override
    public long now()
    {
        final long physical = readPhysical();
        final long physicalTs = physical << logicalBits;
        final long limit = (long)FAST_LIMIT.getVolatile(this);
        // Physical time past the limit needs the exact path anyway: go there without adding, so a call
        // that then fails (a store error) has not touched the state.
        if (limit != EXACT && Long.compareUnsigned(physicalTs, limit) <= 0)
        {
            // Invariant: a value is issued only if it is <= a limit that was durable (or, without a store,
            // <= the clock's largest timestamp) before this call read it, is >= physicalTs, and is above
            // every value issued before. Why it holds under every interleaving: the add's result is owned
            // by this call alone (atomic) and is above every value issued before (the state only grows:
            // adds and compare-and-sets that raise it); the limit is published only after the store made
            // it durable and this check is on that result, not on a state read earlier, so no other thread
            // can move anything between the check and the action it guards. A result that fails the check
            // is never issued: it is skipped, and the slow path works out a correct value.
            final long next = (long)STATE.getAndAdd(this, 1L) + 1;
            if (Long.compareUnsigned(next, physicalTs) >= 0 && Long.compareUnsigned(next, limit) <= 0)
            {
                afterIncrement(next, physical);
                return next;
            }
            return afterFailedAdd(next, physical, 0L, false);
        }
        return exactAdvance(physical, 0L, false);
    }

    /**
     * {@inheritDoc}
     *
     * @throws PhysicalClockJumpedException with {@link ForwardJumpPolicy#REFUSE}, after a forward jump that
     *                                      was not yet acknowledged; the clock is unchanged.
     */
    @Override
    public long update(final long remote)
    {
        if (!format.isValid(remote))
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
     * <p>The rejection codes are never timestamps of this clock, in any format: {@code MILLIS} timestamps are
     * non-negative, and {@code MICROS} timestamps (negative {@code long}s after the year 2041) stop at
     * {@link #largestTimestamp()}, below -3 as an unsigned number. A remote value equal to a code is refused
     * as {@link #REJECTED_INVALID} unless it is a valid timestamp below the largest one, which -1..-3 are not.
     *
     * @throws PhysicalClockJumpedException with {@link ForwardJumpPolicy#REFUSE}, after a forward jump that
     *                                      was not yet acknowledged; the clock is unchanged.
     */
    @Override
    public long tryUpdate(final long remote)
    {
        if (!format.isValid(remote))
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
        final long limit = (long)FAST_LIMIT.getVolatile(this);
        // A remote or physical time at or above the limit goes to the exact path without adding, so an update
        // that ends in REJECTED_OVERFLOW or a store error has not touched the state.
        if (limit != EXACT && Long.compareUnsigned(remote, limit) < 0 && Long.compareUnsigned(physicalTs, limit) <= 0)
        {
            // Same invariant as now(): the result is checked, never a state read before the add.
            final long next = (long)STATE.getAndAdd(this, 1L) + 1;
            if (Long.compareUnsigned(next, remote) > 0 && Long.compareUnsigned(next, physicalTs) >= 0 &&
                Long.compareUnsigned(next, limit) <= 0)
            {
                afterIncrement(next, physical);
                return next;
            }
            return afterFailedAdd(next, physical, remote, true);
        }
        return exactAdvance(physical, remote, true);
    }

    /**
     * A fast add's result failed its check: it is below physical time or the remote (fix it up with a
     * compare-and-set), or above the fast limit (near the durable bound, or at the top of the format).
     */
    private long afterFailedAdd(final long added, final long physical, final long remote, final boolean isUpdate)
    {
        final boolean ordered = Long.compareUnsigned(added, physical << logicalBits) >= 0 &&
            (!isUpdate || Long.compareUnsigned(added, remote) > 0);
        if (store == null)
        {
            if (Long.compareUnsigned(added, ceiling) > 0)
            {
                // The clock reached its top: from now on every call takes the exact path and adds nothing,
                // so the state stays within (number of threads) of the ceiling and never wraps.
                FAST_LIMIT.setVolatile(this, EXACT);
            }
            return exactAdvance(physical, remote, isUpdate);
        }
        if (ordered && Long.compareUnsigned(added, ceiling) <= 0)
        {
            if (Long.compareUnsigned(added, issueLimit) > 0)
            {
                extendUpperBound(added); // the durable bound fell behind: wait for it
            }
            else if (persistLock.tryLock())
            {
                try
                {
                    extendUpperBoundLocked(added); // past the refresh point: extend while others go on
                }
                catch (final RuntimeException ex)
                {
                    // This value is below the durable bound already, so it is issued anyway; the caller that
                    // needs a higher bound retries the store and gets its error.
                }
                finally
                {
                    persistLock.unlock();
                }
            }
            if (Long.compareUnsigned(added, issueLimit) <= 0)
            {
                afterIncrement(added, physical);
                return added;
            }
        }
        return exactAdvance(physical, remote, isUpdate);
    }

    /**
     * Exact path: a compare-and-set loop that checks every candidate against the durable bound and the top of
     * the format before it stores it. Adds nothing, so a call that ends in an exception or a rejection code
     * here leaves the state as it found it.
     */
    private long exactAdvance(final long physicalAtCall, final long remote, final boolean isUpdate)
    {
        long physical = physicalAtCall;
        long physicalTs = physical << logicalBits;
        while (true)
        {
            final long prev = (long)STATE.getVolatile(this);
            final long base = isUpdate ? unsignedMax(prev, remote) : prev;
            final boolean increments = Long.compareUnsigned(base, physicalTs) >= 0;
            if (Long.compareUnsigned(base, ceiling) >= 0 || Long.compareUnsigned(physicalTs, ceiling) > 0)
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
                    // Read with jump detection: a forward jump during the wait is refused (REFUSE) or reported.
                    physical = Math.max(physicalAtCall, Math.min(readPhysical(), issueLimit >>> logicalBits));
                    physicalTs = physical << logicalBits;
                    continue;
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
        final long fastLimit = (long)FAST_LIMIT.getVolatile(this);
        if (fastLimit != EXACT && Long.compareUnsigned(needed, fastLimit) <= 0)
        {
            return; // another thread extended it meanwhile
        }
        final long neededPhysical = needed >>> logicalBits;
        // Read with jump detection, so no bound is persisted from a jumped reading under REFUSE.
        final long basePhysical = Math.max(neededPhysical, readPhysical());
        if (basePhysical > (ceiling >>> logicalBits) - persistWindow)
        {
            FAST_LIMIT.setVolatile(this, EXACT); // at the top: no more adds, so the state cannot wrap
            throw new ClockOverflowException(
                "cannot persist an upper bound past the largest " + format + " time this clock issues (" +
                format.toString(ceiling) + "); the clock is unchanged");
        }
        final long newBound = (basePhysical + persistWindow) << logicalBits; // exclusive
        store.store(newBound, format);
        // Published only now that the store made it durable: a value below it is safe to issue.
        issueLimit = newBound - 1;
        // Refresh when half the window is used, so callers rarely wait on the store.
        FAST_LIMIT.setVolatile(this, (basePhysical + persistWindow / 2) << logicalBits);
    }

    /**
     * Extends the persisted upper bound if half of the current window is used up. Call it from a background
     * thread every {@code persistWindow / 4} or so and no caller of {@link #now()}/{@link #update(long)} ever
     * waits for the store. Does nothing without a store. Blocks for the persist lock and one store write.
     *
     * @throws java.io.UncheckedIOException when the store fails; the clock is unchanged.
     * @throws PhysicalClockJumpedException with {@link ForwardJumpPolicy#REFUSE}, after a forward jump that was
     *                                      not yet acknowledged: no bound is persisted from the jumped time.
     */
    public void maintainUpperBound()
    {
        if (store == null)
        {
            return;
        }
        final long physicalTs = readPhysicalQuietly() << logicalBits;
        extendUpperBound(unsignedMax(current() + 1, physicalTs));
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
     * Reads the physical clock, detecting jumps.
     *
     * <p>{@code lastPhysical} holds a jump epoch (top bits) and the largest physical time seen since the last
     * backward jump. Invariants, under every interleaving: (1) the field is read before the clock, so any
     * value it holds was read from the clock earlier than this call's reading, and a smaller reading is a real
     * step back, never a race between threads; (2) the field is raised only by a compare-and-set from the
     * value this call read, retried only while the epoch is unchanged, so it keeps the maximum of the
     * readings (no older reading overwrites a newer one) and a reading taken before a jump was reported can
     * never be written after it; (3) a jump is reported only by the thread whose compare-and-set lowers the
     * field and moves the epoch on, so each step back is reported exactly once. The epoch has 11 bits: a
     * thread would have to stall across 2048 reported jumps between its read and its compare-and-set for (2)
     * to fail.
     */
    private long readPhysical()
    {
        final long seen = (long)LAST_PHYSICAL.getVolatile(this);
        final long physical = readPhysicalQuietly();
        final long last = seen & PHYSICAL_MASK;
        if (physical > last)
        {
            if (refuseOnForwardJump && (physical - last > forwardThreshold ||
                (physical >>> baselineRefreshShift) != (last >>> baselineRefreshShift)))
            {
                // The condition of raiseLastPhysical's check, against the last reading this thread saw.
                refuseIfJumped(physical); // before the reading is published: see refuseIfJumped
            }
            raiseLastPhysical(seen, physical);
        }
        else if (last - physical > jumpTolerance &&
            LAST_PHYSICAL.compareAndSet(this, seen, ((seen & EPOCH_MASK) + EPOCH_ONE) | physical))
        {
            JUMPS.getAndAdd(this, 1L);
            // Physical minus monotonic time moved back with the jump: measure it afresh, so that a later step
            // forward (say, the correction of this one) is judged from here.
            BASELINE.setVolatile(this, physical * unitNanos - monotonicClock.nanoTime());
            jumpListener.onBackwardJump(last, physical);
        }
        // Read after the last reading: a thread that saw a jumped reading published (or lost the race to
        // publish its own) also sees the refusal set before it was published.
        if (refuseOnForwardJump && (int)REFUSING.getVolatile(this) != 0)
        {
            throw refusing();
        }
        return physical;
    }

    /**
     * With {@link ForwardJumpPolicy#REFUSE}: sets the refusal when this reading jumped against the baseline,
     * before the reading is published, so no thread issues a timestamp from a jumped reading. Under every
     * interleaving: the thread whose compare-and-set publishes a jumped reading read, before it, a last reading
     * from before the jump, so it came here and, the baseline being moved only by such publishers (after they
     * came here), judged against a baseline from before the jump and set the refusal; every other thread that
     * holds a jumped reading either sees that published value (its own compare-and-set fails or its read of
     * the last reading returns it) and then the refusal in its final check, or comes here itself. Counting and
     * reporting stay with the publisher (checkForwardJump), once per jump.
     */
    private void refuseIfJumped(final long physical)
    {
        final long baseline = (long)BASELINE.getVolatile(this);
        if (baseline != NO_BASELINE &&
            physical * unitNanos - monotonicClock.nanoTime() - baseline > forwardThreshold * unitNanos)
        {
            REFUSING.setVolatile(this, 1);
        }
    }

    private void raiseLastPhysical(final long seen, final long physical)
    {
        long expected = seen;
        while (true)
        {
            final long witness = (long)LAST_PHYSICAL.compareAndExchange(this, expected, (seen & EPOCH_MASK) | physical);
            if (witness == expected)
            {
                final long previous = expected & PHYSICAL_MASK;
                if (physical - previous > forwardThreshold ||
                    (physical >>> baselineRefreshShift) != (previous >>> baselineRefreshShift))
                {
                    checkForwardJump(physical);
                }
                return;
            }
            if ((witness & EPOCH_MASK) != (seen & EPOCH_MASK) || (witness & PHYSICAL_MASK) >= physical)
            {
                return; // a jump was reported since this reading, or a newer reading is already there
            }
            expected = witness;
        }
    }

    /**
     * Compares physical time with the monotonic reference: physical time that advanced more than the
     * monotonic clock by over the threshold jumped forward. Called when physical time moved by more than the
     * threshold since the last reading, and about once a second to follow slow drift. The compare-and-set on
     * the baseline makes one thread report each jump.
     */
    private void checkForwardJump(final long physical)
    {
        final long offsetNs = physical * unitNanos - monotonicClock.nanoTime();
        final long baseline = (long)BASELINE.getVolatile(this);
        if (!BASELINE.compareAndSet(this, baseline, offsetNs) || baseline == NO_BASELINE)
        {
            return;
        }
        final long jumpNs = offsetNs - baseline;
        if (jumpNs > forwardThreshold * unitNanos)
        {
            FORWARD_JUMPS.getAndAdd(this, 1L);
            final long expected = physical - jumpNs / unitNanos;
            if (refuseOnForwardJump)
            {
                REFUSING.setVolatile(this, 1);
            }
            forwardListener.onForwardJump(expected, physical);
            if (refuseOnForwardJump)
            {
                throw refusing();
            }
        }
    }

    private PhysicalClockJumpedException refusing()
    {
        return new PhysicalClockJumpedException(
            "the physical clock jumped forward by more than " + forwardThreshold + " " + format.unitSymbol() +
            " (forward jumps so far: " + forwardJumps() + "); the forward-jump policy is REFUSE, so this clock " +
            "issues no timestamps until acknowledgeForwardJump() is called; the clock is unchanged");
    }

    /**
     * Resumes issuing timestamps after a forward jump refused them ({@link ForwardJumpPolicy#REFUSE}). Check
     * the physical clock first: timestamps issued from now on follow it.
     */
    public void acknowledgeForwardJump()
    {
        REFUSING.setVolatile(this, 0);
    }

    /**
     * @return true while the clock refuses to issue timestamps after a forward jump
     * ({@link ForwardJumpPolicy#REFUSE}).
     */
    public boolean isRefusingAfterForwardJump()
    {
        return (int)REFUSING.getVolatile(this) != 0;
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
            "hybrid clock cannot advance past its largest " + format + " timestamp " + format.toString(ceiling) +
            " (clock " + format.toString(current()) + ", remote " + format.toString(remote) + "); the clock is unchanged");
    }

    private static long unsignedMax(final long a, final long b)
    {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Precisely: a value at or above every timestamp issued before this call and below every timestamp
     * issued after it returns. (A value an atomic add skipped may be included; no timestamp is issued at or
     * below it later.)
     */
    @Override
    public long current()
    {
        final long state = (long)STATE.getVolatile(this);
        // Adds beyond the limit (waiting for the store, or refused at the top) are never issued: not shown.
        final long limit = issueLimit;
        return Long.compareUnsigned(state, limit) <= 0 ? state : limit;
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
     * @return the max offset as a {@link Duration}.
     */
    public Duration maxOffsetDuration()
    {
        return Duration.ofNanos(maxOffset * unitNanos);
    }

    /**
     * @return the largest timestamp this clock issues: {@code 2^32} below the format's largest value (about
     * 65 s before the end of {@code MILLIS}, 1 s before the end of {@code MICROS}).
     */
    public long largestTimestamp()
    {
        return ceiling;
    }

    /**
     * @return how long {@link Builder#build()} waited for physical time to pass the persisted bound, in the
     * format's physical unit (0 without a store or when the bound was not ahead).
     */
    public long startupWait()
    {
        return startupWait;
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
     * @return how many times the physical source jumped forward by more than the threshold.
     */
    public long forwardJumps()
    {
        return (long)FORWARD_JUMPS.getVolatile(this);
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

    /**
     * A {@link InstantSource} view of this clock, for code that takes {@code java.time}: each
     * {@link InstantSource#instant()} and {@link InstantSource#millis()} issues a timestamp with
     * {@link #now()} and returns its physical part, so successive instants never go back, even when the
     * physical source does. The logical part is dropped (instants of events in the same unit are equal).
     * {@code instant()} allocates an {@link Instant}; use {@link #now()} on hot paths.
     *
     * @return the view; thread-safe.
     */
    public InstantSource asInstantSource()
    {
        return new InstantSource()
        {
            @Override
            public Instant instant()
            {
                final long physical = now() >>> logicalBits;
                return format == HybridTimestampFormat.MILLIS ? Instant.ofEpochMilli(physical) :
                    Instant.ofEpochSecond(physical / 1_000_000L, (physical % 1_000_000L) * 1_000L);
            }

            @Override
            public long millis()
            {
                final long physical = now() >>> logicalBits;
                return format == HybridTimestampFormat.MILLIS ? physical : physical / 1_000L;
            }

            @Override
            public String toString()
            {
                return "InstantSource view of " + AtomicHybridClock.this;
            }
        };
    }

    @Override
    public String toString()
    {
        return "AtomicHybridClock{" + format.toString(current()) + ", maxOffset=" + maxOffset + format.unitSymbol() +
            ", rejected=" + rejectedUpdates() + ", backwardJumps=" + backwardJumps() + ", forwardJumps=" +
            forwardJumps() + ", carries=" + overflowCarries() + ", maxAhead=" + maxAheadOfPhysical() +
            format.unitSymbol() + "}";
    }

    /**
     * How a clock with an {@link UpperBoundStore} treats what it finds in the store, so a lost bound file is
     * never silently taken for a node's first start.
     */
    public enum StoreStart
    {
        /** The node has never run: the store must be empty. A stored bound fails the build. */
        FIRST_START,
        /** The node ran before: the store must hold its bound. An empty store fails the build. */
        RESTART,
        /**
         * Either: an empty store is a first start. Only for nodes whose earlier timestamps do not matter
         * (tests, throwaway nodes): a lost file then silently makes a fresh clock.
         */
        FIRST_START_OR_RESTART
    }

    /**
     * Configures an {@link AtomicHybridClock}. Not thread-safe; build once and share the clock.
     */
    public static final class Builder
    {
        private HybridTimestampFormat format = HybridTimestampFormat.MILLIS;
        private EpochClock millisClock;
        private EpochMicroClock microsClock;
        private NanoClock monotonicClock = new SystemNanoClock();
        private long maxOffset = -1;
        private long jumpTolerance;
        private BackwardJumpListener jumpListener = BackwardJumpListener.NONE;
        private long forwardThreshold = -1;
        private ForwardJumpListener forwardListener = ForwardJumpListener.NONE;
        private ForwardJumpPolicy forwardPolicy = ForwardJumpPolicy.REPORT;
        private UpperBoundStore store;
        private StoreStart storeStart;
        private long persistWindow = -1;
        private Duration maxStartupWait = Duration.ofMillis(DEFAULT_MAX_STARTUP_WAIT_MS);
        private Duration acceptAhead = Duration.ZERO;
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
         * A {@code java.time} physical source: {@link java.time.Clock#systemUTC()}, {@link java.time.Clock#fixed}
         * or {@link java.time.Clock#offset} in tests, or any {@link InstantSource}, read through
         * {@link InstantSource#millis()} ({@link HybridTimestampFormat#MILLIS}) or {@link InstantSource#instant()}
         * ({@link HybridTimestampFormat#MICROS}; allocates an {@code Instant} per read unless the JIT removes it).
         *
         * @param source the physical source.
         * @param format the timestamp format, which fixes the unit read.
         * @return this.
         */
        public Builder instantSource(final InstantSource source, final HybridTimestampFormat format)
        {
            Objects.requireNonNull(source, "source");
            if (Objects.requireNonNull(format, "format") == HybridTimestampFormat.MILLIS)
            {
                return epochClock(source::millis);
            }
            return epochMicroClock(() ->
            {
                final Instant instant = source.instant();
                return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
            });
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
         * @param clock monotonic reference for forward-jump detection and the startup wait (default
         *              {@link SystemNanoClock}); tests pass a clock they move by hand.
         * @return this.
         */
        public Builder monotonicClock(final NanoClock clock)
        {
            this.monotonicClock = Objects.requireNonNull(clock, "clock");
            return this;
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
         * @param maxOffset largest accepted distance of a remote physical time ahead of local physical time,
         *                  positive.
         * @return this.
         */
        public Builder maxOffset(final Duration maxOffset)
        {
            return maxOffset(positiveNanos(maxOffset, "maxOffset"), TimeUnit.NANOSECONDS);
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
         * @param threshold physical time advancing more than the monotonic reference by more than this is a
         *                  forward jump (default: half the max offset, CockroachDB's threshold); positive.
         * @return this.
         */
        public Builder forwardJumpThreshold(final Duration threshold)
        {
            this.forwardThreshold = positiveNanos(threshold, "forward jump threshold");
            return this;
        }

        /**
         * @param listener told of each forward jump of the physical source, on the calling thread.
         * @return this.
         */
        public Builder forwardJumpListener(final ForwardJumpListener listener)
        {
            this.forwardListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param policy what to do after a forward jump (default {@link ForwardJumpPolicy#REPORT}).
         * @return this.
         */
        public Builder forwardJumpPolicy(final ForwardJumpPolicy policy)
        {
            this.forwardPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Enables restart safety for a node that ran before: the store must hold its bound (an empty store
         * fails {@link #build()}). Same as {@code upperBoundStore(store, StoreStart.RESTART)}.
         *
         * @param store e.g. {@link FileUpperBoundStore}.
         * @return this.
         */
        public Builder upperBoundStore(final UpperBoundStore store)
        {
            return upperBoundStore(store, StoreStart.RESTART);
        }

        /**
         * Enables restart safety: the clock persists an upper bound before issuing timestamps below it, and
         * starts above the stored bound (after waiting for physical time to pass it, see
         * {@link #maxStartupWait(Duration)}).
         *
         * @param store e.g. {@link FileUpperBoundStore}.
         * @param start whether this is the node's first start, a restart, or either.
         * @return this.
         */
        public Builder upperBoundStore(final UpperBoundStore store, final StoreStart start)
        {
            this.store = Objects.requireNonNull(store, "store");
            this.storeStart = Objects.requireNonNull(start, "start");
            return this;
        }

        /**
         * @param window physical time reserved by each durable write (default
         *               {@value #DEFAULT_PERSIST_WINDOW_MS} ms): positive and at most
         *               {@value #MAX_PERSIST_WINDOW_MS} ms (one hour), see {@link #MAX_PERSIST_WINDOW_MS};
         *               below 2 units of the format it is rounded up to 2. Keep it well below the max offset,
         *               and within {@link #maxStartupWait(Duration)}.
         * @param unit   its unit.
         * @return this.
         * @throws IllegalArgumentException naming the allowed range and why, when out of it.
         */
        public Builder persistWindow(final long window, final TimeUnit unit)
        {
            Objects.requireNonNull(unit, "unit");
            if (window <= 0)
            {
                throw new IllegalArgumentException("persist window must be positive: " + window + " " + unit);
            }
            this.persistWindow = checkedPersistWindowNanos(unit.toNanos(window), window + " " + unit);
            return this;
        }

        /**
         * @param window physical time reserved by each durable write; positive and at most one hour
         *               ({@link #MAX_PERSIST_WINDOW_MS}).
         * @return this.
         * @throws IllegalArgumentException naming the allowed range and why, when out of it.
         */
        public Builder persistWindow(final Duration window)
        {
            this.persistWindow = checkedPersistWindowNanos(positiveNanos(window, "persist window"), window.toString());
            return this;
        }

        private static long checkedPersistWindowNanos(final long windowNs, final String shown)
        {
            if (windowNs > TimeUnit.MILLISECONDS.toNanos(MAX_PERSIST_WINDOW_MS))
            {
                throw new IllegalArgumentException(
                    "persist window " + shown + " is too long: allowed is more than 0 and at most 1 hour (" +
                    MAX_PERSIST_WINDOW_MS + " ms; the default is " + DEFAULT_PERSIST_WINDOW_MS + " ms). Each durable " +
                    "write reserves one window of physical time ahead of the clock, so after a crash the restarted " +
                    "clock finds its bound up to a window ahead and must wait that out (up to maxStartupWait, " +
                    "then it refuses to start) or start that far ahead of its peers; a longer window only saves " +
                    "store writes (at most two per window: fewer than one per half hour beyond an hour)");
            }
            return windowNs;
        }

        /**
         * @param wait longest time {@link #build()} waits for physical time to pass a persisted bound that is
         *             ahead of it (default {@value #DEFAULT_MAX_STARTUP_WAIT_MS} ms); a bound further ahead
         *             fails the build, unless {@link #acceptBoundAhead(Duration)} covers it. Zero or positive.
         * @return this.
         */
        public Builder maxStartupWait(final Duration wait)
        {
            if (Objects.requireNonNull(wait, "wait").isNegative())
            {
                throw new IllegalArgumentException("startup wait must be >= 0: " + wait);
            }
            this.maxStartupWait = wait;
            return this;
        }

        /**
         * Override for a persisted bound further ahead of physical time than the startup wait: up to
         * {@code ahead}, the clock starts at the bound at once, ahead of physical time, and peers may reject
         * its timestamps until physical time catches up. Default zero (refuse).
         *
         * @param ahead the largest distance accepted this way; zero or positive.
         * @return this.
         */
        public Builder acceptBoundAhead(final Duration ahead)
        {
            if (Objects.requireNonNull(ahead, "ahead").isNegative())
            {
                throw new IllegalArgumentException("accepted bound distance must be >= 0: " + ahead);
            }
            this.acceptAhead = ahead;
            return this;
        }

        /**
         * @param timestamp the clock starts here (the first result is above it); default 0; at most the
         *                  format's largest timestamp minus {@code 2^32} (see {@link AtomicHybridClock#largestTimestamp()}).
         * @return this.
         */
        public Builder initialTimestamp(final long timestamp)
        {
            this.initialTimestamp = timestamp;
            return this;
        }

        private static long saturatedNanos(final Duration duration)
        {
            return duration.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : duration.toNanos();
        }

        private static long positiveNanos(final Duration duration, final String what)
        {
            if (Objects.requireNonNull(duration, what).isNegative() || duration.isZero())
            {
                throw new IllegalArgumentException(what + " must be positive: " + duration);
            }
            return saturatedNanos(duration);
        }

        /**
         * Builds the clock. With a store this reads it, may wait for physical time to pass the persisted
         * bound (at most {@link #maxStartupWait(Duration)}), and writes the first bound.
         *
         * @return the clock.
         * @throws InvalidTimestampException    if the initial timestamp is not valid in the chosen format.
         * @throws IllegalStateException        if the store's content does not match the {@link StoreStart}, was
         *                                      written for the other format, or its bound is further ahead of
         *                                      physical time than the startup wait (and the accepted distance)
         *                                      allows, or the thread is interrupted during the startup wait
         *                                      (its interrupt flag is left set).
         * @throws IllegalArgumentException     if the store serves only the other format.
         * @throws java.io.UncheckedIOException if the upper-bound store cannot be read or written.
         */
        public AtomicHybridClock build()
        {
            if (millisClock == null && microsClock == null)
            {
                millisClock = SystemEpochClock.INSTANCE;
            }
            format.validate(initialTimestamp);
            if (Long.compareUnsigned(initialTimestamp, format.maxTimestamp() - TOP_HEADROOM) > 0)
            {
                throw new InvalidTimestampException(
                    "initial timestamp " + format.toString(initialTimestamp) + " is above the largest " + format +
                    " timestamp this clock issues, " + format.toString(format.maxTimestamp() - TOP_HEADROOM));
            }
            final TimeUnit unit = format.physicalUnit();
            final long maxOffsetUnits = maxOffset < 0 ? unit.convert(DEFAULT_MAX_OFFSET_MS, TimeUnit.MILLISECONDS) :
                Math.max(1, unit.convert(maxOffset, TimeUnit.NANOSECONDS));
            final long jumpToleranceUnits = unit.convert(jumpTolerance, TimeUnit.NANOSECONDS);
            final long persistWindowUnits = persistWindow < 0 ?
                unit.convert(DEFAULT_PERSIST_WINDOW_MS, TimeUnit.MILLISECONDS) :
                Math.max(2, unit.convert(persistWindow, TimeUnit.NANOSECONDS));
            final long forwardThresholdUnits = forwardThreshold < 0 ? Math.max(1, maxOffsetUnits / 2) :
                Math.max(1, unit.convert(forwardThreshold, TimeUnit.NANOSECONDS));
            return new AtomicHybridClock(
                this, maxOffsetUnits, jumpToleranceUnits, persistWindowUnits, forwardThresholdUnits,
                unit.convert(maxStartupWait), unit.convert(acceptAhead)); // saturating conversions
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
    /** Jump epoch in the top 11 bits, the largest physical time seen (since the last jump) below. */
    volatile long lastPhysical;
    volatile long fastLimit;
    volatile long maxAhead;
    volatile long rejected;
    volatile long jumps;
    volatile long carries;
    volatile long forwardJumps;
    /** Physical time minus the monotonic reference, in ns, when last checked; NO_BASELINE before. */
    volatile long wallMinusMonoNs;
    volatile int refusing;
}

/** Padding after the statistics. */
abstract class HlcPadAfterStats extends HlcStats
{
    byte r000, r001, r002, r003, r004, r005, r006, r007, r008, r009, r010, r011, r012, r013, r014, r015;
    byte r016, r017, r018, r019, r020, r021, r022, r023, r024, r025, r026, r027, r028, r029, r030, r031;
    byte r032, r033, r034, r035, r036, r037, r038, r039, r040, r041, r042, r043, r044, r045, r046, r047;
    byte r048, r049, r050, r051, r052, r053, r054, r055, r056, r057, r058, r059, r060, r061, r062, r063;
}
