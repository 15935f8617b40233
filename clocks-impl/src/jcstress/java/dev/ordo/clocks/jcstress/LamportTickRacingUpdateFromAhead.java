package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.lamport.AtomicLamportClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A clock at 5 ticks (r1) while another thread receives 10 (r2): the update lands above 10, the two results
 * differ, and whichever came second is above the first.
 */
@JCStressTest
@Outcome(id = "6, 11", expect = ACCEPTABLE, desc = "tick, then update to max(6, 10) + 1")
@Outcome(id = "12, 11", expect = ACCEPTABLE, desc = "update to 11, then tick")
@Outcome(id = "11, 11", expect = FORBIDDEN, desc = "both threads got the same value")
@Outcome(expect = FORBIDDEN, desc = "lost the received value, a lost increment, or a repeated value")
@State
public class LamportTickRacingUpdateFromAhead
{
    private static final long RECEIVED = 10;

    private final AtomicLamportClock clock = new AtomicLamportClock(5);

    @Actor
    public void tick(final JJ_Result r)
    {
        r.r1 = clock.tick();
    }

    @Actor
    public void receive(final JJ_Result r)
    {
        r.r2 = clock.update(RECEIVED);
    }
}
