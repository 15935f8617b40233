package dev.ordo.clocks.api;

/**
 * How far a bounded clock's error bound can be trusted. The codes are AWS ClockBound's (shared-memory
 * protocol version 2), so a status read from a ClockBound segment maps one to one.
 *
 * <ul>
 *     <li>{@link #UNKNOWN}: nothing is known; the interval is unbounded ({@code [Long.MIN_VALUE,
 *     Long.MAX_VALUE]}) and no time is ever certainly passed.</li>
 *     <li>{@link #SYNCHRONIZED}: the bound comes from a recent synchronization.</li>
 *     <li>{@link #FREE_RUNNING}: the last synchronization is old; the bound is still valid under the
 *     maximum drift assumption and keeps growing.</li>
 *     <li>{@link #DISRUPTED}: the clock was disrupted (e.g. a VM live migration); the interval is unbounded
 *     until the next synchronization.</li>
 * </ul>
 */
public enum ClockStatus
{
    /** Code 0: the error bound is not known; intervals are unbounded. */
    UNKNOWN(0),

    /** Code 1: the error bound comes from a recent synchronization. */
    SYNCHRONIZED(1),

    /** Code 2: no recent synchronization; the bound grows with the maximum drift rate. */
    FREE_RUNNING(2),

    /** Code 3: the clock was disrupted; intervals are unbounded until the next synchronization. */
    DISRUPTED(3);

    private static final ClockStatus[] BY_CODE = values();

    private final int code;

    ClockStatus(final int code)
    {
        this.code = code;
    }

    /**
     * @return the ClockBound status code: 0 unknown, 1 synchronized, 2 free running, 3 disrupted.
     */
    public int code()
    {
        return code;
    }

    /**
     * @return true for {@link #SYNCHRONIZED} and {@link #FREE_RUNNING}: the statuses that carry a finite bound.
     */
    public boolean isBounded()
    {
        return this == SYNCHRONIZED || this == FREE_RUNNING;
    }

    /**
     * Allocation-free lookup.
     *
     * @param code a status code of unknown origin.
     * @return the status with that code, or {@link #UNKNOWN} for any code outside {@code 0..3}.
     */
    public static ClockStatus fromCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
