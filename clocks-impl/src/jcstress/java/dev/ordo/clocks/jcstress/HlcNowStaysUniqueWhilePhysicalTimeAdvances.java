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
import static dev.ordo.clocks.jcstress.HlcFixture.at;
import static dev.ordo.clocks.jcstress.HlcFixture.code;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * One thread moves physical time to T+1 and calls {@code now()}, then to T+2 and calls it again; another
 * thread calls {@code now()} twice meanwhile, so the clock switches between the compare-and-set path (to a
 * new physical time) and the atomic-add path under contention. Verdict codes, 1 when the property holds:
 * r1 all four results distinct; r2 each thread's results increase; r3 the advancing thread's results are
 * not below the physical time it set; r4 the other thread's results are not below T; r5 no backward jump
 * was reported.
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 1, 1", expect = ACCEPTABLE, desc = "unique, monotonic, never below physical time")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "two results are equal")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "a thread saw its clock go back")
@Outcome(id = "1, 1, 0, .*", expect = FORBIDDEN, desc = "a result below the physical time set before the call")
@Outcome(expect = FORBIDDEN, desc = "a result below T, or a backward jump reported though time only advanced")
@State
public class HlcNowStaysUniqueWhilePhysicalTimeAdvances
{
    private final CachedEpochClock physical = HlcFixture.physicalAt(T_MS);
    private final AtomicHybridClock clock = HlcFixture.hybridOn(physical);
    private long a1;
    private long a2;
    private long b1;
    private long b2;

    @Actor
    public void advancing()
    {
        physical.update(T_MS + 1);
        a1 = clock.now();
        physical.update(T_MS + 2);
        a2 = clock.now();
    }

    @Actor
    public void reading()
    {
        b1 = clock.now();
        b2 = clock.now();
    }

    @Arbiter
    public void verdict(final IIIII_Result r)
    {
        r.r1 = code(a1 != a2 && a1 != b1 && a1 != b2 && a2 != b1 && a2 != b2 && b1 != b2);
        r.r2 = code(a1 < a2 && b1 < b2);
        r.r3 = code(a1 >= at(1, 0) && a2 >= at(2, 0));
        r.r4 = code(b1 >= at(0, 0));
        r.r5 = code(clock.backwardJumps() == 0);
    }
}
