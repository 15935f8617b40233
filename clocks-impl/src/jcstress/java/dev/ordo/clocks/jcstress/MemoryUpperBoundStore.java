package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.api.UpperBoundStore;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link UpperBoundStore} that also checks how the clock uses it: calls must not overlap (the
 * contract says one thread at a time), and a stored bound must never go down. A store spins briefly before
 * the bound becomes visible, like a durable write that takes time, which widens the window in which a clock
 * that issued timestamps before its bound was stored would be caught.
 */
final class MemoryUpperBoundStore implements UpperBoundStore
{
    private static final int WRITE_SPINS = 64;

    private final AtomicInteger callsInProgress = new AtomicInteger();
    private volatile long bound = NONE;
    private volatile boolean misused;

    @Override
    public long load()
    {
        return bound;
    }

    @Override
    public void store(final long upperBound)
    {
        if (callsInProgress.getAndIncrement() != 0)
        {
            misused = true;
        }
        if (upperBound < 0 || (bound != NONE && upperBound < bound))
        {
            misused = true;
        }
        for (int i = 0; i < WRITE_SPINS; i++)
        {
            Thread.onSpinWait();
        }
        bound = upperBound;
        callsInProgress.getAndDecrement();
    }

    /**
     * @return the bound stored last (exclusive: no issued timestamp may reach it), or {@link #NONE}.
     */
    long bound()
    {
        return bound;
    }

    /**
     * @return true if calls overlapped or a bound went down.
     */
    boolean misused()
    {
        return misused;
    }
}
