package dev.ordo.clocks.api;

/**
 * Thrown by a logical clock configured with a largest accepted jump when a received value is further ahead
 * of the clock than that jump. The clock that throws this is left unchanged.
 *
 * <p>The numbers are carried as primitives so callers can log or meter them.
 */
public class MaxJumpExceededException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /** The rejected received value. */
    private final long received;
    /** The clock's value when it rejected it. */
    private final long current;
    /** The largest accepted jump in force. */
    private final long maxJump;

    /**
     * @param received the rejected received value.
     * @param current  the clock's value at the rejection.
     * @param maxJump  the largest accepted distance of a received value ahead of the clock.
     */
    public MaxJumpExceededException(final long received, final long current, final long maxJump)
    {
        super("received value " + received + " is " + Long.toUnsignedString(received - current) +
            " ahead of the clock at " + current + "; the largest accepted jump is " + maxJump +
            " (the sender is faulty or hostile; this clock is unchanged)");
        this.received = received;
        this.current = current;
        this.maxJump = maxJump;
    }

    /**
     * @return the rejected received value.
     */
    public long received()
    {
        return received;
    }

    /**
     * @return the clock's value when it rejected the received value.
     */
    public long current()
    {
        return current;
    }

    /**
     * @return the largest accepted jump in force.
     */
    public long maxJump()
    {
        return maxJump;
    }
}
