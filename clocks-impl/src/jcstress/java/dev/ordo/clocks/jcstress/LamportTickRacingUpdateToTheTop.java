package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.api.ClockOverflowException;
import dev.ordo.clocks.lamport.AtomicLamportClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Issue 10 item 1: a tick on the wait-free path races an update that lifts the clock from 5 to the top
 * ({@code update(MAX_VALUE - 1)}). Before the fix the tick could add after the update and return
 * {@code Long.MIN_VALUE}. Now the update gets {@code MAX_VALUE} (r1 = 1); the tick gets 6 (ran first,
 * r2 = 1) or {@link ClockOverflowException} (ran after, r2 = 0); the clock shows {@code MAX_VALUE} (r3 = 1).
 */
@JCStressTest
@Outcome(id = {"1, 1, 1", "1, 0, 1"}, expect = ACCEPTABLE, desc = "tick before the update, or refused after it")
@Outcome(expect = FORBIDDEN, desc = "a wrapped or repeated value, or the clock shows a value past MAX_VALUE")
@State
public class LamportTickRacingUpdateToTheTop
{
    private final AtomicLamportClock clock = new AtomicLamportClock(5);

    @Actor
    public void updater(final III_Result r)
    {
        try
        {
            r.r1 = clock.update(AtomicLamportClock.MAX_VALUE - 1) == AtomicLamportClock.MAX_VALUE ? 1 : 2;
        }
        catch (final RuntimeException ex)
        {
            r.r1 = 3;
        }
    }

    @Actor
    public void ticker(final III_Result r)
    {
        try
        {
            r.r2 = clock.tick() == 6 ? 1 : 2;
        }
        catch (final ClockOverflowException ex)
        {
            r.r2 = 0;
        }
        catch (final RuntimeException ex)
        {
            r.r2 = 3;
        }
    }

    @Arbiter
    public void after(final III_Result r)
    {
        r.r3 = clock.current() == AtomicLamportClock.MAX_VALUE ? 1 : 0;
    }
}
