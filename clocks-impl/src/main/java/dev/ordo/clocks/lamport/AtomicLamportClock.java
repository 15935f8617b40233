package dev.ordo.clocks.lamport;

import dev.ordo.clocks.api.ClockOverflowException;
import dev.ordo.clocks.api.InvalidTimestampException;
import dev.ordo.clocks.api.LogicalClock;
import dev.ordo.clocks.api.MaxJumpExceededException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lamport's logical clock, shared by any number of threads without locks and without allocation.
 *
 * <p>Concurrency contract: {@link #tick()}, {@link #update(long)} and {@link #current()} are thread-safe
 * and lock-free; none of them blocks. {@code tick} is one atomic add (wait-free) while the clock is below
 * {@link #FAST_PATH_LIMIT}, and a compare-and-set loop above it. Every value returned by
 * {@code tick}/{@code update} is unique across threads, and each thread sees its own results strictly
 * increase. {@code current} is a volatile read.
 *
 * <p>Top of the range: the clock issues values up to {@link #MAX_VALUE} ({@code Long.MAX_VALUE - 2^32}) and
 * then throws {@link ClockOverflowException}, leaving its state unchanged; it never wraps to negative values.
 * The {@code 2^32} values above {@code MAX_VALUE} are headroom for ticks already past their check when
 * another thread's {@code update} lifts the clock to the top: such a tick throws {@link ClockOverflowException}
 * as a tick at the top does, and the excess is never shown by {@link #current()}.
 *
 * <p>Hostile input: without a limit, one {@code update(MAX_VALUE)} from a faulty or hostile peer uses up the
 * whole range, and every later {@code tick} throws. {@link #AtomicLamportClock(long, long)} sets a largest
 * accepted jump: a received value more than that far ahead of the clock is rejected with
 * {@link MaxJumpExceededException} and the clock is unchanged. A hostile peer can still move the clock
 * forward by up to the jump per message it sends.
 */
public final class AtomicLamportClock extends LamportPadAfter implements LogicalClock
{
    /** The largest value this clock issues from its checked path: {@code Long.MAX_VALUE - 2^32}. */
    public static final long MAX_VALUE = Long.MAX_VALUE - (1L << 32);

    /**
     * Below this value {@code tick} (and an {@code update} from behind) is one atomic add; at or above it,
     * a compare-and-set loop that refuses to pass {@link #MAX_VALUE}: {@code MAX_VALUE - 2^32}.
     */
    public static final long FAST_PATH_LIMIT = MAX_VALUE - (1L << 32);

    /** {@link #maxJump()} of a clock without a limit. */
    public static final long UNLIMITED_JUMP = Long.MAX_VALUE;

    private static final VarHandle VALUE;

    static
    {
        try
        {
            VALUE = MethodHandles.lookup().findVarHandle(LamportValueField.class, "value", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long maxJump;

    /**
     * A clock starting at 0 that accepts any received value: the first {@link #tick()} returns 1.
     */
    public AtomicLamportClock()
    {
        this(0);
    }

    /**
     * A clock that accepts any received value up to {@link #MAX_VALUE}.
     *
     * @param initial starting value, e.g. the last value persisted before a restart; {@code 0..MAX_VALUE}.
     * @throws InvalidTimestampException if {@code initial} is negative or above {@link #MAX_VALUE}.
     */
    public AtomicLamportClock(final long initial)
    {
        this(initial, UNLIMITED_JUMP);
    }

    /**
     * A clock that rejects received values more than {@code maxJump} ahead of it.
     *
     * @param initial starting value, e.g. the last value persisted before a restart; {@code 0..MAX_VALUE}.
     * @param maxJump largest accepted distance of a received value ahead of the clock, {@code > 0}; e.g. a
     *                generous multiple of the events a peer can record between two messages.
     * @throws InvalidTimestampException if {@code initial} is negative or above {@link #MAX_VALUE}.
     * @throws IllegalArgumentException  if {@code maxJump} is not positive.
     */
    public AtomicLamportClock(final long initial, final long maxJump)
    {
        if (initial < 0 || initial > MAX_VALUE)
        {
            throw new InvalidTimestampException(
                "a Lamport clock starts at 0.." + MAX_VALUE + " (Long.MAX_VALUE - 2^32), not " + initial);
        }
        if (maxJump <= 0)
        {
            throw new IllegalArgumentException("the largest accepted jump must be positive: " + maxJump);
        }
        this.maxJump = maxJump;
        VALUE.setRelease(this, initial);
    }

    /**
     * {@inheritDoc}
     *
     * @throws ClockOverflowException if the clock is at {@link #MAX_VALUE} or above; the state is unchanged.
     */
    @Override
    public long tick()
    {
        final long observed = (long)VALUE.getVolatile(this);
        if (observed < FAST_PATH_LIMIT)
        {
            // Invariant: the stored value never exceeds MAX_VALUE + (number of threads), so it never wraps,
            // and no caller is ever given a value above MAX_VALUE.
            // Why it holds under every interleaving: a compare-and-set (casTo) only ever stores values
            // <= MAX_VALUE; an atomic add is made only by a thread that saw the value below FAST_PATH_LIMIT.
            // Once the value is >= FAST_PATH_LIMIT it stays there (it only grows), so from then on only the
            // threads already between this check and the add can add: at most one add per thread, far fewer
            // than the 2^32 headroom above MAX_VALUE. The add's result is unique (atomic) and above every
            // earlier result (the value only grows), whatever another thread stored in between. A result
            // above MAX_VALUE (an update lifted the clock to the top while this add was in flight) is not
            // issued: the call throws as a tick at MAX_VALUE does, and current() never shows the excess, so
            // the outcome is the same as that sequential order (Lincheck checks this).
            final long next = (long)VALUE.getAndAdd(this, 1L) + 1;
            if (next > MAX_VALUE)
            {
                throw overflow(MAX_VALUE, MAX_VALUE);
            }
            return next;
        }
        return casTo(observed, observed);
    }

    /**
     * {@inheritDoc}
     *
     * @throws MaxJumpExceededException if {@code received} is more than {@link #maxJump()} ahead of the clock;
     *                                  the state is unchanged.
     * @throws ClockOverflowException   if the result would pass {@link #MAX_VALUE}; the state is unchanged.
     */
    @Override
    public long update(final long received)
    {
        if (received < 0)
        {
            throw new InvalidTimestampException("a Lamport timestamp cannot be negative: " + received);
        }
        final long observed = (long)VALUE.getVolatile(this);
        if (received < observed && observed < FAST_PATH_LIMIT)
        {
            // max(clock, received) is the clock itself, which only grows: one atomic add, under the same
            // invariant as tick()'s.
            final long next = (long)VALUE.getAndAdd(this, 1L) + 1;
            if (next > MAX_VALUE)
            {
                throw overflow(MAX_VALUE, received);
            }
            return next;
        }
        return casTo(observed, received);
    }

    private long casTo(long observed, final long received)
    {
        while (true)
        {
            if (received > observed && received - observed > maxJump)
            {
                throw new MaxJumpExceededException(received, observed, maxJump);
            }
            final long base = Math.max(observed, received);
            if (base >= MAX_VALUE)
            {
                throw overflow(Math.min(observed, MAX_VALUE), received);
            }
            final long next = base + 1;
            final long witness = (long)VALUE.compareAndExchange(this, observed, next);
            if (witness == observed)
            {
                return next;
            }
            observed = witness;
        }
    }

    private static ClockOverflowException overflow(final long clock, final long received)
    {
        return new ClockOverflowException(
            "Lamport clock cannot advance past its largest value " + MAX_VALUE + " (Long.MAX_VALUE - 2^32; clock " +
            clock + ", received " + received + "); the clock is unchanged");
    }

    /**
     * @return the largest accepted distance of a received value ahead of the clock, or
     * {@link #UNLIMITED_JUMP}.
     */
    public long maxJump()
    {
        return maxJump;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long current()
    {
        // The stored value exceeds MAX_VALUE only by ticks that were refused (see tick()): never shown.
        return Math.min((long)VALUE.getVolatile(this), MAX_VALUE);
    }

    @Override
    public String toString()
    {
        return "AtomicLamportClock{" + current() + "}";
    }
}

/** Padding before the hot field, against false sharing with objects allocated just before this one. */
abstract class LamportPadBefore
{
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
}

/** Padding after the hot field, against false sharing with objects allocated just after this one. */
abstract class LamportPadAfter extends LamportValueField
{
    byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
    byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
    byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
    byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
}

/** The hot field, between two padding blocks. */
abstract class LamportValueField extends LamportPadBefore
{
    volatile long value;
}
