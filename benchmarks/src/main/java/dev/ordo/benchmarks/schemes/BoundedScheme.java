package dev.ordo.benchmarks.schemes;

/**
 * Spanner-style commit wait over an {@link IntervalClock}: a write takes {@code s = latest}, and becomes visible
 * (applied and sent) only once {@code earliest > s}, i.e. after about 2ε. Then every write that starts after it
 * became visible, anywhere, gets a larger timestamp: causally ordered writes are ordered by timestamp. Receives
 * do not touch the clock. Ties broken by replica id. Wire: 8-byte timestamp and 2-byte replica id.
 */
final class BoundedScheme implements TimestampScheme
{
    private final IntervalClock clock;

    BoundedScheme(final long epsilonUs)
    {
        clock = new OrdoIntervalClock(epsilonUs);
    }

    @Override
    public String name()
    {
        return "Bounded + commit-wait";
    }

    @Override
    public Stamp stamp(final int replica, final long localUs, final long writeId)
    {
        return new Stamp(clock.latestUs(localUs), replica, writeId, null);
    }

    @Override
    public long commitWaitUs(final int replica, final long localUs, final Stamp stamp)
    {
        // Smallest later reading whose earliest bound is past s: earliest(localUs + wait) > s.
        return Math.max(0, stamp.time() - clock.earliestUs(localUs) + 1);
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
