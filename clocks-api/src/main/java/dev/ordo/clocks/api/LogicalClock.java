package dev.ordo.clocks.api;

/**
 * A logical clock that counts events: Lamport's clock condition in one interface.
 *
 * <p>For events {@code a} and {@code b} where {@code a} happened before {@code b}, the clock value of
 * {@code a} is strictly less than that of {@code b}. The converse does not hold: a smaller value does not
 * mean "happened before" (use a vector clock for that).
 *
 * <p>Values are non-negative {@code long}s. Implementations say whether they are thread-safe.
 */
public interface LogicalClock
{
    /**
     * Records a local or send event.
     *
     * @return the event's timestamp, strictly greater than every value this clock returned before.
     * @throws ClockOverflowException if the clock is at its largest value (at most {@link Long#MAX_VALUE});
     *                                the state is unchanged.
     */
    long tick();

    /**
     * Records the receipt of a message stamped {@code received}.
     *
     * @param received the sender's timestamp, {@code >= 0}.
     * @return {@code max(current, received) + 1}: strictly greater than {@code received} and than every
     * value this clock returned before.
     * @throws InvalidTimestampException if {@code received} is negative; the state is unchanged.
     * @throws ClockOverflowException if the result would pass the clock's largest value; the state is unchanged.
     */
    long update(long received);

    /**
     * @return the last value this clock issued (or its initial value), without recording an event.
     */
    long current();
}
