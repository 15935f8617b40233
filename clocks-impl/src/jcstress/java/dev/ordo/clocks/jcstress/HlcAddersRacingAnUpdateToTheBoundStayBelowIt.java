package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.hlc.AtomicHybridClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import java.util.concurrent.TimeUnit;

import static dev.ordo.clocks.jcstress.HlcFixture.T_MS;
import static dev.ordo.clocks.jcstress.HlcFixture.code;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Issue 10 item 3: with an upper-bound store, one thread's update moves the state to just below the
 * persisted bound (the exact path) while another thread is on the wait-free add path, twice (jcstress
 * schedules two actors on this 2-core machine). Before the fix, adders
 * already past their "below the limit" check added on top of it and issued timestamps at or above the
 * durable bound (about half of 400 trials). Every result must stay below the bound stored when it returns
 * (r1), all three must be distinct and the adder's increasing (r2), and the update's result is above the remote (r3); r4: the store was
 * never called concurrently and never went down.
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "below the durable bound, unique, above the remote")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "a timestamp was issued at or above the durable bound")
@Outcome(expect = FORBIDDEN, desc = "a repeated value, an update below its remote, or a misused store")
@State
public class HlcAddersRacingAnUpdateToTheBoundStayBelowIt
{
    private final MemoryUpperBoundStore store = new MemoryUpperBoundStore();
    private final AtomicHybridClock clock = AtomicHybridClock.builder()
        .epochClock(HlcFixture.physicalAt(T_MS))
        .upperBoundStore(store, AtomicHybridClock.StoreStart.FIRST_START)
        .persistWindow(2, TimeUnit.MILLISECONDS)
        .build();
    /** Two below the bound the clock stored when it was built: the update's result is the last value below it. */
    private final long remote = store.bound() - 2;
    private long u;
    private long a;
    private long b;
    private long boundAfterU;
    private long boundAfterA;
    private long boundAfterB;

    @Actor
    public void update()
    {
        u = clock.update(remote);
        boundAfterU = store.bound();
    }

    @Actor
    public void adder()
    {
        a = clock.now();
        boundAfterA = store.bound();
        b = clock.now();
        boundAfterB = store.bound();
    }

    @Arbiter
    public void verdict(final IIII_Result r)
    {
        r.r1 = code(u < boundAfterU && a < boundAfterA && b < boundAfterB);
        r.r2 = code(u != a && u != b && a < b);
        r.r3 = code(u > remote);
        r.r4 = code(!store.misused());
    }
}
