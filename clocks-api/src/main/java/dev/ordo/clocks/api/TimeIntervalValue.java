package dev.ordo.clocks.api;

import java.time.Instant;

/**
 * An immutable interval of true time {@code [earliestNs, latestNs]} (nanoseconds since the Unix epoch, both
 * inclusive) with the local clock reading it was built around and the {@link ClockStatus} of the clock: the
 * value form of {@link TimeInterval}, returned by {@link BoundedClock#now()} (AWS ClockBound's client returns
 * the same three facts: earliest, latest, status). Safe to share between threads, usable as a map key
 * ({@code equals}/{@code hashCode} over all four components).
 *
 * <p>Use it on cold paths (logging, APIs, tests); hot paths read into a reused {@link TimeInterval} with
 * {@link BoundedClock#now(TimeInterval)}, which allocates nothing. An unbounded value is
 * {@code [Long.MIN_VALUE, Long.MAX_VALUE]}.
 *
 * @param earliestNs earliest possible true time, epoch ns ({@link Long#MIN_VALUE} if unbounded).
 * @param latestNs   latest possible true time, epoch ns ({@link Long#MAX_VALUE} if unbounded).
 * @param readingNs  the local real-time clock reading, within {@code [earliestNs, latestNs]}.
 * @param status     status of the clock that produced the interval.
 */
public record TimeIntervalValue(long earliestNs, long latestNs, long readingNs, ClockStatus status)
{
    /**
     * @param earliestNs earliest possible true time, epoch ns.
     * @param latestNs   latest possible true time, epoch ns, {@code >= earliestNs}.
     * @param readingNs  the local real-time clock reading, within {@code [earliestNs, latestNs]}.
     * @param status     status of the clock that produced the interval.
     * @throws IllegalArgumentException if the three times are out of order or {@code status} is null.
     */
    public TimeIntervalValue
    {
        if (earliestNs > latestNs || readingNs < earliestNs || readingNs > latestNs || status == null)
        {
            throw new IllegalArgumentException(
                "invalid time interval: earliestNs=" + earliestNs + ", readingNs=" + readingNs + ", latestNs=" +
                latestNs + ", status=" + status + " (need earliestNs <= readingNs <= latestNs and a status)");
        }
    }

    /**
     * @return the earliest possible true time; {@link Instant#MIN} when unbounded.
     */
    public Instant earliest()
    {
        return earliestNs == Long.MIN_VALUE ? Instant.MIN : TimeInterval.instant(earliestNs);
    }

    /**
     * @return the latest possible true time; {@link Instant#MAX} when unbounded.
     */
    public Instant latest()
    {
        return latestNs == Long.MAX_VALUE ? Instant.MAX : TimeInterval.instant(latestNs);
    }

    /**
     * @return the local clock reading the interval was built around (an estimate, not a guarantee).
     */
    public Instant reading()
    {
        return TimeInterval.instant(readingNs);
    }

    /**
     * @return true when both ends are finite, i.e. the interval promises something.
     */
    public boolean isBounded()
    {
        return earliestNs != Long.MIN_VALUE && latestNs != Long.MAX_VALUE;
    }

    /**
     * @param timeNs epoch ns.
     * @return true when {@code timeNs} has certainly passed: {@code earliestNs > timeNs}.
     */
    public boolean isAfter(final long timeNs)
    {
        return earliestNs > timeNs;
    }

    /**
     * @param timeNs epoch ns.
     * @return true when {@code timeNs} has certainly not arrived yet: {@code latestNs < timeNs}.
     */
    public boolean isBefore(final long timeNs)
    {
        return latestNs < timeNs;
    }

    /**
     * @param timeNs epoch ns.
     * @return true when {@code earliestNs <= timeNs <= latestNs}.
     */
    public boolean contains(final long timeNs)
    {
        return earliestNs <= timeNs && timeNs <= latestNs;
    }

    /**
     * @param other another interval.
     * @return how this interval is ordered relative to {@code other} (see {@link TimeInterval#order}).
     */
    public IntervalOrder order(final TimeIntervalValue other)
    {
        return TimeInterval.order(earliestNs, latestNs, other.earliestNs, other.latestNs);
    }

    /**
     * @return {@code latestNs - earliestNs}, saturating at {@link Long#MAX_VALUE}.
     */
    public long widthNs()
    {
        final long width = latestNs - earliestNs;
        return width < 0 ? Long.MAX_VALUE : width;
    }

    /**
     * @return the same text as {@link TimeInterval#toString()}.
     */
    @Override
    public String toString()
    {
        return TimeInterval.format(earliestNs, latestNs, status, isBounded());
    }
}
