package dev.ordo.clocks.api;

import java.time.Instant;

/**
 * A mutable, caller-owned interval of true time {@code [earliestNs, latestNs]} (both inclusive, nanoseconds
 * since the Unix epoch, UTC) with the {@link ClockStatus} of the clock that produced it. A
 * {@link BoundedClock} writes into one with {@link BoundedClock#now(TimeInterval)} so that reading the time
 * never allocates: keep one instance per thread (or per call site) and reuse it.
 *
 * <p>Guarantee carried by intervals from a {@link BoundedClock}: when the clock's error bound source is right
 * (its assumptions hold), true time at the moment of the call lies within {@code [earliestNs, latestNs]}.
 * An interval whose status is not {@link ClockStatus#isBounded() bounded} is {@code [Long.MIN_VALUE,
 * Long.MAX_VALUE]}: it contains every time, orders before or after nothing, and makes no promise.
 *
 * <p>Range: epoch nanoseconds in a {@code long} reach the year 2262. Arithmetic here saturates at
 * {@link Long#MIN_VALUE}/{@link Long#MAX_VALUE}; it never wraps.
 *
 * <p>Not thread-safe: a plain mutable holder. Hand an interval to another thread only through a
 * happens-before edge (a queue, a volatile write), and do not write to it while someone reads it.
 *
 * <p>The comparison methods ({@link #order(TimeInterval)}, {@link #isCertainlyBefore(TimeInterval)}, ...) and
 * their static primitive forms are allocation-free; {@link #toString()} allocates.
 */
public final class TimeInterval
{
    private long earliestNs = Long.MIN_VALUE;
    private long latestNs = Long.MAX_VALUE;
    private long readingNs;
    private ClockStatus status = ClockStatus.UNKNOWN;

    /**
     * An unbounded interval with status {@link ClockStatus#UNKNOWN}, ready to be written by a clock.
     */
    public TimeInterval()
    {
    }

    /**
     * @param earliestNs earliest possible true time, epoch ns.
     * @param latestNs   latest possible true time, epoch ns, {@code >= earliestNs}.
     * @param status     status of the clock that produced the interval.
     * @throws IllegalArgumentException if {@code earliestNs > latestNs} or {@code status} is null.
     */
    public TimeInterval(final long earliestNs, final long latestNs, final ClockStatus status)
    {
        set(earliestNs, latestNs, status);
    }

    /**
     * Sets the interval; the reading becomes the midpoint.
     *
     * @param earliestNs earliest possible true time, epoch ns.
     * @param latestNs   latest possible true time, epoch ns, {@code >= earliestNs}.
     * @param status     status of the clock that produced the interval.
     * @return this interval.
     * @throws IllegalArgumentException if {@code earliestNs > latestNs} or {@code status} is null; the interval
     *                                  is then unchanged.
     */
    public TimeInterval set(final long earliestNs, final long latestNs, final ClockStatus status)
    {
        return set(earliestNs, latestNs, midpoint(earliestNs, latestNs), status);
    }

    /**
     * Sets the interval and the local clock reading it was built around.
     *
     * @param earliestNs earliest possible true time, epoch ns.
     * @param latestNs   latest possible true time, epoch ns, {@code >= earliestNs}.
     * @param readingNs  the local real-time clock reading, within {@code [earliestNs, latestNs]}.
     * @param status     status of the clock that produced the interval.
     * @return this interval.
     * @throws IllegalArgumentException if the three times are out of order or {@code status} is null; the
     *                                  interval is then unchanged.
     */
    public TimeInterval set(final long earliestNs, final long latestNs, final long readingNs, final ClockStatus status)
    {
        if (earliestNs > latestNs || readingNs < earliestNs || readingNs > latestNs || status == null)
        {
            throw new IllegalArgumentException(
                "invalid time interval: earliestNs=" + earliestNs + ", readingNs=" + readingNs + ", latestNs=" +
                latestNs + ", status=" + status + " (need earliestNs <= readingNs <= latestNs and a status)");
        }
        this.earliestNs = earliestNs;
        this.latestNs = latestNs;
        this.readingNs = readingNs;
        this.status = status;
        return this;
    }

    /**
     * Makes this interval unbounded: {@code [Long.MIN_VALUE, Long.MAX_VALUE]}.
     *
     * @param readingNs the local clock reading, kept for diagnostics.
     * @param status    why it is unbounded, normally {@link ClockStatus#UNKNOWN} or {@link ClockStatus#DISRUPTED}.
     * @return this interval.
     * @throws IllegalArgumentException if {@code status} is null.
     */
    public TimeInterval setUnbounded(final long readingNs, final ClockStatus status)
    {
        return set(Long.MIN_VALUE, Long.MAX_VALUE, readingNs, status);
    }

    /**
     * @param other the interval to copy.
     * @return this interval, now equal to {@code other}.
     */
    public TimeInterval copyFrom(final TimeInterval other)
    {
        this.earliestNs = other.earliestNs;
        this.latestNs = other.latestNs;
        this.readingNs = other.readingNs;
        this.status = other.status;
        return this;
    }

    /**
     * @return earliest possible true time, nanoseconds since the Unix epoch ({@link Long#MIN_VALUE} if unbounded).
     */
    public long earliestNs()
    {
        return earliestNs;
    }

    /**
     * @return latest possible true time, nanoseconds since the Unix epoch ({@link Long#MAX_VALUE} if unbounded).
     */
    public long latestNs()
    {
        return latestNs;
    }

    /**
     * @return the local real-time clock reading the interval was built around: the best single estimate of
     * the time (the midpoint for intervals set without a reading). Not a guarantee of anything.
     */
    public long readingNs()
    {
        return readingNs;
    }

    /**
     * @return the earliest possible true time as an {@link Instant}; {@link Instant#MIN} when unbounded.
     * Allocates: for cold paths.
     */
    public Instant earliest()
    {
        return earliestNs == Long.MIN_VALUE ? Instant.MIN : instant(earliestNs);
    }

    /**
     * @return the latest possible true time as an {@link Instant}; {@link Instant#MAX} when unbounded.
     * Allocates: for cold paths.
     */
    public Instant latest()
    {
        return latestNs == Long.MAX_VALUE ? Instant.MAX : instant(latestNs);
    }

    /**
     * @return an immutable copy (allocates).
     */
    public TimeIntervalValue toValue()
    {
        return new TimeIntervalValue(earliestNs, latestNs, readingNs, status);
    }

    /**
     * @param value the interval to copy.
     * @return this interval, now equal to {@code value}.
     */
    public TimeInterval set(final TimeIntervalValue value)
    {
        return set(value.earliestNs(), value.latestNs(), value.readingNs(), value.status());
    }

    /**
     * @return status of the clock when the interval was taken.
     */
    public ClockStatus status()
    {
        return status;
    }

    /**
     * @return true when both ends are finite, i.e. the interval promises something.
     */
    public boolean isBounded()
    {
        return earliestNs != Long.MIN_VALUE && latestNs != Long.MAX_VALUE;
    }

    /**
     * @return {@code latestNs - earliestNs} (twice the error bound), saturating at {@link Long#MAX_VALUE}.
     */
    public long widthNs()
    {
        final long width = latestNs - earliestNs;
        return width < 0 ? Long.MAX_VALUE : width;
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
     * @return true when every instant of this interval precedes every instant of {@code other}: this event
     * certainly happened first.
     */
    public boolean isCertainlyBefore(final TimeInterval other)
    {
        return latestNs < other.earliestNs;
    }

    /**
     * @param other another interval.
     * @return true when every instant of this interval follows every instant of {@code other}: this event
     * certainly happened later.
     */
    public boolean isCertainlyAfter(final TimeInterval other)
    {
        return earliestNs > other.latestNs;
    }

    /**
     * @param other another interval.
     * @return true when the intervals share an instant, so the true order of their events is uncertain.
     */
    public boolean overlaps(final TimeInterval other)
    {
        return earliestNs <= other.latestNs && other.earliestNs <= latestNs;
    }

    /**
     * @param other another interval.
     * @return {@link IntervalOrder#BEFORE}, {@link IntervalOrder#AFTER} or {@link IntervalOrder#OVERLAPPING};
     * exactly one holds, and {@code a.order(b) == BEFORE} exactly when {@code b.order(a) == AFTER}.
     */
    public IntervalOrder order(final TimeInterval other)
    {
        return order(earliestNs, latestNs, other.earliestNs, other.latestNs);
    }

    /**
     * Orders two intervals given as primitives (e.g. decoded from a message) without any object.
     *
     * @param aEarliestNs first interval's earliest time.
     * @param aLatestNs   first interval's latest time.
     * @param bEarliestNs second interval's earliest time.
     * @param bLatestNs   second interval's latest time.
     * @return how the first interval is ordered relative to the second.
     */
    public static IntervalOrder order(
        final long aEarliestNs, final long aLatestNs, final long bEarliestNs, final long bLatestNs)
    {
        if (aLatestNs < bEarliestNs)
        {
            return IntervalOrder.BEFORE;
        }
        if (aEarliestNs > bLatestNs)
        {
            return IntervalOrder.AFTER;
        }
        return IntervalOrder.OVERLAPPING;
    }

    /**
     * @param aLatestNs   first interval's latest time.
     * @param bEarliestNs second interval's earliest time.
     * @return true when the first interval is certainly before the second.
     */
    public static boolean isCertainlyBefore(final long aLatestNs, final long bEarliestNs)
    {
        return aLatestNs < bEarliestNs;
    }

    private static long midpoint(final long a, final long b)
    {
        // Overflow-free floor((a + b) / 2) for a <= b.
        return (a >> 1) + (b >> 1) + (a & b & 1);
    }

    /**
     * @return e.g. {@code [2023-11-14T22:13:20Z, 2023-11-14T22:13:20.002Z] (±1000000 ns) SYNCHRONIZED}, or
     * {@code [unbounded] UNKNOWN}; allocates.
     */
    @Override
    public String toString()
    {
        return format(earliestNs, latestNs, status, isBounded());
    }

    static String format(final long earliestNs, final long latestNs, final ClockStatus status, final boolean bounded)
    {
        if (!bounded)
        {
            return "[unbounded] " + status;
        }
        // latestNs >= earliestNs, so the difference is the width as an unsigned number (it may exceed 2^63 - 1).
        return "[" + instant(earliestNs) + ", " + instant(latestNs) + "] (±" +
            Long.divideUnsigned(latestNs - earliestNs, 2) + " ns) " + status;
    }

    static Instant instant(final long epochNs)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L));
    }
}
