package dev.ordo.clocks.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static dev.ordo.clocks.jcstress.RefusedJumpFixture.JUMPED_MS;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@code ForwardJumpPolicy.REFUSE}: one thread steps the physical clock an hour ahead (monotonic time does not
 * move) and calls {@code now()}; another calls {@code now()} at the same time, reading the physical clock before
 * or after the step. No timestamp may come from the jumped reading, whichever thread detects the jump and
 * whichever publishes the reading first. Results: r1 the jumping thread's call, r2 the racing thread's call
 * (0 refused, 1 issued from before the jump, 2 issued from the jump, 3 other failure); r3 1 when the clock's
 * state is still from before the jump; r4 forward jumps counted. Checked to fail when the refusal is tested
 * before the physical reading instead of after it (the code before the fix of the REFUSE race): the racer then
 * loses the publishing race to the detector and returns its jumped reading.
 */
@JCStressTest
@Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "both refused: the racer read the jump or saw the refusal")
@Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE, desc = "the racer issued from before the jump; the jumper refused")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "the jumping thread issued a timestamp from the jumped reading")
@Outcome(id = "., 2, .*", expect = FORBIDDEN, desc = "the racing thread issued a timestamp from the jumped reading")
@Outcome(id = "., ., 0, .*", expect = FORBIDDEN, desc = "the clock's state moved to the jumped time")
@Outcome(expect = FORBIDDEN, desc = "the jump was not counted exactly once, or a call failed otherwise")
@State
public class HlcRefusedForwardJumpRacingNowIssuesNothingFromIt
{
    private final RefusedJumpFixture f = new RefusedJumpFixture();

    @Actor
    public void jumpThenNow(final IIII_Result r)
    {
        f.physical.update(JUMPED_MS);
        r.r1 = RefusedJumpFixture.outcome(f.clock::now, 0);
    }

    @Actor
    public void now(final IIII_Result r)
    {
        r.r2 = RefusedJumpFixture.outcome(f.clock::now, 0);
    }

    @Arbiter
    public void verdict(final IIII_Result r)
    {
        r.r3 = f.stateBeforeJump();
        r.r4 = (int)f.clock.forwardJumps();
    }
}
