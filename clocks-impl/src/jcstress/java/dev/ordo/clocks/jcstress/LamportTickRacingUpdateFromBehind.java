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
 * A clock at 5 ticks (r1) while another thread receives 5 (r2), the clock's own value: the update takes
 * the slow path if it reads 5 and the one-add fast path if it reads the tick's 6. Either way both results
 * are above 5 and distinct.
 */
@JCStressTest
@Outcome(id = "6, 7", expect = ACCEPTABLE, desc = "tick, then update (fast path)")
@Outcome(id = "7, 6", expect = ACCEPTABLE, desc = "update (compare-and-set path), then tick")
@Outcome(id = "6, 6", expect = FORBIDDEN, desc = "both threads got the same value")
@Outcome(expect = FORBIDDEN, desc = "an update not above the received value, or a lost increment")
@State
public class LamportTickRacingUpdateFromBehind
{
    private static final long RECEIVED = 5;

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
