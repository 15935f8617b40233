package dev.ordo.benchmarks.schemes;

import dev.ordo.clocks.lamport.AtomicLamportClock;

/**
 * Last-write-wins on Lamport time, with Ordo's {@link AtomicLamportClock} per replica: tick on write, update on
 * receive, ties broken by replica id. Wire: 8-byte timestamp and 2-byte replica id.
 */
final class LamportScheme implements TimestampScheme
{
    private final AtomicLamportClock[] clocks;

    LamportScheme(final int replicas)
    {
        clocks = new AtomicLamportClock[replicas];
        for (int i = 0; i < replicas; i++)
        {
            clocks[i] = new AtomicLamportClock();
        }
    }

    @Override
    public String name()
    {
        return "Lamport";
    }

    @Override
    public Stamp stamp(final int replica, final long localUs, final long writeId)
    {
        return new Stamp(clocks[replica].tick(), replica, writeId, null);
    }

    @Override
    public long commitWaitUs(final int replica, final long localUs, final Stamp stamp)
    {
        return 0;
    }

    @Override
    public boolean receive(final int replica, final long localUs, final Stamp remote)
    {
        clocks[replica].update(remote.time());
        return true;
    }

    @Override
    public Order order(final Stamp a, final Stamp b)
    {
        return a.compareScalar(b) < 0 ? Order.BEFORE : Order.AFTER;
    }

    @Override
    public int metadataBytes(final Stamp stamp)
    {
        return 10;
    }
}
