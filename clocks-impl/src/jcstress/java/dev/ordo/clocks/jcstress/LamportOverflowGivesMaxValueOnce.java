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
 * A clock at {@code AtomicLamportClock.MAX_VALUE - 1} has exactly one value left. Two threads tick: exactly
 * one gets {@code MAX_VALUE} (code 1), the other gets {@link ClockOverflowException} (code 0), and the clock
 * stays at {@code MAX_VALUE} (r3 = 1). Code 2 is any other value, code 3 any other exception.
 */
@JCStressTest
@Outcome(id = {"1, 0, 1", "0, 1, 1"}, expect = ACCEPTABLE, desc = "one thread got MAX_VALUE, the other overflowed")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both threads got MAX_VALUE")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "both threads overflowed: the last value was lost")
@Outcome(expect = FORBIDDEN, desc = "a wrapped or other value, another exception, or the clock moved off MAX_VALUE")
@State
public class LamportOverflowGivesMaxValueOnce
{
    private final AtomicLamportClock clock = new AtomicLamportClock(AtomicLamportClock.MAX_VALUE - 1);

    @Actor
    public void first(final III_Result r)
    {
        r.r1 = tickCode();
    }

    @Actor
    public void second(final III_Result r)
    {
        r.r2 = tickCode();
    }

    @Arbiter
    public void after(final III_Result r)
    {
        r.r3 = clock.current() == AtomicLamportClock.MAX_VALUE ? 1 : 0;
    }

    private int tickCode()
    {
        try
        {
            return clock.tick() == AtomicLamportClock.MAX_VALUE ? 1 : 2;
        }
        catch (final ClockOverflowException ex)
        {
            return 0;
        }
        catch (final RuntimeException ex)
        {
            return 3;
        }
    }
}
