package dev.ordo.benchmarks.schemes;

import dev.ordo.clocks.vector.NodeRegistry;

/**
 * Vector clocks with siblings: each replica keeps a vector clock (increment on write, merge on receive); a
 * replica keeps every write not dominated by another, so concurrent writes survive side by side for the
 * application to reconcile. Runs on Ordo's real {@code VectorClock}; metadata is the size of its wire
 * encoding (varint counters, one-byte node ids here).
 */
final class VectorScheme implements TimestampScheme
{
    private final OrdoVectorClockOps[] clocks;
    private final int replicas;

    VectorScheme(final int replicas)
    {
        this.replicas = replicas;
        clocks = new OrdoVectorClockOps[replicas];
        final NodeRegistry members = new NodeRegistry();
        for (int i = 0; i < replicas; i++)
        {
            clocks[i] = new OrdoVectorClockOps(members, replicas);
        }
    }

    @Override
    public String name()
    {
        return "Vector clock";
    }

    @Override
    public Stamp stamp(final int replica, final long localUs, final long writeId)
    {
        return new Stamp(0, replica, writeId, clocks[replica].incrementAndSnapshot(replica));
    }

    @Override
    public long commitWaitUs(final int replica, final long localUs, final Stamp stamp)
    {
        return 0;
    }

    @Override
    public boolean receive(final int replica, final long localUs, final Stamp remote)
    {
        clocks[replica].merge(remote.vector());
        return true;
    }

    @Override
    public Order order(final Stamp a, final Stamp b)
    {
        return clocks[0].compare(a.vector(), b.vector());
    }

    @Override
    public int metadataBytes(final Stamp stamp)
    {
        return clocks[0].encodedBytes(stamp.vector());
    }
}
