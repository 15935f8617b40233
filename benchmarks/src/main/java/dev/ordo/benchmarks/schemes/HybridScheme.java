package dev.ordo.benchmarks.schemes;

import dev.ordo.clocks.api.HybridClock;
import dev.ordo.clocks.hlc.AtomicHybridClock;
import org.agrona.concurrent.CachedEpochClock;

/**
 * Last-write-wins on hybrid logical time, with Ordo's {@link AtomicHybridClock} per replica over a
 * {@link CachedEpochClock} set to the replica's simulated wall clock (ms) before each event: {@code now()} on
 * write, {@code tryUpdate()} on receive. A remote timestamp more than the max offset (500 ms by default) ahead
 * is refused, as the clock would refuse it in production. Wire: 8-byte packed timestamp and 2-byte replica id.
 */
final class HybridScheme implements TimestampScheme
{
    /** Simulated time 0 is this Unix time, so the clocks run on realistic epoch values. */
    static final long EPOCH_BASE_MS = 1_767_225_600_000L;

    private final CachedEpochClock[] physical;
    private final AtomicHybridClock[] clocks;

    HybridScheme(final int replicas)
    {
        physical = new CachedEpochClock[replicas];
        clocks = new AtomicHybridClock[replicas];
        for (int i = 0; i < replicas; i++)
        {
            physical[i] = new CachedEpochClock();
            physical[i].update(EPOCH_BASE_MS);
            clocks[i] = AtomicHybridClock.builder().epochClock(physical[i]).build();
        }
    }

    @Override
    public String name()
    {
        return "HLC";
    }

    @Override
    public Stamp stamp(final int replica, final long localUs, final long writeId)
    {
        physical[replica].update(EPOCH_BASE_MS + Math.floorDiv(localUs, 1000));
        return new Stamp(clocks[replica].now(), replica, writeId, null);
    }

    @Override
    public long commitWaitUs(final int replica, final long localUs, final Stamp stamp)
    {
        return 0;
    }

    @Override
    public boolean receive(final int replica, final long localUs, final Stamp remote)
    {
        physical[replica].update(EPOCH_BASE_MS + Math.floorDiv(localUs, 1000));
        return !HybridClock.isRejected(clocks[replica].tryUpdate(remote.time()));
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
