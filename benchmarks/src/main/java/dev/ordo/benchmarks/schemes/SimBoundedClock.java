package dev.ordo.benchmarks.schemes;

/**
 * Interval = local time ± a fixed error bound ε. Correct only when ε covers the replica's true error, which the
 * simulation guarantees by default (ε = largest offset plus drift over the run plus 1 ms). Stand-in for Ordo's
 * bounded clock, being written in parallel.
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
