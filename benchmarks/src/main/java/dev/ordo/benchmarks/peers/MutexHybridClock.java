package dev.ordo.benchmarks.peers;

import org.agrona.concurrent.EpochClock;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Baseline for the benchmarks: the hybrid logical clock algorithm behind one lock, the design of CockroachDB's
 * Go HLC ({@code pkg/util/hlc}: a mutex around {@code Now} and {@code Update}, the physical clock read inside
 * it). Same packed layout as Ordo's millisecond format: 48 bits of milliseconds, 16 logical bits.
 *
 * <p>Concurrency contract: every method takes the lock, so it is thread-safe and blocking. Not a library
 * class: no max-offset check, no overflow handling, no jump detection; it exists only to be measured.
 */
public final class MutexHybridClock
{
    private static final int LOGICAL_BITS = 16;

    private final ReentrantLock lock = new ReentrantLock();
    private final EpochClock clock;
    private long state;

    /**
     * @param clock the physical source, in milliseconds since the epoch.
     */
    public MutexHybridClock(final EpochClock clock)
    {
        this.clock = clock;
    }

    /**
     * @return {@code max(last + 1, physical)}, under the lock.
     */
    public long now()
    {
        lock.lock();
        try
        {
            final long physical = clock.time() << LOGICAL_BITS;
            final long next = Math.max(state + 1, physical);
            state = next;
            return next;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @param remote a packed remote timestamp.
     * @return {@code max(max(last, remote) + 1, physical)}, under the lock.
     */
    public long update(final long remote)
    {
        lock.lock();
        try
        {
            final long physical = clock.time() << LOGICAL_BITS;
            final long next = Math.max(Math.max(state, remote) + 1, physical);
            state = next;
            return next;
        }
        finally
        {
            lock.unlock();
        }
    }
}
