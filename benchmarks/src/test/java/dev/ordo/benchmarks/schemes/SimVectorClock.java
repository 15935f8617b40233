package dev.ordo.benchmarks.schemes;

import java.util.Arrays;

/**
 * A plain array-of-counters vector clock (one per replica). Not thread-safe. The scheme runs on Ordo's real
 * vector clock ({@link OrdoVectorClockOps}); this simple version is the oracle tests compare it with.
 */
final class SimVectorClock implements VectorClockOps
{
    private final long[] counters;

    SimVectorClock(final int replicas)
    {
        counters = new long[replicas];
    }

    @Override
    public long[] incrementAndSnapshot(final int replica)
    {
        counters[replica]++;
        return Arrays.copyOf(counters, counters.length);
    }

    @Override
    public void merge(final long[] remote)
    {
        for (int i = 0; i < counters.length; i++)
        {
            counters[i] = Math.max(counters[i], remote[i]);
        }
    }

    @Override
    public Order compare(final long[] a, final long[] b)
    {
        boolean less = false;
        boolean greater = false;
        for (int i = 0; i < a.length; i++)
        {
            less |= a[i] < b[i];
            greater |= a[i] > b[i];
        }
        if (less && !greater)
        {
            return Order.BEFORE;
        }
        return greater && !less ? Order.AFTER : Order.CONCURRENT;
    }
}
