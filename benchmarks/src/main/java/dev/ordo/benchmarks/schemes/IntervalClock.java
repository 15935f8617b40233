package dev.ordo.benchmarks.schemes;

/**
 * A clock that returns an interval certain to contain true time, as Spanner's TrueTime or AWS ClockBound do,
 * implemented by Ordo's real bounded clock ({@link OrdoIntervalClock}) and by the {@code SimBoundedClock} test oracle.
 */
interface IntervalClock
{
    /**
     * @param localUs the local clock reading, µs.
     * @return the earliest true time it may stand for, µs.
     */
    long earliestUs(long localUs);

    /**
     * @param localUs the local clock reading, µs.
     * @return the latest true time it may stand for, µs.
     */
    long latestUs(long localUs);
}
