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
 * Physical time stands at T. One thread calls {@code now()} (r1, r2 = physical offset, logical) while another
 * receives a remote timestamp T+100.3, 100 ms ahead but within the 500 ms max offset, via
 * {@code update} (r3, r4). The update lands at T+100.4, above the remote; {@code now()} gets T.0 before it or
 * T+100.5 after it, never a value at or below the update's.
 */
@JCStressTest
@Outcome(id = "0, 0, 100, 4", expect = ACCEPTABLE, desc = "now() first at physical time, then the update")
@Outcome(id = "100, 5, 100, 4", expect = ACCEPTABLE, desc = "the update first, then now() above it")
@Outcome(id = ".*, 100, [0-3]", expect = FORBIDDEN, desc = "the update's result is not above the remote")
@Outcome(expect = FORBIDDEN, desc = "a repeated timestamp, or now() went below the merged remote time")
@State
public class HlcNowRacingUpdateIsUniqueAndAboveRemote
{
    private static final long REMOTE = HlcFixture.at(100, 3);

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
        final long ts = clock.update(REMOTE);
        r.r3 = physicalOffset(ts);
        r.r4 = logical(ts);
    }
}
