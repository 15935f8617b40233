package dev.ordo.clocks.api;

/**
 * Thrown by {@link HybridClock#update(long)} when a remote timestamp's physical part is further ahead of
 * local physical time than the clock's maximum offset allows. Such a remote clock is untrustworthy:
 * accepting it would drag this clock (and everyone who talks to it) into the future. The clock that throws
 * this is left unchanged.
 *
 * <p>The exception carries the numbers as primitives so callers can log or meter them.
 */
public class MaxOffsetExceededException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /** The rejected remote timestamp, packed in {@link #format}. */
    private final long remoteTimestamp;
    /** Local physical time at the rejection, in the format's physical unit. */
    private final long localPhysical;
    /** The limit in force, in the format's physical unit. */
    private final long maxOffset;
    /** The format of the numbers. */
    private final HybridTimestampFormat format;

    /**
     * @param format          the format of the timestamps involved.
     * @param remoteTimestamp the rejected remote timestamp (packed).
     * @param localPhysical   local physical time when it was rejected, in the format's physical unit.
     * @param maxOffset       the limit, in the format's physical unit.
     */
    public MaxOffsetExceededException(
        final HybridTimestampFormat format, final long remoteTimestamp, final long localPhysical, final long maxOffset)
    {
        super(message(format, remoteTimestamp, localPhysical, maxOffset));
        this.format = format;
        this.remoteTimestamp = remoteTimestamp;
        this.localPhysical = localPhysical;
        this.maxOffset = maxOffset;
    }

    private static String message(
        final HybridTimestampFormat format, final long remoteTimestamp, final long localPhysical, final long maxOffset)
    {
        final long aheadBy = format.physical(remoteTimestamp) - localPhysical;
        final String unit = format.unitSymbol();
        return "remote timestamp " + format.toString(remoteTimestamp) + " is " + aheadBy + " " + unit +
            " ahead of local physical time " + format.toString(format.pack(localPhysical, 0)) +
            "; max offset is " + maxOffset + " " + unit + " (the remote clock is untrustworthy; this clock is unchanged)";
    }

    /**
     * @return the rejected remote timestamp, packed in {@link #format()}.
     */
    public long remoteTimestamp()
    {
        return remoteTimestamp;
    }

    /**
     * @return local physical time at the moment of rejection, in the format's physical unit.
     */
    public long localPhysical()
    {
        return localPhysical;
    }

    /**
     * @return the maximum offset in force, in the format's physical unit.
     */
    public long maxOffset()
    {
        return maxOffset;
    }

    /**
     * @return by how much the remote physical time was ahead of local physical time, in the format's unit.
     */
    public long aheadBy()
    {
        return format.physical(remoteTimestamp) - localPhysical;
    }

    /**
     * @return the timestamp format the numbers are in.
     */
    public HybridTimestampFormat format()
    {
        return format;
    }
}
