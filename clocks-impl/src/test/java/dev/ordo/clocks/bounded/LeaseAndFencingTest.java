package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.TimeInterval;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LeaseAndFencingTest
{
    private static final long MS = 1_000_000L;
    private static final long START_NS = 1_700_000_000_000_000_000L;

    /**
     * The classic scenario: A holds the lease (token 33), checks it, pauses (GC), its lease expires, B gets
     * token 34 and writes; A wakes up. A's next lease check fails, and the write A prepared before the pause
     * is rejected by the storage's fencing guard.
     */
    @Test
    void pausedHolderShouldBeStoppedByItsLeaseCheckAndRejectedByTheFencingGuard()
    {
        final SimulatedWorld world = new SimulatedWorld(START_NS);
        // Three nodes whose clocks err within their bounds, in different directions.
        final ErrorBoundedClock lockService = world.node((t) -> 3 * MS, new FixedErrorBound(4 * MS));
        final ErrorBoundedClock clockA = world.node((t) -> -2 * MS, new FixedErrorBound(3 * MS));
        final ErrorBoundedClock clockB = world.node((t) -> MS, new FixedErrorBound(2 * MS));
        final FencingTokenGuard storage = new FencingTokenGuard();
        final List<String> written = new ArrayList<>();
        final TimeInterval now = new TimeInterval();

        // The lock service grants A a 10 s lease, expiry judged on its own clock's latest.
        final Lease grantedToA = new Lease(lockService);
        final long expiryA = lockService.now(now).latestNs() + 10_000 * MS;
        grantedToA.grant(33, expiryA);
        final Lease leaseA = new Lease(clockA);
        leaseA.grant(33, expiryA);

        assertThat(leaseA.isHeld()).isTrue();
        // A checks, then pauses for 15 s before writing.
        world.advance(15_000 * MS);

        // The lock service hands the lease on only once A's lease has certainly expired on its clock.
        assertThat(grantedToA.isCertainlyExpired()).isTrue();
        final Lease leaseB = new Lease(clockB);
        leaseB.grant(34, lockService.now(now).latestNs() + 10_000 * MS);
        assertThat(leaseB.isHeld()).isTrue();
        if (storage.tryAcceptCurrent(leaseB.token()))
        {
            written.add("B");
        }

        // A wakes up: a fresh lease check fails...
        assertThat(leaseA.isHeld()).isFalse();
        // ...and the write it had already decided to do is refused by the storage.
        if (storage.tryAcceptCurrent(leaseA.token()))
        {
            written.add("A");
        }
        assertThat(written).containsExactly("B");
        assertThat(storage.highestToken()).isEqualTo(34);
        // B keeps writing under its lease.
        assertThat(storage.tryAcceptCurrent(34)).isTrue();
    }

    @Test
    void holderShouldStopWhileExpiryIsUncertainAndGrantorShouldWaitUntilItIsCertain()
    {
        final SimulatedWorld world = new SimulatedWorld(START_NS);
        final ErrorBoundedClock holderClock = world.node((t) -> 0, new FixedErrorBound(5 * MS));
        final ErrorBoundedClock grantorClock = world.node((t) -> 0, new FixedErrorBound(5 * MS));
        final long expiryNs = START_NS + 100 * MS;
        final Lease holder = new Lease(holderClock);
        final Lease grantor = new Lease(grantorClock);
        holder.grant(7, expiryNs);
        grantor.grant(7, expiryNs);
        final TimeInterval scratch = new TimeInterval();

        world.trueNs = expiryNs - 5 * MS - 1; // latest = expiry - 1
        assertThat(holder.isHeld()).isTrue();
        assertThat(holder.certainlyRemainingNs(scratch)).isEqualTo(1);
        world.trueNs = expiryNs - 5 * MS; // the clock still reads before the expiry, but latest reaches it
        assertThat(holder.isHeld()).isFalse();
        assertThat(holder.certainlyRemainingNs(scratch)).isZero();
        assertThat(grantor.isCertainlyExpired()).isFalse();
        world.trueNs = expiryNs + 5 * MS; // earliest = expiry: not yet certain
        assertThat(grantor.isCertainlyExpired()).isFalse();
        world.trueNs = expiryNs + 5 * MS + 1;
        assertThat(grantor.isCertainlyExpired()).isTrue();
    }

    @Test
    void leaseWithoutGrantShouldNotBeHeld()
    {
        final SimulatedWorld world = new SimulatedWorld(START_NS);
        final Lease lease = new Lease(world.node((t) -> 0, new FixedErrorBound(MS)));
        assertThat(lease.isHeld()).isFalse();
        assertThat(lease.isCertainlyExpired()).isTrue();
        assertThat(lease.token()).isEqualTo(Lease.NO_TOKEN);
        lease.grant(1, START_NS + 10 * MS);
        assertThat(lease.isHeld()).isTrue();
        lease.revoke();
        assertThat(lease.isHeld()).isFalse();
        assertThatThrownBy(() -> lease.grant(-1, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-1");
    }

    /**
     * Issue 10 item 16: revoking on the grantor's side does not reach the holder, who may still act until its
     * expiry; the grantor must not hand the lease on before that expiry has certainly passed.
     */
    @Test
    void revokeOnTheGrantorShouldNotMakeTheLeaseCertainlyExpiredWhileTheHolderMayStillHoldIt()
    {
        final SimulatedWorld world = new SimulatedWorld(START_NS);
        final ErrorBoundedClock grantorClock = world.node((t) -> 0, new FixedErrorBound(5 * MS));
        final ErrorBoundedClock holderClock = world.node((t) -> 0, new FixedErrorBound(5 * MS));
        final long expiryNs = START_NS + 100 * MS;
        final Lease grantor = new Lease(grantorClock);
        final Lease holder = new Lease(holderClock);
        grantor.grant(7, expiryNs);
        holder.grant(7, expiryNs);

        grantor.revoke();
        assertThat(holder.isHeld()).as("the holder never heard of the revocation").isTrue();
        assertThat(grantor.isCertainlyExpired()).as("so the grantor must wait for the expiry").isFalse();
        assertThat(grantor.isHeld()).isFalse();
        world.trueNs = expiryNs + 5 * MS + 1;
        assertThat(grantor.isCertainlyExpired()).isTrue();
        assertThat(grantor.token()).as("the revoked grant's token still fences").isEqualTo(7);
    }

    /**
     * Attack (issue 10, second round): a renewal with the same token but an earlier expiry (a reordered or
     * mistaken renewal) used to shorten the grantor's lease, so {@code isCertainlyExpired()} became true while the
     * holder, which saw the longer expiry, still held it: the grantor could grant again and two holders coexist.
     */
    @Test
    void aSameTokenRenewalWithAnEarlierExpiryShouldNotShortenTheLease()
    {
        final SimulatedWorld world = new SimulatedWorld(START_NS);
        final ErrorBoundedClock grantorClock = world.node((t) -> 0, new FixedErrorBound(MS));
        final ErrorBoundedClock holderClock = world.node((t) -> 0, new FixedErrorBound(MS));
        final Lease grantor = new Lease(grantorClock);
        final Lease holder = new Lease(holderClock);
        grantor.grant(7, START_NS + 10_000 * MS);
        holder.grant(7, START_NS + 10_000 * MS);
        grantor.grant(7, START_NS + 100 * MS); // shortened renewal the holder never hears of

        world.advance(200 * MS);
        assertThat(holder.isHeld()).isTrue();
        assertThat(grantor.isCertainlyExpired()).as("the holder may still hold it until the later expiry").isFalse();
        assertThat(grantor.expiryNs()).isEqualTo(START_NS + 10_000 * MS);
    }

    /**
     * Attack: after {@code revoke()}, a grant with the same token used to be accepted as a "renewal": a new
     * holder given that token and the stale holder that still has it would both pass
     * {@code FencingTokenGuard.tryAcceptCurrent}. A revoked grant is over; the next one needs a higher token.
     */
    @Test
    void aRevokedGrantShouldNotBeRenewedWithTheSameToken()
    {
        final SimulatedWorld world = new SimulatedWorld(START_NS);
        final Lease lease = new Lease(world.node((t) -> 0, new FixedErrorBound(MS)));
        lease.grant(7, START_NS + 10 * MS);
        lease.revoke();
        assertThatThrownBy(() -> lease.grant(7, START_NS + 20 * MS))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("revoked");
        assertThat(lease.isHeld()).as("unchanged: still revoked").isFalse();
        assertThat(lease.expiryNs()).isEqualTo(START_NS + 10 * MS);
        lease.grant(8, START_NS + 20 * MS);
        assertThat(lease.isHeld()).isTrue();
    }

    /** Issue 10 item 16: grant() used to accept 34 then 33. */
    @Test
    void grantShouldRefuseATokenLowerThanOneAlreadyGrantedAndStayUnchanged()
    {
        final SimulatedWorld world = new SimulatedWorld(START_NS);
        final Lease lease = new Lease(world.node((t) -> 0, new FixedErrorBound(MS)));
        lease.grant(34, START_NS + 10 * MS);
        assertThatThrownBy(() -> lease.grant(33, START_NS + 20 * MS))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("33").hasMessageContaining("34");
        assertThat(lease.token()).isEqualTo(34);
        assertThat(lease.expiryNs()).isEqualTo(START_NS + 10 * MS);
        lease.grant(34, START_NS + 20 * MS); // a renewal keeps its token
        assertThat(lease.expiryNs()).isEqualTo(START_NS + 20 * MS);
        lease.revoke();
        assertThatThrownBy(() -> lease.grant(33, START_NS + 30 * MS)).isInstanceOf(IllegalArgumentException.class);
        lease.grant(35, START_NS + 30 * MS);
        assertThat(lease.isHeld()).isTrue();
    }

    @Test
    void guardShouldAcceptOnlyTokensAboveEverythingSeen()
    {
        final FencingTokenGuard guard = new FencingTokenGuard();
        assertThat(guard.highestToken()).isEqualTo(FencingTokenGuard.NONE);
        assertThat(guard.tryAccept(0)).isTrue();
        assertThat(guard.tryAccept(0)).isFalse();
        assertThat(guard.tryAccept(5)).isTrue();
        assertThat(guard.tryAccept(3)).isFalse();
        assertThat(guard.tryAcceptCurrent(5)).isTrue();
        assertThat(guard.tryAcceptCurrent(4)).isFalse();
        assertThat(guard.tryAcceptCurrent(9)).isTrue();
        assertThat(guard.highestToken()).isEqualTo(9);
        assertThatThrownBy(() -> guard.tryAccept(-2)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-2");
        assertThatThrownBy(() -> guard.tryAcceptCurrent(-3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(guard.highestToken()).isEqualTo(9);
    }

    @Test
    @Timeout(20)
    void concurrentWritersShouldGetEachTokenAcceptedAtMostOnceInIncreasingOrder() throws Exception
    {
        final long seed = Seeds.seed("LeaseAndFencingTest.concurrentWriters");
        final FencingTokenGuard guard = new FencingTokenGuard();
        final int tokens = 50_000;
        final ConcurrentHashMap<Long, Integer> accepted = new ConcurrentHashMap<>();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong nonIncreasing = new AtomicLong();
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            final List<Long> order = new ArrayList<>();
            for (long token = 0; token < tokens; token++)
            {
                order.add(token);
            }
            Collections.shuffle(order, new java.util.Random(seed + t));
            final int id = t;
            threads[t] = new Thread(() ->
            {
                long lastAccepted = -1;
                for (final long token : order)
                {
                    if (guard.tryAccept(token))
                    {
                        if (accepted.putIfAbsent(token, id) != null)
                        {
                            duplicates.incrementAndGet();
                        }
                        if (token <= lastAccepted)
                        {
                            nonIncreasing.incrementAndGet();
                        }
                        lastAccepted = token;
                    }
                }
            });
        }
        for (final Thread thread : threads)
        {
            thread.start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertThat(duplicates.get()).as("seed %d", seed).isZero();
        assertThat(nonIncreasing.get()).as("seed %d", seed).isZero();
        assertThat(guard.highestToken()).as("seed %d", seed).isEqualTo(tokens - 1);
        assertThat(accepted).as("seed %d", seed).containsKey((long)tokens - 1);
        final SplittableRandom random = new SplittableRandom(seed);
        final long stale = random.nextLong(tokens);
        assertThat(guard.tryAccept(stale)).as("seed %d", seed).isFalse();
    }
}
