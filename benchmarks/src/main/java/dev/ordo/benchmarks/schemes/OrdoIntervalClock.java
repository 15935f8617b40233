package dev.ordo.benchmarks.schemes;

import dev.ordo.clocks.api.TimeInterval;
import dev.ordo.clocks.bounded.ErrorBoundedClock;
import dev.ordo.clocks.bounded.FixedErrorBound;

/**
 * {@link IntervalClock} over Ordo's real {@link ErrorBoundedClock} with a {@link FixedErrorBound}: the
 * simulation sets the replica's local clock reading, and the library computes the interval. Intervals are
 * rounded outwards to whole microseconds, so they never get narrower than the library's. Single-threaded, as
 * the simulation is.
 */
final class OrdoIntervalClock implements IntervalClock
{
    private final ErrorBoundedClock clock;
    private final TimeInterval interval = new TimeInterval();
    private long localNs;

    OrdoIntervalClock(final long epsilonUs)
    {
        clock = new ErrorBoundedClock(() -> localNs, () -> localNs, new FixedErrorBound(epsilonUs * 1_000L));
    }

    @Override
    public long earliestUs(final long localUs)
    {
        read(localUs);
        return Math.floorDiv(interval.earliestNs(), 1_000L);
    }

    @Override
    public long latestUs(final long localUs)
    {
        read(localUs);
        return -Math.floorDiv(-interval.latestNs(), 1_000L);
    }

    private void read(final long localUs)
    {
        localNs = localUs * 1_000L;
        clock.now(interval);
        if (!interval.isBounded())
        {
            throw new IllegalStateException(
                "the bounded clock reports " + interval.status() + " at " + localUs + " µs");
        }
    }
}
