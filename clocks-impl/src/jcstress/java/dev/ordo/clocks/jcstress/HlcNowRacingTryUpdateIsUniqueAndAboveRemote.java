package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.api.HybridClock;
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
 * Physical time stands at T. One thread calls {@code now()} (r1, r2 = physical offset, logical) while
 * another merges a remote timestamp T.5 from the same millisecond via {@code tryUpdate} (r3, r4): the merge
 * takes the larger logical counter plus one. Results T.0 then T.6, or T.6 then T.7; never equal, never a
 * merge at or below T.5, never a rejection code.
 */
@JCStressTest
@Outcome(id = "0, 0, 0, 6", expect = ACCEPTABLE, desc = "now() first at physical time, then the merge")
@Outcome(id = "0, 7, 0, 6", expect = ACCEPTABLE, desc = "the merge first, then now() above it")
@Outcome(id = ".*, 0, [0-5]", expect = FORBIDDEN, desc = "the merge is not above the remote")
@Outcome(id = ".*, -1, .*", expect = FORBIDDEN, desc = "tryUpdate rejected a valid remote (r4 = code)")
@Outcome(expect = FORBIDDEN, desc = "a repeated timestamp or a lost increment")
@State
public class HlcNowRacingTryUpdateIsUniqueAndAboveRemote
{
    private static final long REMOTE = HlcFixture.at(0, 5);

    private final AtomicHybridClock clock = HlcFixture.hybridOn(HlcFixture.physicalAt(T_MS));

    @Actor
    public void now(final IIII_Result r)
    {
        final long ts = clock.now();
        r.r1 = physicalOffset(ts);
        r.r2 = logical(ts);
    }

    @Actor
    public void receive(final IIII_Result r)
    {
        final long ts = clock.tryUpdate(REMOTE);
        if (HybridClock.isRejected(ts))
        {
            r.r3 = -1;
            r.r4 = (int)ts;
            return;
        }
        r.r3 = physicalOffset(ts);
        r.r4 = logical(ts);
    }
}
