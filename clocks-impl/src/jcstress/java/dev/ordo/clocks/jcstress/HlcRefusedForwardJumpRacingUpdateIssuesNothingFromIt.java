package dev.ordo.clocks.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static dev.ordo.clocks.jcstress.HlcFixture.at;
import static dev.ordo.clocks.jcstress.RefusedJumpFixture.JUMPED_MS;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * As {@link HlcRefusedForwardJumpRacingNowIssuesNothingFromIt}, with the racing thread merging a remote timestamp
 * 1 ms ahead of the time before the jump ({@code update}): a result from before the jump must also be above the
 * remote (else code 3). Results: r1 the jumping thread's {@code now()}, r2 the racing {@code update} (0 refused,
 * 1 issued from before the jump, 2 issued from the jump, 3 other failure); r3 1 when the clock's state is still
 * from before the jump; r4 forward jumps counted.
 */
@JCStressTest
@Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "both refused: the update read the jump or saw the refusal")
@Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE, desc = "the update merged before the jump; the jumper refused")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "the jumping thread issued a timestamp from the jumped reading")
@Outcome(id = "., 2, .*", expect = FORBIDDEN, desc = "the update issued a timestamp from the jumped reading")
@Outcome(id = "., ., 0, .*", expect = FORBIDDEN, desc = "the clock's state moved to the jumped time")
@Outcome(expect = FORBIDDEN, desc = "the jump was not counted exactly once, or a call failed otherwise")
@State
public class HlcRefusedForwardJumpRacingUpdateIssuesNothingFromIt
{
    private static final long REMOTE = at(1, 0);

    private final RefusedJumpFixture f = new RefusedJumpFixture();

    @Actor
    public void jumpThenNow(final IIII_Result r)
    {
        f.physical.update(JUMPED_MS);
        r.r1 = RefusedJumpFixture.outcome(f.clock::now, 0);
    }

    @Actor
    public void update(final IIII_Result r)
    {
        r.r2 = RefusedJumpFixture.outcome(() -> f.clock.update(REMOTE), REMOTE);
    }

    @Arbiter
    public void verdict(final IIII_Result r)
    {
        r.r3 = f.stateBeforeJump();
        r.r4 = (int)f.clock.forwardJumps();
    }
}
