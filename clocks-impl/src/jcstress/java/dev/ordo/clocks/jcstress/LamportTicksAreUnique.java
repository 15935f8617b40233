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
 * Two threads tick a fresh clock at once: they get 1 and 2, in either order, never the same value.
 */
@JCStressTest
@Outcome(id = {"1, 2", "2, 1"}, expect = ACCEPTABLE, desc = "distinct values 1 and 2, in either order")
@Outcome(id = {"1, 1", "2, 2"}, expect = FORBIDDEN, desc = "both threads got the same value")
@Outcome(expect = FORBIDDEN, desc = "a value other than 1 or 2")
@State
public class LamportTicksAreUnique
{
    private final AtomicLamportClock clock = new AtomicLamportClock();

    @Actor
    public void first(final JJ_Result r)
    {
        r.r1 = clock.tick();
    }

    @Actor
    public void second(final JJ_Result r)
    {
        r.r2 = clock.tick();
    }
}
