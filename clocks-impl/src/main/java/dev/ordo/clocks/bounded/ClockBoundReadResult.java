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

    /**
     * The file is shorter than a segment (or a read of it failed): the daemon is wiping it (it truncates the
     * file, then rewrites the header) or something else truncated it. The reader reads the file with system
     * calls rather than through a mapping, so a truncation ends a read early instead of faulting.
     */
    TRUNCATED,

    /**
     * The daemon runs with clock disruption support, and the VMClock device's disruption marker differs from
     * the one the daemon last copied: the clock was disrupted (a live migration, a snapshot restore) and the
     * daemon has not caught up yet, so its status cannot be trusted. AWS's client reports Unknown here too.
     */
    VMCLOCK_DISRUPTED,

    /**
     * The daemon runs with clock disruption support, but the VMClock device cannot be opened or read (missing,
     * not permitted, malformed, or the reading thread is interrupted): without it a disruption would go
     * unnoticed, so nothing is trusted.
     */
    VMCLOCK_UNAVAILABLE,

    /** The reader was closed. */
    CLOSED
}
