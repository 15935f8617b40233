package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.TimeInterval;
import dev.ordo.clocks.bounded.DriftErrorBound;
import dev.ordo.clocks.bounded.ErrorBoundedClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The read-order finding under the memory model: true time stands at {@code T}, the real-time clock is 800 ms
 * ahead and the last sync (900 ms) says so. The daemon steps the clock to {@code T} (a volatile write) and then
 * publishes a 1 ms bound, racing a bounded-clock read. The read must contain {@code T} (r1 = 1) with the old
 * reading under the old bound or the new reading under the new one (r2: the bound in ms, 900 or 1; 0 would be
 * unbounded, which no single publication may cause). In the old read order (real time, monotonic time, then the
 * source) a reading from before the step could meet the new bound: r1 = 0.
 */
@JCStressTest
@Outcome(id = {"1, 900", "1, 1"}, expect = ACCEPTABLE, desc = "a reading judged by the bound current while it was taken")
@Outcome(id = "0, 1", expect = FORBIDDEN, desc = "a reading from before the step judged by the sync after it")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class BoundedReadRacingAStepAndANarrowerSync
{
    private static final long T_NS = 1_800_000_000_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long MONO_NS = 1_000_000_000_000L;

    private volatile long clockErrorNs = 800 * MS;
    private final DriftErrorBound source =
        new DriftErrorBound(DriftErrorBound.NTP_PHI_PPB, 64_000 * MS, 1_024_000 * MS, () -> MONO_NS);
    private final ErrorBoundedClock clock = new ErrorBoundedClock(() -> T_NS + clockErrorNs, () -> MONO_NS, source);

    /** The honest first sync. */
    public BoundedReadRacingAStepAndANarrowerSync()
    {
        source.updateBound(900 * MS, MONO_NS);
    }

    @Actor
    public void daemon()
    {
        clockErrorNs = 0;
        source.updateBound(MS, MONO_NS);
    }

    @Actor
    public void reader(final II_Result r)
    {
        final TimeInterval interval = clock.now(new TimeInterval());
        r.r1 = interval.earliestNs() <= T_NS && T_NS <= interval.latestNs() ? 1 : 0;
        r.r2 = interval.status() == ClockStatus.SYNCHRONIZED ? (int)((interval.latestNs() - interval.readingNs()) / MS) : 0;
    }
}
