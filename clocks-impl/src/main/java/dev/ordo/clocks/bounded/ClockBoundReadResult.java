package dev.ordo.clocks.bounded;

/**
 * The outcome of reading an AWS ClockBound shared-memory segment. Every value but {@link #OK} means the
 * reader could not get a trustworthy bound, and {@link ClockBoundShm#errorBound(long)} reports
 * {@link dev.ordo.clocks.api.ClockStatus#UNKNOWN} for it.
 */
public enum ClockBoundReadResult
{
    /** A consistent snapshot was read. */
    OK,

    /** Generation or version is 0: the daemon has not written the segment yet (or is restarting). */
    NOT_INITIALIZED,

    /**
     * The generation stayed odd (an update in progress) or kept changing for every retry: the writer is
     * stalled or died mid-update.
     */
    WRITER_STALLED,

    /** The file does not start with ClockBound's magic number. */
    BAD_MAGIC,

    /** The layout version is not 2 (ClockBound daemon 2.x). */
    UNSUPPORTED_VERSION,

    /** The segment is too small or a field holds an impossible value (negative bound, nanoseconds >= 1e9). */
    MALFORMED,

    /** The reader was closed. */
    CLOSED
}
