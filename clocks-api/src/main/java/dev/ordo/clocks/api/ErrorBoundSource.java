package dev.ordo.clocks.api;

/**
 * Where a {@link BoundedClock}'s uncertainty comes from: the bound on how far the local real-time clock
 * ({@code CLOCK_REALTIME}, {@link System#currentTimeMillis()}'s clock) can be from true time, at a given
 * instant of the local monotonic clock.
 *
 * <p>Implementations must be thread-safe and allocation-free: clocks call this on every read, from any
 * thread. They must never report a bound smaller than they can justify; when in doubt, report
 * {@link ErrorBounds#UNKNOWN}.
 *
 * <p><b>What a bound covers.</b> A source's state (its last sync, its last disruption) changes over time. The
 * bound a state gives at monotonic time {@code m} covers a real-time reading taken at or before {@code m}
 * <em>while that state was the source's current one</em>; it says nothing about a reading taken before the
 * state was published (the sync daemon may have stepped or slewed the clock just before publishing a smaller
 * bound) or after it was replaced (a disruption, or a larger bound published before the clock moved).
 *
 * <p><b>Snapshot, then clocks, then bound.</b> So that a clock can judge each reading by the state that was
 * current while it was taken, a read goes: {@code s = snapshot()} (before the real-time read), the real-time
 * read, the monotonic read {@code m}, then {@code errorBoundFrom(s, m)}, which returns the bound of state
 * {@code s} at {@code m}, or {@link ErrorBounds#SNAPSHOT_CHANGED} when the source cannot vouch that {@code s}
 * was current throughout (the clock then reads again). A source whose state never changes needs neither
 * method: the defaults ({@code null}, then {@link #errorBound(long)}) are exact for it. A source whose state
 * changes must override both; a source that keeps the defaults is read in the old order (real time, monotonic
 * time, then its current state), where a state published between the two reads judges a reading taken before
 * it.
 */
@FunctionalInterface
public interface ErrorBoundSource
{
    /**
     * The bound of the source's current state.
     *
     * @param monotonicNs the local monotonic clock ({@code System.nanoTime()}, i.e. Linux
     *                    {@code CLOCK_MONOTONIC}) read just after the real-time clock.
     * @return the bound and status packed with {@link ErrorBounds#of(long, ClockStatus)}.
     */
    long errorBound(long monotonicNs);

    /**
     * Takes the source's current state, before the real-time clock is read, for
     * {@link #errorBoundFrom(Object, long)}. Allocation-free and thread-safe.
     *
     * @return an opaque token (may be {@code null}), valid only for {@link #errorBoundFrom(Object, long)} of this
     * source on the calling thread, before that thread takes its next snapshot of this source (a source may hand
     * out a per-thread scratch object). The default returns {@code null}.
     */
    default Object snapshot()
    {
        return null;
    }

    /**
     * The bound at {@code monotonicNs} of the state {@code snapshot} was taken from, called after the real-time
     * and the monotonic reads. Allocation-free and thread-safe.
     *
     * @param snapshot    what {@link #snapshot()} returned on this thread before the real-time read.
     * @param monotonicNs the monotonic clock, read after the real-time clock.
     * @return the packed bound (see {@link ErrorBounds}) covering a real-time reading taken between the snapshot
     * and this call, or {@link ErrorBounds#SNAPSHOT_CHANGED} if the source's state changed since the snapshot in
     * a way that bound may not cover (read again). The default returns {@link #errorBound(long)}: exact for a
     * source whose state never changes.
     */
    default long errorBoundFrom(final Object snapshot, final long monotonicNs)
    {
        return errorBound(monotonicNs);
    }
}
