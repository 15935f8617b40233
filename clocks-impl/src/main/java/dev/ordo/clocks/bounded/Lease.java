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
 * <p><b>Revocation is one-sided.</b> {@link #revoke()} stops <em>this</em> side from acting ({@link #isHeld()}
 * becomes false) but does not reach the other side: a holder that never heard of the revocation may act until
 * the expiry. So a revoked lease is certainly expired only once its expiry has certainly passed, exactly like
 * an unrevoked one, and the grantor cannot hand it on earlier.
 *
 * <p><b>Tokens only grow.</b> {@link #grant(long, long)} refuses a token lower than the last one granted (also
 * after a revocation): a grant with a lower token would let a stale holder pass the storage's fencing guard
 * again. The same token renews the lease, and a renewal never shortens it (the expiry becomes the later of the
 * two: the other side may know only the later one); once revoked, a grant cannot be renewed, the next grant
 * needs a higher token.
 *
 * <p>Concurrency contract: {@link #grant(long, long)} and {@link #revoke()} are serialised by a lock and publish
 * an immutable grant (one small allocation, off the hot path) with a volatile write; {@link #isHeld()},
 * {@link #isCertainlyExpired()}, {@link #token()} and {@link #expiryNs()} are lock-free, thread-safe and
 * allocation-free.
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
     * @param token    the fencing token that came with it, {@code >= 0}, at least the last token granted
     *                 (equal: a renewal, which keeps the later of the two expiries).
     * @param expiryNs when it expires, epoch ns.
     * @throws IllegalArgumentException if {@code token} is negative, lower than the last token granted, or equal
     *                                  to the token of a revoked grant; the lease is unchanged.
     */
    public synchronized void grant(final long token, final long expiryNs)
    {
        if (token < 0)
        {
            throw new IllegalArgumentException("a fencing token must be >= 0: " + token);
        }
        final Grant current = grant;
        if (current != null && token < current.token)
        {
            throw new IllegalArgumentException("fencing token " + token + " is lower than the last granted token " +
                current.token + ": tokens must never go back (a stale holder would pass the fencing guard again);" +
                " the lease is unchanged");
        }
        if (current != null && token == current.token)
        {
            if (current.revoked)
            {
                throw new IllegalArgumentException("fencing token " + token + " belongs to a revoked grant: a new" +
                    " grant needs a higher token (the revoked holder still has this one and would pass the fencing" +
                    " guard); the lease is unchanged");
            }
            // A renewal never shortens: the other side may know only the later expiry (a reordered or mistaken
            // renewal would otherwise let the grantor see the lease as certainly expired while it is held).
            grant = new Grant(token, Math.max(expiryNs, current.expiryNs), false);
            return;
        }
        grant = new Grant(token, expiryNs, false);
    }

    /**
     * Stops this side from acting on the grant: {@link #isHeld()} becomes false. The expiry and the token stay:
     * {@link #isCertainlyExpired()} still waits for the expiry (the other side may not know of the revocation),
     * and later grants still need a token at least as high.
     */
    public synchronized void revoke()
    {
        final Grant current = grant;
        if (current != null && !current.revoked)
        {
            grant = new Grant(current.token, current.expiryNs, true);
        }
    }

    /**
     * @return true only while the lease is certainly not expired: granted, not revoked, and
     * {@code latestNs < expiryNs}.
     */
    public boolean isHeld()
    {
        final Grant current = grant;
        return current != null && !current.revoked && clock.before(current.expiryNs);
    }

    /**
     * @return true when the lease has certainly expired ({@code earliestNs > expiryNs}, revoked or not) or was
     * never granted: the grantor may give it to someone else.
     */
    public boolean isCertainlyExpired()
    {
        final Grant current = grant;
        return current == null || clock.after(current.expiryNs);
    }

    /**
     * @param scratch a caller-owned interval to read the clock into.
     * @return how long the lease is certainly still held, {@code expiryNs - latestNs}, ns; 0 or less when it
     * may have expired (or was never granted, or was revoked).
     */
    public long certainlyRemainingNs(final TimeInterval scratch)
    {
        final Grant current = grant;
        if (current == null || current.revoked)
        {
            return 0;
        }
        clock.now(scratch);
        return ErrorBoundedClock.saturatedSubtract(current.expiryNs, scratch.latestNs());
    }

    /**
     * @return the fencing token of the last grant (also once revoked), or {@link #NO_TOKEN}.
     */
    public long token()
    {
        final Grant current = grant;
        return current == null ? NO_TOKEN : current.token;
    }

    /**
     * @return the expiry of the last grant (epoch ns, also once revoked), or {@link Long#MIN_VALUE} when none.
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
        return current == null ? "Lease{none}" : "Lease{token=" + current.token + ", expiryNs=" + current.expiryNs +
            (current.revoked ? ", revoked" : "") + "}";
    }

    private static final class Grant
    {
        final long token;
        final long expiryNs;
        final boolean revoked;

        Grant(final long token, final long expiryNs, final boolean revoked)
        {
            this.token = token;
            this.expiryNs = expiryNs;
            this.revoked = revoked;
        }
    }
}
