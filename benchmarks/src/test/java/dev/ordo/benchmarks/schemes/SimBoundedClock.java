package dev.ordo.benchmarks.schemes;

/**
 * Interval = local time ± a fixed error bound ε. Correct only when ε covers the replica's true error, which the
 * simulation guarantees by default (ε = largest offset plus drift over the run plus 1 ms). The scheme runs on
 * Ordo's real bounded clock ({@link OrdoIntervalClock}); this simple version is the oracle tests compare it with.
 */
final class SimBoundedClock implements IntervalClock
{
    private final long epsilonUs;

    SimBoundedClock(final long epsilonUs)
    {
        this.epsilonUs = epsilonUs;
    }

    @Override
    public long earliestUs(final long localUs)
    {
        return localUs - epsilonUs;
    }

    @Override
    public long latestUs(final long localUs)
    {
        return localUs + epsilonUs;
    }
}
