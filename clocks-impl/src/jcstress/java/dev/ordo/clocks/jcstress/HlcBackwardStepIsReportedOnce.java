package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.hlc.AtomicHybridClock;
import org.agrona.concurrent.CachedEpochClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static dev.ordo.clocks.jcstress.HlcFixture.T_MS;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Issue 10 item 4: the physical clock steps back 100 ms once, while another thread may still hold a reading
 * from before the step. One thread reads the clock (before or after the step); the other steps it back and
 * reads; then a third call reads it again. Before the fix the last physical time was a plain racy store: a
 * reading from before the step could be written after the step was reported, and the next call reported the
 * same step again. Exactly one report, through both the counter (r1) and the listener (r2).
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the one step back is reported exactly once")
@Outcome(id = "2, 2", expect = FORBIDDEN, desc = "the step was reported twice")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "the step was missed")
@Outcome(expect = FORBIDDEN, desc = "counter and listener disagree")
@State
public class HlcBackwardStepIsReportedOnce
{
    private final CachedEpochClock physical = HlcFixture.physicalAt(T_MS);
    private final AtomicInteger reports = new AtomicInteger();
    private final AtomicHybridClock clock = AtomicHybridClock.builder()
        .epochClock(physical)
        .backwardJumpListener((previous, current) -> reports.incrementAndGet())
        .build();

    public HlcBackwardStepIsReportedOnce()
    {
        clock.now();                 // the clock has seen T
        physical.update(T_MS + 1);   // the racing reader may see T+1, a reading from before the step
    }

    @Actor
    public void reader()
    {
        clock.now();
    }

    @Actor
    public void stepper()
    {
        physical.update(T_MS - 100);
        clock.now();
    }

    @Arbiter
    public void verdict(final II_Result r)
    {
        clock.now();
        r.r1 = (int)clock.backwardJumps();
        r.r2 = reports.get();
    }
}
