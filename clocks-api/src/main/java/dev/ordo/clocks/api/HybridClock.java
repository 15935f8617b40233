package dev.ordo.clocks.api;

/**
 * A hybrid logical clock (Kulkarni et al., 2014): timestamps that respect happens-before like a Lamport
 * clock while staying within a bounded distance of physical time.
 *
 * <p>Guarantees of every implementation:
 * <ul>
 *     <li>{@link #now()} and a successful {@link #update(long)} return a value strictly greater than every
 *     value this clock returned before (across all threads), and never less than physical time read at
 *     the call.</li>
 *     <li>A successful {@link #update(long)} returns a value strictly greater than the remote timestamp.</li>
 *     <li>A remote timestamp whose physical part is more than {@link #maxOffset()} ahead of local physical
 *     time is rejected and the clock is left unchanged.</li>
 * </ul>
 * Timestamps are packed {@code long}s in {@link #format()}; compare them with
 * {@link HybridTimestampFormat#compare(long, long)}.
 */
public interface HybridClock
{
    /** {@link #tryUpdate(long)}'s result when the remote timestamp was too far ahead. */
    long REJECTED_TOO_FAR_AHEAD = -1L;

    /** {@link #tryUpdate(long)}'s result when the remote value is not a valid timestamp of this format. */
    long REJECTED_INVALID = -2L;

    /** {@link #tryUpdate(long)}'s result when the next timestamp would exceed the format's largest value. */
    long REJECTED_OVERFLOW = -3L;

    /**
     * Timestamp for a local or send event.
     *
     * @return a timestamp strictly greater than every one this clock issued before, and at least physical time.
     * @throws ClockOverflowException if the format's largest timestamp has been reached; the state is unchanged.
     */
    long now();

    /**
     * Timestamp for the receipt of a message stamped {@code remote}.
     *
     * @param remote the sender's timestamp.
     * @return a timestamp greater than {@code remote} and than every one this clock issued before.
     * @throws MaxOffsetExceededException if {@code remote} is more than {@link #maxOffset()} ahead of local
     *                                    physical time; the message names both times and the limit.
     * @throws InvalidTimestampException  if {@code remote} is not a valid timestamp of {@link #format()}.
     * @throws ClockOverflowException     if the result would exceed the format's largest timestamp.
     */
    long update(long remote);

    /**
     * As {@link #update(long)}, but reports rejection through the return value instead of an exception, and
     * never allocates.
     *
     * @param remote the sender's timestamp.
     * @return the new timestamp, or one of the negative codes {@link #REJECTED_TOO_FAR_AHEAD},
     * {@link #REJECTED_INVALID}, {@link #REJECTED_OVERFLOW}; test with {@link #isRejected(long)}. On rejection
     * the clock is unchanged. Implementations never issue a timestamp equal to a code (for
     * {@link HybridTimestampFormat#MICROS}, whose three largest values are -1..-3 as signed numbers, they stop
     * below them), so the test is unambiguous in every format.
     */
    long tryUpdate(long remote);

    /**
     * @return the latest timestamp this clock issued (or its starting point), without issuing one.
     */
    long current();

    /**
     * @return the layout of this clock's timestamps.
     */
    HybridTimestampFormat format();

    /**
     * @return the largest accepted distance of a remote physical time ahead of local physical time, in the
     * format's physical unit.
     */
    long maxOffset();

    /**
     * @param result a value returned by {@link #tryUpdate(long)}.
     * @return true when it is a rejection code rather than a timestamp.
     */
    static boolean isRejected(final long result)
    {
        return result < 0 && result >= REJECTED_OVERFLOW;
    }
}
