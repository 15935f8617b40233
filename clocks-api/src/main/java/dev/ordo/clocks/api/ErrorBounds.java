package dev.ordo.clocks.api;

/**
 * An error bound and a {@link ClockStatus} packed into one non-negative {@code long}, the value an
 * {@link ErrorBoundSource} returns: bits 0..60 hold the bound in nanoseconds, bits 61..62 the status code,
 * bit 63 is always 0. Packing keeps every read allocation-free and atomic (bound and status can never come
 * from two different reads).
 *
 * <p>Nonsense never narrows an interval: {@link #of(long, ClockStatus)} turns a negative bound into
 * {@link #UNKNOWN}, and clocks treat a negative packed value (which {@code of} never produces) as
 * {@link #UNKNOWN} too. Bounds of {@link #MAX_BOUND_NS} or more saturate to {@link #MAX_BOUND_NS}, which
 * means "unbounded".
 */
public final class ErrorBounds
{
    /** The largest bound that can be packed (about 73 years); it means "unbounded". */
    public static final long MAX_BOUND_NS = (1L << 61) - 1;

    /** Status {@link ClockStatus#UNKNOWN} with an unbounded error. */
    public static final long UNKNOWN = pack(MAX_BOUND_NS, ClockStatus.UNKNOWN);

    /**
     * Returned by {@link ErrorBoundSource#errorBoundFrom(Object, long)} when the source's state changed since the
     * snapshot the read began with: read the clocks again. Negative ({@link Long#MIN_VALUE}), so code that does not
     * know it treats it like any invalid value: unbounded, {@link ClockStatus#UNKNOWN}.
     */
    public static final long SNAPSHOT_CHANGED = Long.MIN_VALUE;

    private static final int STATUS_SHIFT = 61;

    private ErrorBounds()
    {
    }

    /**
     * Packs a bound and a status, turning nonsense into {@link #UNKNOWN}.
     *
     * @param boundNs bound on |local real-time clock - true time|, ns; negative is nonsense.
     * @param status  the status; null is nonsense.
     * @return the packed value: {@link #UNKNOWN} for a negative bound, a null status or status
     * {@link ClockStatus#UNKNOWN}; an unbounded value with the same status for {@link ClockStatus#DISRUPTED}
     * or a bound of {@link #MAX_BOUND_NS} or more.
     */
    public static long of(final long boundNs, final ClockStatus status)
    {
        if (boundNs < 0 || status == null || status == ClockStatus.UNKNOWN)
        {
            return UNKNOWN;
        }
        if (status == ClockStatus.DISRUPTED || boundNs >= MAX_BOUND_NS)
        {
            return pack(MAX_BOUND_NS, status);
        }
        return pack(boundNs, status);
    }

    /**
     * @param boundNs a bound that is at least 0.
     * @return the bound with status {@link ClockStatus#SYNCHRONIZED}.
     */
    public static long synchronizedBound(final long boundNs)
    {
        return of(boundNs, ClockStatus.SYNCHRONIZED);
    }

    /**
     * @param packed a packed error bound.
     * @return its bound in ns; {@link #MAX_BOUND_NS} (unbounded) for a negative, i.e. invalid, value.
     */
    public static long boundNs(final long packed)
    {
        return packed < 0 ? MAX_BOUND_NS : packed & MAX_BOUND_NS;
    }

    /**
     * @param packed a packed error bound.
     * @return its status; {@link ClockStatus#UNKNOWN} for a negative, i.e. invalid, value.
     */
    public static ClockStatus status(final long packed)
    {
        return packed < 0 ? ClockStatus.UNKNOWN : ClockStatus.fromCode((int)(packed >>> STATUS_SHIFT));
    }

    /**
     * @param packed a packed error bound.
     * @return true when it carries a finite bound a clock may rely on: a valid value, status
     * {@link ClockStatus#SYNCHRONIZED} or {@link ClockStatus#FREE_RUNNING}, bound below {@link #MAX_BOUND_NS}.
     */
    public static boolean isBounded(final long packed)
    {
        return packed >= 0 && status(packed).isBounded() && (packed & MAX_BOUND_NS) != MAX_BOUND_NS;
    }

    /**
     * @param packed a packed error bound.
     * @return e.g. {@code 1500ns SYNCHRONIZED}; allocates.
     */
    public static String toString(final long packed)
    {
        return isBounded(packed) ? boundNs(packed) + "ns " + status(packed) : "unbounded " + status(packed);
    }

    private static long pack(final long boundNs, final ClockStatus status)
    {
        return ((long)status.code() << STATUS_SHIFT) | boundNs;
    }
}
