package dev.ordo.clocks.monitor;

/**
 * Told when a {@link PeerClockMonitor}'s verdict changes, e.g. to fence this node (stop serving, give up its
 * leases) on {@link ClockVerdict#OUT_OF_STEP} as CockroachDB does, and to unfence it when the verdict returns
 * to {@link ClockVerdict#HEALTHY}.
 *
 * <p>Called on the thread whose observation or evaluation changed the verdict, while the monitor's lock is
 * held, so changes arrive one at a time and in order. Keep it short and non-blocking (set a flag, hand the
 * work to another thread); calling the monitor's own methods from it is allowed (the lock is re-entrant).
 */
@FunctionalInterface
public interface VerdictListener
{
    /** A listener that does nothing. */
    VerdictListener NONE = (previous, current, monitor) -> {};

    /**
     * @param previous the verdict before.
     * @param current  the verdict now (never equal to {@code previous}).
     * @param monitor  the monitor, to read the peers' estimates (e.g. to log which peers are out of step).
     */
    void onVerdictChange(ClockVerdict previous, ClockVerdict current, PeerClockMonitor monitor);
}
