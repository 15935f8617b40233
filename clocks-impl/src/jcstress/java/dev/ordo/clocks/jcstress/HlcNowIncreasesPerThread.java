package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.hlc.AtomicHybridClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

import static dev.ordo.clocks.jcstress.HlcFixture.T_MS;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Physical time stands at T; one thread calls {@code now()} twice (r1, r2), another once (r3). Results are
 * the logical counters at T (every result has physical part T, checked by the "other" outcome): distinct,
 * 0..2, with r1 &lt; r2.
 */
@JCStressTest
@Outcome(id = {"0, 1, 2", "0, 2, 1", "1, 2, 0"}, expect = ACCEPTABLE, desc = "distinct, increasing per thread")
@Outcome(id = {"1, 0, 2", "2, 0, 1", "2, 1, 0"}, expect = FORBIDDEN, desc = "a thread saw its clock go back")
@Outcome(expect = FORBIDDEN, desc = "a repeated timestamp, a skipped one, or one off physical time T")
@State
public class HlcNowIncreasesPerThread
{
    private static final long BASE = HlcFixture.at(0, 0);

    private final AtomicHybridClock clock = HlcFixture.hybridOn(HlcFixture.physicalAt(T_MS));

    @Actor
    public void twice(final JJJ_Result r)
    {
        r.r1 = clock.now() - BASE;
        r.r2 = clock.now() - BASE;
    }

    @Actor
    public void once(final JJJ_Result r)
    {
        r.r3 = clock.now() - BASE;
    }
}
