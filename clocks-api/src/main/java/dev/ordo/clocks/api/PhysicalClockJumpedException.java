package dev.ordo.clocks.api;

/**
 * Thrown by a hybrid clock with {@link ForwardJumpPolicy#REFUSE} after its physical source jumped forward by
 * more than the threshold: the clock refuses to issue timestamps until the jump is acknowledged. The clock
 * that throws this is unchanged.
 */
public class PhysicalClockJumpedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message which jump, by how much, and how to resume.
     */
    public PhysicalClockJumpedException(final String message)
    {
        super(message);
    }
}
