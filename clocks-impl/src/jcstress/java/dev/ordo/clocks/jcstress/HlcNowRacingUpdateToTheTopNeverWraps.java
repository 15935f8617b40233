package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.api.ClockOverflowException;
import dev.ordo.clocks.api.HybridClock;
import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.hlc.AtomicHybridClock;
import org.agrona.concurrent.CachedEpochClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The unconditional atomic add of {@code now()} races an update that takes a {@code MICROS} clock (whose
 * largest timestamps are -1..-3 as signed numbers) to its last value. The update gets the largest timestamp
 * (r1 = 1); {@code now()} gets a value before it or is refused with {@link ClockOverflowException} (r2 = 1);
 * afterwards the clock shows the largest timestamp and a further {@code tryUpdate} is a rejection that
 * leaves it there (r3 = 1). A wrapped value or a rejection code mistaken for a timestamp is forbidden.
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "the update reached the top, now() stayed below it or was refused")
@Outcome(expect = FORBIDDEN, desc = "a wrapped value, a value past the top, or a rejection that moved the clock")
@State
public class HlcNowRacingUpdateToTheTopNeverWraps
{
    private static final HybridTimestampFormat FORMAT = HybridTimestampFormat.MICROS;
    private final CachedEpochClock micros = new CachedEpochClock();
    private final AtomicHybridClock clock;
    private final long top;
    private final long start;
    private long updated;
    private long issued;

    public HlcNowRacingUpdateToTheTopNeverWraps()
    {
        final long physical = (FORMAT.maxTimestamp() - (1L << 32)) >>> FORMAT.logicalBits();
        micros.update(physical - 10);
        clock = AtomicHybridClock.builder().epochMicroClock(micros::time).build();
        top = clock.largestTimestamp();
        start = clock.now();
    }

    @Actor
    public void update()
    {
        updated = clock.tryUpdate(top - 1);
    }

    @Actor
    public void now()
    {
        try
        {
            issued = clock.now();
        }
        catch (final ClockOverflowException ex)
        {
            issued = 0;
        }
    }

    @Arbiter
    public void verdict(final III_Result r)
    {
        r.r1 = updated == top ? 1 : 0;
        r.r2 = issued == 0 || (Long.compareUnsigned(issued, start) > 0 && Long.compareUnsigned(issued, top) < 0) ? 1 : 0;
        final long rejected = clock.tryUpdate(top - 1);
        r.r3 = HybridClock.isRejected(rejected) && clock.current() == top ? 1 : 0;
    }
}
