package dev.ordo.clocks.api;

/**
 * Where a {@link BoundedClock}'s uncertainty comes from: the bound on how far the local real-time clock
 * ({@code CLOCK_REALTIME}, {@link System#currentTimeMillis()}'s clock) can be from true time, at a given
 * instant of the local monotonic clock.
 *
 * <p>Implementations must be thread-safe and allocation-free: clocks call this on every read, from any
 * thread. They must never report a bound smaller than they can justify; when in doubt, report
 * {@link ErrorBounds#UNKNOWN}.
 */
@FunctionalInterface
public interface ErrorBoundSource
{
    /**
     * @param monotonicNs the local monotonic clock ({@code System.nanoTime()}, i.e. Linux
     *                    {@code CLOCK_MONOTONIC}) read just after the real-time clock.
     * @return the bound and status packed with {@link ErrorBounds#of(long, ClockStatus)}.
     */
    long errorBound(long monotonicNs);
}
