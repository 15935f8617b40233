package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.TimeInterval;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read takes real time {@code r}, then monotonic time {@code m}, then asks the source for the bound at
 * {@code m}. If a sync is published between the two reads, the reading {@code r}, taken <em>before</em> that sync
 * (and before any correction the sync daemon applied for it), is judged by the new, smaller bound.
 */
class SyncPublishedDuringAReadTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long TRUE_START_NS = 1_800_000_000_000_000_000L;

    /**
     * Deterministic replay of the race: the real-time clock is 800 ms ahead, and the last sync (bound 900 ms)
     * says so honestly. A reader takes its real-time reading, then is held for 10 ms (preemption, a GC); meanwhile
     * the daemon steps the clock back by 800 ms, measures, and publishes a 1 ms bound. The reader's monotonic read
     * and source read then see the new sync and wrap the stale, 800 ms-wrong reading in a 1 ms interval.
     */
    @Test
    @Disabled("Open (attack-time): ErrorBoundedClock reads the source after the real-time clock, so a sync " +
        "published between the two reads judges a reading taken before it (and before the daemon's correction). " +
        "A fix needs the source's state taken before the real-time read (AWS ClockBound reads its snapshot first), " +
        "i.e. an ErrorBoundSource API change or a second monotonic read plus a record history on the hot path.")
    void aSyncPublishedBetweenTheRealTimeAndMonotonicReadsShouldNotNarrowAStaleReading()
    {
        final AtomicLong trueNs = new AtomicLong(TRUE_START_NS);
        final AtomicLong clockErrorNs = new AtomicLong(800 * MS);
        final AtomicLong monoNs = new AtomicLong(1_000 * SECOND);
        final DriftErrorBound source = DriftErrorBound.builder().monotonicClock(monoNs::get).build();
        source.updateBound(900 * MS, monoNs.get()); // honest: the clock is 800 ms off
        final boolean[] raced = {false};
        final ErrorBoundedClock clock = new ErrorBoundedClock(() ->
        {
            final long readingNs = trueNs.get() + clockErrorNs.get();
            if (!raced[0])
            {
                raced[0] = true;
                // The reader is held for 10 ms; the daemon steps the clock right and publishes a fresh sync.
                trueNs.addAndGet(10 * MS);
                monoNs.addAndGet(10 * MS);
                clockErrorNs.set(0);
                source.updateBound(MS, monoNs.get());
            }
            return readingNs;
        }, monoNs::get, source);

        final long trueAtStartNs = trueNs.get();
        final TimeInterval interval = clock.now(new TimeInterval());
        final long trueAtEndNs = trueNs.get();
        assertThat(interval.earliestNs()).as("%s must contain a true time during the call", interval)
            .isLessThanOrEqualTo(trueAtEndNs);
        assertThat(interval.latestNs()).isGreaterThanOrEqualTo(trueAtStartNs);
    }
}
