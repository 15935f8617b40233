package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.hlc.AtomicHybridClock;
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
 * A clock with an upper-bound store and a 2 ms persistence window starts three timestamps below its refresh
 * point (physical time stands at T), so the four {@code now()} calls of two threads cross it: some take the
 * atomic add, one the refresh path that stores a new bound, while the second thread also runs
 * {@code maintainUpperBound()} between its calls. Verdict codes, 1 when the property holds: r1 all results
 * distinct; r2 each thread's results increase; r3 every result is below the bound the store held right
 * after the call returned (stored before issued); r4 store calls never overlapped and the bound never went
 * down; r5 the results are exactly the four timestamps after the start (none skipped).
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 1, 1", expect = ACCEPTABLE, desc = "unique, monotonic, always below the stored bound")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "two results are equal")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "a thread saw its clock go back")
@Outcome(id = "1, 1, 0, .*", expect = FORBIDDEN, desc = "a timestamp was issued at or above the stored bound")
@Outcome(id = "1, 1, 1, 0, .*", expect = FORBIDDEN, desc = "overlapping store calls or a bound that went down")
@Outcome(expect = FORBIDDEN, desc = "a timestamp was skipped or is out of range")
@State
public class HlcStoreRefreshKeepsResultsUniqueAndBelowBound
{
    /** One below the refresh point of a 2 ms window stored at T: the first (T+1).0 needs the refresh path. */
    private static final long START = at(1, 0) - 3;

    private final MemoryUpperBoundStore store = new MemoryUpperBoundStore();
    private final AtomicHybridClock clock = AtomicHybridClock.builder()
        .epochClock(HlcFixture.physicalAt(T_MS))
        .upperBoundStore(store, AtomicHybridClock.StoreStart.FIRST_START)
        .persistWindow(2, TimeUnit.MILLISECONDS)
        .initialTimestamp(START)
        .build();
    private long a1;
    private long a2;
    private long b1;
    private long b2;
    private long boundAfterA1;
    private long boundAfterA2;
    private long boundAfterB1;
    private long boundAfterB2;

    @Actor
    public void now()
    {
        a1 = clock.now();
        boundAfterA1 = store.bound();
        a2 = clock.now();
        boundAfterA2 = store.bound();
    }

    @Actor
    public void nowMaintainNow()
    {
        b1 = clock.now();
        boundAfterB1 = store.bound();
        clock.maintainUpperBound();
        b2 = clock.now();
        boundAfterB2 = store.bound();
    }

    @Arbiter
    public void verdict(final IIIII_Result r)
    {
        r.r1 = code(a1 != a2 && a1 != b1 && a1 != b2 && a2 != b1 && a2 != b2 && b1 != b2);
        r.r2 = code(a1 < a2 && b1 < b2);
        r.r3 = code(a1 < boundAfterA1 && a2 < boundAfterA2 && b1 < boundAfterB1 && b2 < boundAfterB2);
        r.r4 = code(!store.misused());
        final long min = Math.min(Math.min(a1, a2), Math.min(b1, b2));
        final long max = Math.max(Math.max(a1, a2), Math.max(b1, b2));
        r.r5 = code(min == START + 1 && max == START + 4);
    }
}
