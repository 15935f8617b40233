package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ClockStatus;

/**
 * A consistent copy of an AWS ClockBound shared-memory segment's fields (protocol version 2), written by
 * {@link ClockBoundShm#read(ClockBoundSnapshot)}. Monotonic times are Linux {@code CLOCK_MONOTONIC_COARSE}
 * readings converted to nanoseconds, comparable with {@link System#nanoTime()} on Linux.
 *
 * <p>A mutable, caller-owned holder: not thread-safe, reuse one per thread.
 */
public final class ClockBoundSnapshot
{
    private int generation;
    private long asOfMonotonicNs;
    private long voidAfterMonotonicNs;
    private long boundNs;
    private long disruptionMarker;
    private long maxDriftPpb;
    private int statusCode;
    private boolean disruptionSupported;

    void set(
        final int generation,
        final long asOfMonotonicNs,
        final long voidAfterMonotonicNs,
        final long boundNs,
        final long disruptionMarker,
        final long maxDriftPpb,
        final int statusCode,
        final boolean disruptionSupported)
    {
        this.generation = generation;
        this.asOfMonotonicNs = asOfMonotonicNs;
        this.voidAfterMonotonicNs = voidAfterMonotonicNs;
        this.boundNs = boundNs;
        this.disruptionMarker = disruptionMarker;
        this.maxDriftPpb = maxDriftPpb;
        this.statusCode = statusCode;
        this.disruptionSupported = disruptionSupported;
    }

    void copyFrom(final ClockBoundSnapshot other)
    {
        set(other.generation, other.asOfMonotonicNs, other.voidAfterMonotonicNs, other.boundNs,
            other.disruptionMarker, other.maxDriftPpb, other.statusCode, other.disruptionSupported);
    }

    /**
     * The bound and status this snapshot gives at monotonic time {@code monotonicNs}, by the rules of
     * {@link ClockBoundShm#errorBound(long)}.
     *
     * @param monotonicNs monotonic time, ns ({@code CLOCK_MONOTONIC}).
     * @return the packed bound (see {@link dev.ordo.clocks.api.ErrorBounds}).
     */
    public long errorBound(final long monotonicNs)
    {
        return ClockBoundShm.errorBoundAt(
            monotonicNs, asOfMonotonicNs, voidAfterMonotonicNs, boundNs, maxDriftPpb, statusCode);
    }

    /**
     * @return the generation the snapshot was taken at (even, non-zero).
     */
    public int generation()
    {
        return generation;
    }

    /**
     * @return when the daemon computed the bound, monotonic ns.
     */
    public long asOfMonotonicNs()
    {
        return asOfMonotonicNs;
    }

    /**
     * @return after this monotonic time the bound must not be trusted, ns.
     */
    public long voidAfterMonotonicNs()
    {
        return voidAfterMonotonicNs;
    }

    /**
     * @return the bound on the real-time clock's error at {@link #asOfMonotonicNs()}, ns.
     */
    public long boundNs()
    {
        return boundNs;
    }

    /**
     * @return the last VMClock disruption marker the daemon saw; a change means the clock was disrupted.
     */
    public long disruptionMarker()
    {
        return disruptionMarker;
    }

    /**
     * @return the daemon's maximum drift rate, parts per billion.
     */
    public long maxDriftPpb()
    {
        return maxDriftPpb;
    }

    /**
     * @return the status the daemon wrote (before any ageing by the reader).
     */
    public ClockStatus status()
    {
        return ClockStatus.fromCode(statusCode);
    }

    /**
     * @return the raw status code the daemon wrote.
     */
    public int statusCode()
    {
        return statusCode;
    }

    /**
     * @return true when the daemon runs with clock disruption support.
     */
    public boolean disruptionSupported()
    {
        return disruptionSupported;
    }

    @Override
    public String toString()
    {
        return "ClockBoundSnapshot{generation=" + generation + ", asOfMonotonicNs=" + asOfMonotonicNs +
            ", voidAfterMonotonicNs=" + voidAfterMonotonicNs + ", boundNs=" + boundNs + ", disruptionMarker=" +
            disruptionMarker + ", maxDriftPpb=" + maxDriftPpb + ", status=" + status() + ", disruptionSupported=" +
            disruptionSupported + "}";
    }
}
