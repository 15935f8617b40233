package dev.ordo.benchmarks.schemes;

/**
 * Last-write-wins on physical time: each write is stamped with the replica's wall clock in microseconds
 * (as Cassandra does), ties broken by replica id. Receives do not touch the clock. Wire: 8-byte timestamp and
 * 2-byte replica id.
 */
final class WallClockScheme implements TimestampScheme
{
    @Override
    public String name()
    {
        return "LWW wall clock";
    }

    @Override
    public Stamp stamp(final int replica, final long localUs, final long writeId)
    {
        return new Stamp(localUs, replica, writeId, null);
    }

    @Override
    public long commitWaitUs(final int replica, final long localUs, final Stamp stamp)
    {
        return 0;
    }

    @Override
    public boolean receive(final int replica, final long localUs, final Stamp remote)
    {
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
