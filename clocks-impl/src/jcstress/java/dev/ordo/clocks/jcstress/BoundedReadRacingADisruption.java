package dev.ordo.clocks.jcstress;

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
 * The other direction: the detector reports a disruption and then the clock jumps an hour ahead (a VM restored
 * from a snapshot), racing a bounded-clock read whose snapshot of the source may be older than the report. The
 * read must contain true time {@code T} (r1 = 1): a reading from before the jump under the sync's bound (r2 = 1,
 * SYNCHRONIZED's code) or an unbounded, DISRUPTED interval (r2 = 3). Taking the snapshot first without checking
 * it after the clock reads would judge the jumped reading by the old bound: r1 = 0.
 */
@JCStressTest
@Outcome(id = {"1, 1", "1, 3"}, expect = ACCEPTABLE, desc = "before the jump, bounded; or disrupted")
@Outcome(id = "0, 1", expect = FORBIDDEN, desc = "a reading after the jump judged by the bound from before it")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class BoundedReadRacingADisruption
{
    private static final long T_NS = 1_800_000_000_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long MONO_NS = 1_000_000_000_000L;

    private volatile long clockErrorNs = 800 * MS;
    private final DriftErrorBound source =
        new DriftErrorBound(DriftErrorBound.NTP_PHI_PPB, 64_000 * MS, 1_024_000 * MS, () -> MONO_NS + 1);
    private final ErrorBoundedClock clock = new ErrorBoundedClock(() -> T_NS + clockErrorNs, () -> MONO_NS + 1, source);

    /** The honest first sync. */
    public BoundedReadRacingADisruption()
    {
        source.updateBound(900 * MS, MONO_NS);
    }

    @Actor
    public void detector()
    {
        source.markDisrupted(MONO_NS + 1);
        clockErrorNs = 3_600_000 * MS;
    }

    @Actor
    public void reader(final II_Result r)
    {
        final TimeInterval interval = clock.now(new TimeInterval());
        r.r1 = interval.earliestNs() <= T_NS && T_NS <= interval.latestNs() ? 1 : 0;
        r.r2 = interval.status().code();
    }
}
