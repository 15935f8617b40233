package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.lamport.AtomicLamportClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * One thread ticks twice (r1, r2) while another ticks once (r3): the first thread's values strictly
 * increase and all three are distinct, so the results are 1, 2, 3 with r1 &lt; r2.
 */
@JCStressTest
@Outcome(id = "1, 2, 3", expect = ACCEPTABLE, desc = "the twice-ticking thread ran first")
@Outcome(id = "1, 3, 2", expect = ACCEPTABLE, desc = "the other thread ticked between the two ticks")
@Outcome(id = "2, 3, 1", expect = ACCEPTABLE, desc = "the once-ticking thread ran first")
@Outcome(id = {"2, 1, 3", "3, 1, 2", "3, 2, 1"}, expect = FORBIDDEN, desc = "a thread saw its clock go back")
@Outcome(expect = FORBIDDEN, desc = "a repeated value or a value other than 1..3")
@State
public class LamportTicksIncreasePerThread
{
    private final AtomicLamportClock clock = new AtomicLamportClock();

    @Actor
    public void twice(final JJJ_Result r)
    {
        r.r1 = clock.tick();
        r.r2 = clock.tick();
    }

    @Actor
    public void once(final JJJ_Result r)
    {
        r.r3 = clock.tick();
    }
}
