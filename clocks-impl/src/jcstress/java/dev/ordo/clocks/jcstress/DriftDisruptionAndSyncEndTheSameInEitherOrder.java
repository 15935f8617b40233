package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBounds;
import dev.ordo.clocks.bounded.DriftErrorBound;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A feeder publishes a sync taken at 10 s while a detector reports disruptions, racing: on source A one detected
 * at 9 s (before the sync: the sync measured the disrupted clock, so A ends SYNCHRONIZED), on source B one at 11 s
 * (after it: B ends DISRUPTED). The end state must not depend on which call wins the race (r1: A's status code, r2:
 * B's; 1 SYNCHRONIZED, 3 DISRUPTED).
 */
@JCStressTest
@Outcome(id = "1, 3", expect = ACCEPTABLE, desc = "the sync ends the earlier disruption, not the later one")
@Outcome(id = {"3, 3", "3, 1"}, expect = FORBIDDEN, desc = "a disruption before the sync won because it was reported last")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "a sync from before the disruption ended it")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class DriftDisruptionAndSyncEndTheSameInEitherOrder
{
    private static final long SECOND = 1_000_000_000L;

    private final DriftErrorBound a = new DriftErrorBound(15_000, 64 * SECOND, 1_024 * SECOND, () -> Long.MAX_VALUE);
    private final DriftErrorBound b = new DriftErrorBound(15_000, 64 * SECOND, 1_024 * SECOND, () -> Long.MAX_VALUE);

    @Actor
    public void feeder()
    {
        a.updateBound(1_000, 10 * SECOND);
        b.updateBound(1_000, 10 * SECOND);
    }

    @Actor
    public void detector()
    {
        a.markDisrupted(9 * SECOND);
        b.markDisrupted(11 * SECOND);
    }

    @Arbiter
    public void arbiter(final II_Result r)
    {
        r.r1 = ErrorBounds.status(a.errorBound(12 * SECOND)).code();
        r.r2 = ErrorBounds.status(b.errorBound(12 * SECOND)).code();
    }
}
