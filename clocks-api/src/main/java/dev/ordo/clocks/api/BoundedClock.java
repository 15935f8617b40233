package dev.ordo.clocks.api;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A clock that never pretends to know the exact time (Spanner's TrueTime, AWS ClockBound, Meta's fbclock):
 * it returns an interval {@code [earliestNs, latestNs]} of epoch nanoseconds that contains true time, and
 * can wait out its own uncertainty ("commit wait") when ordering matters.
 *
 * <p>Guarantees of every implementation, as long as its error bound source is right:
 * <ul>
 *     <li>{@link #now(TimeInterval)} writes an interval containing true time at some instant during the
 *     call.</li>
 *     <li>{@link #after(long)} is true only if {@code timeNs} has certainly passed; {@link #before(long)} only
 *     if it has certainly not arrived. Both are false while the clock's status is {@link ClockStatus#UNKNOWN}
 *     or {@link ClockStatus#DISRUPTED}.</li>
 *     <li>{@link #commitWait(long)} returns only once {@link #after(long)} holds: every later event anywhere,
 *     on any node with a correct bound, has a {@code latestNs} greater than {@code timeNs}.</li>
 * </ul>
 * Times are nanoseconds since the Unix epoch (UTC, as the local real-time clock counts them), which a
 * {@code long} holds until the year 2262.
 *
 * <p>{@code now(TimeInterval)}, {@code after} and {@code before} are thread-safe and allocation-free. The
 * java.time forms ({@link #now()}, {@link #commitWait(long, Duration)}, {@link #asInstantSource()}) are for cold
 * paths: they allocate.
 */
public interface BoundedClock
{
    /** Returned by {@link #commitWait(long, long)} when the timeout elapsed first. */
    long TIMED_OUT = -1L;

    /**
     * Reads the time.
     *
     * @param out the caller's interval to write into.
     * @return {@code out}.
     */
    TimeInterval now(TimeInterval out);

    /**
     * Reads the time into a new immutable value (ClockBound's client does this). Allocates; hot paths use
     * {@link #now(TimeInterval)}.
     *
     * @return the interval, with the same guarantee as {@link #now(TimeInterval)}.
     */
    default TimeIntervalValue now()
    {
        return now(new TimeInterval()).toValue();
    }

    /**
     * A {@link InstantSource} view: {@code instant()} is the local real-time clock reading that
     * {@link #now(TimeInterval)} builds its interval around (its {@code readingNs}), the best single estimate
     * of the time and <em>no guarantee</em> of anything; use the interval when ordering matters. For code that
     * takes an {@code InstantSource}/{@code Clock} (java.time, schedulers, tests).
     *
     * @return the view; thread-safe; each call allocates an {@link Instant}.
     */
    default InstantSource asInstantSource()
    {
        return () -> TimeInterval.instant(now(new TimeInterval()).readingNs());
    }

    /**
     * @param timeNs epoch ns.
     * @return true only when {@code timeNs} has certainly passed ({@code now().earliestNs() > timeNs}).
     */
    boolean after(long timeNs);

    /**
     * @param timeNs epoch ns.
     * @return true only when {@code timeNs} has certainly not arrived yet ({@code now().latestNs() < timeNs}).
     */
    boolean before(long timeNs);

    /**
     * Blocks until {@code timeNs} has certainly passed ({@link #after(long)} is true). Waits forever while
     * the clock cannot bound its error (status {@link ClockStatus#UNKNOWN}, e.g. a drift-model source before
     * its first sync, or {@link ClockStatus#DISRUPTED}); prefer {@link #commitWait(long, Duration)} in servers.
     *
     * @param timeNs epoch ns, e.g. a commit timestamp taken from {@code now().latestNs()}.
     * @return how long the call waited, in ns of the monotonic clock (0 if {@code timeNs} had already passed).
     * @throws InterruptedException if the thread is interrupted while waiting (the interrupt is consumed).
     */
    long commitWait(long timeNs) throws InterruptedException;

    /**
     * Blocks until {@code timeNs} has certainly passed or {@code timeoutNs} elapsed, whichever comes first.
     *
     * @param timeNs    epoch ns.
     * @param timeoutNs longest wait, ns of the monotonic clock, {@code >= 0}.
     * @return how long the call waited in ns, or {@link #TIMED_OUT} when the timeout elapsed before
     * {@code timeNs} had certainly passed.
     * @throws InterruptedException     if the thread is interrupted while waiting.
     * @throws IllegalArgumentException if {@code timeoutNs} is negative.
     */
    long commitWait(long timeNs, long timeoutNs) throws InterruptedException;

    /**
     * {@link #commitWait(long, long)} with the timeout as a {@link Duration}.
     *
     * @param timeNs  epoch ns.
     * @param timeout longest wait, not negative (saturates at about 292 years).
     * @return how long the call waited in ns, or {@link #TIMED_OUT}.
     * @throws InterruptedException     if the thread is interrupted while waiting.
     * @throws IllegalArgumentException if {@code timeout} is negative.
     * @throws NullPointerException     if {@code timeout} is null.
     */
    default long commitWait(final long timeNs, final Duration timeout) throws InterruptedException
    {
        if (timeout.isNegative())
        {
            throw new IllegalArgumentException("commit wait timeout must be >= 0: " + timeout);
        }
        long timeoutNs;
        try
        {
            timeoutNs = timeout.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            timeoutNs = Long.MAX_VALUE;
        }
        return commitWait(timeNs, timeoutNs);
    }
}
