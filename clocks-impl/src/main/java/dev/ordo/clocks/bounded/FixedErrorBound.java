package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBoundSource;
import dev.ordo.clocks.api.ErrorBounds;

/**
 * A constant error bound, always {@link ClockStatus#SYNCHRONIZED}: CockroachDB's approach, where every node
 * is configured with a maximum clock offset (default 500 ms) and trusted to stay within it. Right when
 * something else (monitoring, a sync daemon with alarms) keeps the clocks within the bound; wrong, silently,
 * when it does not. Also what tests use.
 *
 * <p>Immutable and thread-safe; {@link #errorBound(long)} is a field read. Its state never changes, so the
 * default {@link ErrorBoundSource#snapshot()} and {@link ErrorBoundSource#errorBoundFrom(Object, long)} are exact
 * for it (no snapshot, nothing to check).
 */
public final class FixedErrorBound implements ErrorBoundSource
{
    private final long boundNs;
    private final long packed;

    /**
     * @param boundNs the bound, {@code 0 <= boundNs < ErrorBounds.MAX_BOUND_NS}.
     * @throws IllegalArgumentException if {@code boundNs} is negative or too large to be a bound.
     */
    public FixedErrorBound(final long boundNs)
    {
        if (boundNs < 0 || boundNs >= ErrorBounds.MAX_BOUND_NS)
        {
            throw new IllegalArgumentException(
                "a fixed error bound must be in [0, " + ErrorBounds.MAX_BOUND_NS + ") ns: " + boundNs);
        }
        this.boundNs = boundNs;
        this.packed = ErrorBounds.of(boundNs, ClockStatus.SYNCHRONIZED);
    }

    /**
     * @param bound the bound, {@code >= 0} and below {@link ErrorBounds#MAX_BOUND_NS} ns.
     * @return the source.
     * @throws IllegalArgumentException if the bound is negative or too large.
     */
    public static FixedErrorBound of(final java.time.Duration bound)
    {
        return new FixedErrorBound(DriftErrorBound.saturatedNanos(bound));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long errorBound(final long monotonicNs)
    {
        return packed;
    }

    /**
     * @return the bound, ns.
     */
    public long boundNs()
    {
        return boundNs;
    }

    @Override
    public String toString()
    {
        return "FixedErrorBound{" + boundNs + " ns}";
    }
}
