package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.hlc.AtomicHybridClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static dev.ordo.clocks.jcstress.HlcFixture.T_MS;
import static dev.ordo.clocks.jcstress.HlcFixture.logical;
import static dev.ordo.clocks.jcstress.HlcFixture.physicalOffset;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two threads call {@code now()} on a fresh clock while physical time stands still at T: one moves the clock
 * to physical time (compare-and-set), the other increments past it (atomic add). Results are
 * (physical - T, logical) per thread: (0, 0) and (0, 1) in either order, never the same.
 */
@JCStressTest
@Outcome(id = {"0, 0, 0, 1", "0, 1, 0, 0"}, expect = ACCEPTABLE, desc = "distinct: T.0 and T.1 in either order")
@Outcome(id = {"0, 0, 0, 0", "0, 1, 0, 1"}, expect = FORBIDDEN, desc = "both threads got the same timestamp")
@Outcome(expect = FORBIDDEN, desc = "below physical time, a skipped value, or a repeat")
@State
public class HlcNowIsUniqueAtFixedTime
{
    private final AtomicHybridClock clock = HlcFixture.hybridOn(HlcFixture.physicalAt(T_MS));

    @Actor
    public void first(final IIII_Result r)
    {
        final long ts = clock.now();
        r.r1 = physicalOffset(ts);
        r.r2 = logical(ts);
    }

    @Actor
    public void second(final IIII_Result r)
    {
        final long ts = clock.now();
        r.r3 = physicalOffset(ts);
        r.r4 = logical(ts);
    }
}
