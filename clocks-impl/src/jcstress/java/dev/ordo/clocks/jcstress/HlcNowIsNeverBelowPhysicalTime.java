package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.hlc.AtomicHybridClock;
import org.agrona.concurrent.CachedEpochClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import static dev.ordo.clocks.jcstress.HlcFixture.T_MS;
import static dev.ordo.clocks.jcstress.HlcFixture.logical;
import static dev.ordo.clocks.jcstress.HlcFixture.physicalOffset;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * One thread advances physical time from T to T+1 ms and then calls {@code now()} (r1, r2 = its physical
 * offset and logical part); another calls {@code now()} meanwhile (r3, r4), reading T or T+1. The first
 * thread's result is never below T+1, the two differ, and the racing reader never counts a backward jump
 * of the physical clock that did not happen (r5 = backward jumps counted).
 */
@JCStressTest
@Outcome(id = "1, 0, 0, 0, 0", expect = ACCEPTABLE, desc = "the other thread issued T.0 first")
@Outcome(id = "1, 0, 1, 1, 0", expect = ACCEPTABLE, desc = "the advancing thread issued T+1.0 first")
@Outcome(id = "1, 1, 1, 0, 0", expect = ACCEPTABLE, desc = "the other thread read T+1 and issued T+1.0 first")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "a result below the physical time set before the call")
@Outcome(id = ".*, [1-9]", expect = FORBIDDEN, desc = "a backward jump was reported though time only advanced")
@Outcome(expect = FORBIDDEN, desc = "a repeated or skipped timestamp")
@State
public class HlcNowIsNeverBelowPhysicalTime
{
    private final CachedEpochClock physical = HlcFixture.physicalAt(T_MS);
    private final AtomicHybridClock clock = HlcFixture.hybridOn(physical);

    @Actor
    public void advanceThenNow(final IIIII_Result r)
    {
        physical.update(T_MS + 1);
        final long ts = clock.now();
        r.r1 = physicalOffset(ts);
        r.r2 = logical(ts);
    }

    @Actor
    public void now(final IIIII_Result r)
    {
        final long ts = clock.now();
        r.r3 = physicalOffset(ts);
        r.r4 = logical(ts);
    }

    @Arbiter
    public void jumps(final IIIII_Result r)
    {
        r.r5 = (int)clock.backwardJumps();
    }
}
