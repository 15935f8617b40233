package dev.ordo.clocks.bounded;

import java.io.IOException;

/**
 * Thrown when a file cannot be used as an AWS ClockBound shared-memory segment: too small, wrong magic
 * number, malformed header or an unsupported layout version. The message names the file and the value.
 */
public class ClockBoundSegmentException extends IOException
{
    private static final long serialVersionUID = 1L;

    /** Why the segment cannot be used. */
    private final ClockBoundReadResult reason;

    /**
     * @param reason  what is wrong, as a read result.
     * @param message the details, naming the file and the bad value.
     */
    public ClockBoundSegmentException(final ClockBoundReadResult reason, final String message)
    {
        super(message);
        this.reason = reason;
    }

    /**
     * @return what is wrong.
     */
    public ClockBoundReadResult reason()
    {
        return reason;
    }
}
