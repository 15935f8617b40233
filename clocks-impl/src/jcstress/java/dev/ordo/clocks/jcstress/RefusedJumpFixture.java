package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.api.ForwardJumpPolicy;
import dev.ordo.clocks.api.PhysicalClockJumpedException;
import dev.ordo.clocks.hlc.AtomicHybridClock;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;

import java.time.Duration;
import java.util.function.LongSupplier;

import static dev.ordo.clocks.jcstress.HlcFixture.T_MS;

/**
 * Shared setup of the {@link ForwardJumpPolicy#REFUSE} race tests: a clock that refuses after a forward jump of
 * more than 100 ms, on a physical clock at {@link HlcFixture#T_MS} and a monotonic clock that never moves, with
 * its baseline already taken (one {@code now()} at T). Stepping the physical clock to {@link #JUMPED_MS} is then
 * a forward jump of an hour. Outcome codes of one call: {@link #REFUSED}, {@link #BEFORE_JUMP},
 * {@link #FROM_JUMP}, {@link #OTHER_FAILURE}.
 */
final class RefusedJumpFixture
{
    /** The physical time after the jump: an hour past {@link HlcFixture#T_MS}. */
    static final long JUMPED_MS = T_MS + 3_600_000L;

    /** The call threw {@link PhysicalClockJumpedException}: refused, the clock unchanged. */
    static final int REFUSED = 0;
    /** The call issued a timestamp from a reading before the jump. */
    static final int BEFORE_JUMP = 1;
    /** The call issued a timestamp from the jumped reading: what REFUSE forbids. */
    static final int FROM_JUMP = 2;
    /** The call failed otherwise, or issued a timestamp that breaks the clock's other rules. */
    static final int OTHER_FAILURE = 3;

    final CachedEpochClock physical = HlcFixture.physicalAt(T_MS);
    final CachedNanoClock monotonic = new CachedNanoClock();
    final AtomicHybridClock clock;

    RefusedJumpFixture()
    {
        monotonic.update(1_000_000_000L);
        clock = AtomicHybridClock.builder()
            .epochClock(physical)
            .monotonicClock(monotonic)
            .forwardJumpThreshold(Duration.ofMillis(100))
            .forwardJumpPolicy(ForwardJumpPolicy.REFUSE)
            .build();
        clock.now(); // takes the baseline: physical minus monotonic time at T
    }

    /**
     * @param call a call that issues a timestamp.
     * @param above the result must be above this (0 for none).
     * @return the outcome code.
     */
    static int outcome(final LongSupplier call, final long above)
    {
        try
        {
            final long ts = call.getAsLong();
            if (ts <= above)
            {
                return OTHER_FAILURE;
            }
            return HlcFixture.FORMAT.physical(ts) >= JUMPED_MS ? FROM_JUMP : BEFORE_JUMP;
        }
        catch (final PhysicalClockJumpedException ex)
        {
            return REFUSED;
        }
        catch (final RuntimeException ex)
        {
            return OTHER_FAILURE;
        }
    }

    /**
     * @return 1 when the clock's latest timestamp is from before the jump, 0 when one from the jump got in.
     */
    int stateBeforeJump()
    {
        return HlcFixture.code(HlcFixture.FORMAT.physical(clock.current()) < JUMPED_MS);
    }
}
