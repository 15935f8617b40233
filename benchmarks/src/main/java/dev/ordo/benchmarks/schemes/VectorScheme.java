package dev.ordo.benchmarks.schemes;

/**
 * Vector clocks with siblings: each replica keeps a vector clock (increment on write, merge on receive); a
 * replica keeps every write not dominated by another, so concurrent writes survive side by side for the
 * application to reconcile. Wire: one 8-byte counter per replica.
 */
final class VectorScheme implements TimestampScheme
{
    private final VectorClockOps[] clocks;
    private final int replicas;

    VectorScheme(final int replicas)
    {
        this.replicas = replicas;
        clocks = new VectorClockOps[replicas];
        for (int i = 0; i < replicas; i++)
        {
            clocks[i] = new SimVectorClock(replicas);
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
        return 8 * replicas;
    }
}
