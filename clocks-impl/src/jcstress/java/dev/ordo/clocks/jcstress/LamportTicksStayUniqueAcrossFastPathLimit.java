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
 * The clock starts one below the value where {@code tick} switches from its atomic add to the
 * overflow-checking compare-and-set loop ({@code AtomicLamportClock.FAST_PATH_LIMIT}), so threads racing here mix the
 * two paths. Results are shown relative to the start: they must be 1, 2, 3, distinct, with r1 &lt; r2.
 */
@JCStressTest
@Outcome(id = {"1, 2, 3", "1, 3, 2", "2, 3, 1"}, expect = ACCEPTABLE, desc = "distinct, increasing per thread")
@Outcome(expect = FORBIDDEN, desc = "a repeated value, a lost increment, or a thread saw its clock go back")
@State
public class LamportTicksStayUniqueAcrossFastPathLimit
{
    private static final long START = AtomicLamportClock.FAST_PATH_LIMIT - 1;

    private final AtomicLamportClock clock = new AtomicLamportClock(START);

    @Actor
    public void twice(final JJJ_Result r)
    {
        r.r1 = clock.tick() - START;
        r.r2 = clock.tick() - START;
    }

    @Actor
    public void once(final JJJ_Result r)
    {
        r.r3 = clock.tick() - START;
    }
}
