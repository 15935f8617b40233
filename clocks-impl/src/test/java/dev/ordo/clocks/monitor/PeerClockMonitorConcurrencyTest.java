package dev.ordo.clocks.monitor;

import dev.ordo.clocks.api.ErrorBounds;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Observers on several threads race with evaluations and lock-free cluster-bound reads, while the peers'
 * offsets flip between in step and far off so the verdict keeps changing: no observation is lost, verdict
 * changes form one chain (each change starts where the previous ended), and a published cluster bound is
 * never torn (a bound read together with a time it was not published with).
 */
class PeerClockMonitorConcurrencyTest
{
    private static final long MS = 1_000_000L;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void racingObserversShouldLoseNothingAndReportOneChainOfVerdicts() throws Exception
    {
        final long seed = Seeds.seed("monitor concurrency");
        final List<ClockVerdict[]> changes = new ArrayList<>();
        final PeerClockMonitor monitor = PeerClockMonitor.builder().peers(4).window(2).clockResolutionNs(0)
            .listener((previous, current, m) -> changes.add(new ClockVerdict[]{previous, current})).build();
        final int threads = 4;
        final int perThread = 50_000;
        final CyclicBarrier start = new CyclicBarrier(threads + 1);
        final AtomicLong accepted = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] workers = new Thread[threads + 1];
        for (int w = 0; w < threads; w++)
        {
            final SplittableRandom random = new SplittableRandom(seed + w);
            workers[w] = new Thread(() ->
            {
                try
                {
                    start.await();
                    for (int i = 0; i < perThread; i++)
                    {
                        final long t = 1_000_000_000_000L + i * 1_000L;
                        final long offset = (i / 500) % 2 == 0 ? random.nextLong(-MS, MS) : 900 * MS;
                        final long delay = random.nextLong(0, 2 * MS);
                        if (monitor.observe(random.nextInt(4), t, t + offset + delay / 2, t + offset + delay / 2,
                            t + delay, i * 1_000L))
                        {
                            accepted.incrementAndGet();
                        }
                        if ((i & 255) == 0)
                        {
                            monitor.evaluate(i * 1_000L);
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }, "observer-" + w);
        }
        workers[threads] = new Thread(() ->
        {
            try
            {
                start.await();
                for (int i = 0; i < 200_000; i++)
                {
                    // Every other read in a bounded clock's order: snapshot, then the bound from it (or a change).
                    final long packed = (i & 1) == 0 ? monitor.clusterErrorBound().errorBound(i * 250L) :
                        monitor.clusterErrorBound().errorBoundFrom(monitor.clusterErrorBound().snapshot(), i * 250L);
                    if (packed == ErrorBounds.SNAPSHOT_CHANGED)
                    {
                        continue;
                    }
                    if (packed != ErrorBounds.UNKNOWN && ErrorBounds.boundNs(packed) > 901 * MS)
                    {
                        throw new AssertionError("torn or impossible cluster bound " + ErrorBounds.toString(packed));
                    }
                }
            }
            catch (final Throwable ex)
            {
                failure.compareAndSet(null, ex);
            }
        }, "bound-reader");
        for (final Thread worker : workers)
        {
            worker.start();
        }
        for (final Thread worker : workers)
        {
            worker.join();
        }
        assertThat(failure.get()).as("seed %d", seed).isNull();
        assertThat(accepted.get()).isEqualTo((long)threads * perThread);
        assertThat(monitor.observations()).isEqualTo(accepted.get());
        assertThat(monitor.verdictChanges()).isEqualTo(changes.size());
        ClockVerdict last = ClockVerdict.UNKNOWN;
        for (final ClockVerdict[] change : changes)
        {
            assertThat(change[0]).as("seed %d: a change starts where the previous ended", seed).isEqualTo(last);
            assertThat(change[1]).isNotEqualTo(change[0]);
            last = change[1];
        }
        assertThat(last).isEqualTo(monitor.verdict());
        assertThat(changes).as("seed %d: the flipping offsets changed the verdict", seed).hasSizeGreaterThan(2);
    }
}
