package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.hlc.AtomicHybridClock;
import org.agrona.concurrent.CachedEpochClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import java.util.concurrent.TimeUnit;

import static dev.ordo.clocks.jcstress.HlcFixture.T_MS;
import static dev.ordo.clocks.jcstress.HlcFixture.at;
import static dev.ordo.clocks.jcstress.HlcFixture.code;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A clock with an upper-bound store and a 2 ms persistence window holds a bound of T+2 ms. One thread moves
 * physical time to T+5, past the whole window, and calls {@code now()}: it must store a new bound before it
 * may issue, while another thread calls {@code now()} twice. Verdict codes, 1 when the property holds:
 * r1 all results distinct; r2 the second thread's results increase; r3 every result is below the bound the
 * store held right after the call returned; r4 store calls never overlapped and the bound never went down;
 * r5 the jumping thread's result is at or above T+5.
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 1, 1", expect = ACCEPTABLE, desc = "unique, monotonic, below the bound, at physical time")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "two results are equal")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "a thread saw its clock go back")
@Outcome(id = "1, 1, 0, .*", expect = FORBIDDEN, desc = "a timestamp was issued at or above the stored bound")
@Outcome(id = "1, 1, 1, 0, .*", expect = FORBIDDEN, desc = "overlapping store calls or a bound that went down")
@Outcome(expect = FORBIDDEN, desc = "a result below the physical time set before the call")
@State
public class HlcStoreHoldsIssueUntilBoundCoversPhysicalJump
{
    private final MemoryUpperBoundStore store = new MemoryUpperBoundStore();
    private final CachedEpochClock physical = HlcFixture.physicalAt(T_MS);
    private final AtomicHybridClock clock = AtomicHybridClock.builder()
        .epochClock(physical)
        .upperBoundStore(store, AtomicHybridClock.StoreStart.FIRST_START)
        .persistWindow(2, TimeUnit.MILLISECONDS)
        .build();
    private long a;
    private long b1;
    private long b2;
    private long boundAfterA;
    private long boundAfterB1;
    private long boundAfterB2;

    @Actor
    public void jumpThenNow()
    {
        physical.update(T_MS + 5);
        a = clock.now();
        boundAfterA = store.bound();
    }

    @Actor
    public void nowTwice()
    {
        b1 = clock.now();
        boundAfterB1 = store.bound();
        b2 = clock.now();
        boundAfterB2 = store.bound();
    }

    @Arbiter
    public void verdict(final IIIII_Result r)
    {
        r.r1 = code(a != b1 && a != b2 && b1 != b2);
        r.r2 = code(b1 < b2);
        r.r3 = code(a < boundAfterA && b1 < boundAfterB1 && b2 < boundAfterB2);
        r.r4 = code(!store.misused());
        r.r5 = code(a >= at(5, 0));
    }
}
