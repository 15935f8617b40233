package dev.ordo.clocks.lamport;

import dev.ordo.clocks.api.ClockOverflowException;
import dev.ordo.clocks.api.InvalidTimestampException;
import dev.ordo.clocks.api.LogicalClock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lamport's logical clock, shared by any number of threads without locks and without allocation.
 *
 * <p>Concurrency contract: {@link #tick()}, {@link #update(long)} and {@link #current()} are thread-safe
 * and lock-free. {@code tick} is wait-free in practice (one atomic add) until the clock is within
 * {@code 2^32} of {@link Long#MAX_VALUE}, where it switches to a compare-and-set loop so it can refuse to
 * overflow. Every value returned by {@code tick}/{@code update} is unique across threads, and each thread
 * sees its own results strictly increase. {@code current} is a volatile read.
 *
 * <p>Overflow: at {@link Long#MAX_VALUE} the clock throws {@link ClockOverflowException} and stays there;
 * it never wraps to negative values.
 */
public final class AtomicLamportClock extends LamportPadAfter implements LogicalClock
{
    /**
     * Below this value an atomic add cannot overflow even if every thread in the JVM raced past the check
     * at once (there are far fewer than 2^32 threads).
     */
    private static final long FAST_PATH_LIMIT = Long.MAX_VALUE - (1L << 32);

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

    /**
     * A clock starting at 0: the first {@link #tick()} returns 1.
     */
    public AtomicLamportClock()
    {
        this(0);
    }

    /**
     * @param initial starting value, e.g. the last value persisted before a restart; {@code >= 0}.
     * @throws InvalidTimestampException if {@code initial} is negative.
     */
    public AtomicLamportClock(final long initial)
    {
        if (initial < 0)
        {
            throw new InvalidTimestampException("a Lamport clock cannot start at a negative value: " + initial);
        }
        VALUE.setRelease(this, initial);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long tick()
    {
        final long observed = (long)VALUE.getVolatile(this);
        if (observed < FAST_PATH_LIMIT)
        {
            return (long)VALUE.getAndAdd(this, 1L) + 1;
        }
        return casTo(observed, observed);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long update(final long received)
    {
        if (received < 0)
        {
            throw new InvalidTimestampException("a Lamport timestamp cannot be negative: " + received);
        }
        long observed = (long)VALUE.getVolatile(this);
        if (received < observed && observed < FAST_PATH_LIMIT)
        {
            // The clock only grows, so max(clock, received) is the clock itself: one atomic add.
            return (long)VALUE.getAndAdd(this, 1L) + 1;
        }
        return casTo(observed, received);
    }

    private long casTo(long observed, final long received)
    {
        while (true)
        {
            final long base = Math.max(observed, received);
            if (base == Long.MAX_VALUE)
            {
                throw new ClockOverflowException(
                    "Lamport clock cannot advance past Long.MAX_VALUE (clock " + observed + ", received " + received +
                    "); the clock is unchanged");
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

    /**
     * {@inheritDoc}
     */
    @Override
    public long current()
    {
        return (long)VALUE.getVolatile(this);
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
