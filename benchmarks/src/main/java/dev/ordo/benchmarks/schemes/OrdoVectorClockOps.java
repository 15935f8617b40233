package dev.ordo.benchmarks.schemes;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.vector.NodeRegistry;
import dev.ordo.clocks.vector.VectorClock;

/**
 * {@link VectorClockOps} over Ordo's real {@link VectorClock}: the simulation's vector-clock scheme runs on
 * the library's increment, merge and compare, and measures its metadata with the library's wire format.
 * One instance per replica (vector clocks are single-writer); all replicas share one membership.
 */
final class OrdoVectorClockOps implements VectorClockOps
{
    private final int[] indexOfReplica;
    private final VectorClock clock;
    private final VectorClock scratchA;
    private final VectorClock scratchB;
    private final byte[] wire = new byte[64 * 1024];

    OrdoVectorClockOps(final NodeRegistry members, final int replicas)
    {
        indexOfReplica = new int[replicas];
        for (int r = 0; r < replicas; r++)
        {
            indexOfReplica[r] = members.register(r + 1L); // node ids 1..n: one-byte ids on the wire
        }
        clock = new VectorClock(members);
        scratchA = new VectorClock(members);
        scratchB = new VectorClock(members);
    }

    @Override
    public long[] incrementAndSnapshot(final int replica)
    {
        clock.increment(indexOfReplica[replica]);
        final long[] snapshot = new long[indexOfReplica.length];
        for (int r = 0; r < snapshot.length; r++)
        {
            snapshot[r] = clock.get(indexOfReplica[r]);
        }
        return snapshot;
    }

    @Override
    public void merge(final long[] remote)
    {
        load(scratchA, remote);
        clock.merge(scratchA);
    }

    @Override
    public Order compare(final long[] a, final long[] b)
    {
        load(scratchA, a);
        load(scratchB, b);
        final Causality causality = scratchA.compare(scratchB);
        if (causality == Causality.BEFORE)
        {
            return Order.BEFORE;
        }
        return causality == Causality.AFTER ? Order.AFTER : Order.CONCURRENT;
    }

    /**
     * @param counters a stamp's vector.
     * @return the bytes Ordo's wire format needs for it.
     */
    int encodedBytes(final long[] counters)
    {
        load(scratchA, counters);
        return scratchA.encode(wire, 0);
    }

    private void load(final VectorClock target, final long[] counters)
    {
        target.reset();
        for (int r = 0; r < counters.length; r++)
        {
            if (counters[r] > 0)
            {
                target.increment(indexOfReplica[r], counters[r]);
            }
        }
    }
}
