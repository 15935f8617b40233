package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.BoundedClock;
import dev.ordo.clocks.api.TimeInterval;

import java.util.Objects;

/**
 * A time-limited grant (a lock, leadership, a partition) judged on a {@link BoundedClock}, so that neither
 * side acts on a lease whose validity is uncertain:
 * <ul>
 *     <li>the holder may act only while {@link #isHeld()}: {@code latestNs < expiryNs}, i.e. even if its clock
 *     is as far ahead as the bound allows, the lease has not expired. After a pause (GC, swapping, a VM
 *     stall) the next check fails rather than trusting a reading taken before the pause;</li>
 *     <li>the grantor may hand the lease to someone else only once {@link #isCertainlyExpired()}:
 *     {@code earliestNs > expiryNs} on its own clock.</li>
 * </ul>
 * Between the two there is a gap of at least the two clocks' bounds, during which nobody holds the lease.
 *
 * <p>A lease check cannot stop a holder that pauses <em>after</em> the check and then acts: that is what the
 * {@link #token() fencing token} is for. Pass it with every write and let the storage reject stale tokens with
 * a {@link FencingTokenGuard}.
 *
 * <p>Concurrency contract: {@link #grant(long, long)} and {@link #revoke()} publish an immutable grant (one
 * small allocation, off the hot path) with a volatile write; {@link #isHeld()}, {@link #isCertainlyExpired()},
 * {@link #token()} and {@link #expiryNs()} are thread-safe and allocation-free.
 */
public final class Lease
{
    /** {@link #token()} when nothing is granted. */
    public static final long NO_TOKEN = -1L;

    private final BoundedClock clock;
    private volatile Grant grant;

    /**
     * @param clock the clock that judges the lease.
     */
    public Lease(final BoundedClock clock)
    {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Records a grant (or a renewal).
     *
     * @param token    the fencing token that came with it, {@code >= 0}, increasing with every grant.
     * @param expiryNs when it expires, epoch ns.
     * @throws IllegalArgumentException if {@code token} is negative; the lease is unchanged.
     */
    public void grant(final long token, final long expiryNs)
    {
        if (token < 0)
        {
            throw new IllegalArgumentException("a fencing token must be >= 0: " + token);
        }
        grant = new Grant(token, expiryNs);
    }

    /**
     * Forgets the grant: {@link #isHeld()} becomes false.
     */
    public void revoke()
    {
        grant = null;
    }

    /**
     * @return true only while the lease is certainly not expired: granted and {@code latestNs < expiryNs}.
     */
    public boolean isHeld()
    {
        final Grant current = grant;
        return current != null && clock.before(current.expiryNs);
    }

    /**
     * @return true when the lease has certainly expired ({@code earliestNs > expiryNs}) or was never granted:
     * the grantor may give it to someone else.
     */
    public boolean isCertainlyExpired()
    {
        final Grant current = grant;
        return current == null || clock.after(current.expiryNs);
    }

    /**
     * @param scratch a caller-owned interval to read the clock into.
     * @return how long the lease is certainly still held, {@code expiryNs - latestNs}, ns; 0 or less when it
     * may have expired (or was never granted).
     */
    public long certainlyRemainingNs(final TimeInterval scratch)
    {
        final Grant current = grant;
        if (current == null)
        {
            return 0;
        }
        clock.now(scratch);
        return ErrorBoundedClock.saturatedSubtract(current.expiryNs, scratch.latestNs());
    }

    /**
     * @return the fencing token of the current grant, or {@link #NO_TOKEN}.
     */
    public long token()
    {
        final Grant current = grant;
        return current == null ? NO_TOKEN : current.token;
    }

    /**
     * @return the expiry of the current grant (epoch ns), or {@link Long#MIN_VALUE} when none.
     */
    public long expiryNs()
    {
        final Grant current = grant;
        return current == null ? Long.MIN_VALUE : current.expiryNs;
    }

    @Override
    public String toString()
    {
        final Grant current = grant;
        return current == null ? "Lease{none}" : "Lease{token=" + current.token + ", expiryNs=" + current.expiryNs + "}";
    }

    private static final class Grant
    {
        final long token;
        final long expiryNs;

        Grant(final long token, final long expiryNs)
        {
            this.token = token;
            this.expiryNs = expiryNs;
        }
    }
}
