package dev.ordo.clocks.vector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class VectorClockSnapshotTest
{
    private static final int NODES = 40;

    @Test
    @Timeout(60)
    void readersShouldOnlyEverSeeWholePublishedStatesInOrder() throws Exception
    {
        final NodeRegistry registry = new NodeRegistry();
        for (int i = 0; i < NODES; i++)
        {
            registry.register(i * 1000L);
        }
        final VectorClockSnapshot snapshot = new VectorClockSnapshot(registry, EntryKind.COUNTERS);
        final int readers = 2;
        final ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
        final AtomicBoolean done = new AtomicBoolean();
        final CountDownLatch started = new CountDownLatch(readers + 1);
        try
        {
            final Future<Long> writer = pool.submit(() ->
            {
                // Invariant of every published state: all entries equal the round number.
                final VectorClock clock = new VectorClock(registry);
                started.countDown();
                started.await();
                long rounds = 0;
                final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
                while (System.nanoTime() < deadline)
                {
                    for (int i = 0; i < NODES; i++)
                    {
                        clock.increment(i);
                    }
                    snapshot.publish(clock);
                    rounds++;
                }
                done.set(true);
                return rounds;
            });
            final Future<?>[] readerFutures = new Future<?>[readers];
            for (int r = 0; r < readers; r++)
            {
                readerFutures[r] = pool.submit(() ->
                {
                    final VectorClock copy = new VectorClock(registry);
                    started.countDown();
                    started.await();
                    long previous = 0;
                    long previousPublish = 0;
                    long reads = 0;
                    while (!done.get() || reads < 10)
                    {
                        final long publish = snapshot.readInto(copy);
                        final long first = copy.get(0);
                        for (int i = 1; i < NODES; i++)
                        {
                            assertThat(copy.get(i)).as("torn snapshot at node %d in %s", i, copy).isEqualTo(first);
                        }
                        assertThat(first).as("snapshots never go back").isGreaterThanOrEqualTo(previous);
                        assertThat(publish).isGreaterThanOrEqualTo(previousPublish).isEqualTo(first);
                        previous = first;
                        previousPublish = publish;
                        reads++;
                    }
                    return null;
                });
            }
            final long rounds = writer.get(30, TimeUnit.SECONDS);
            for (final Future<?> reader : readerFutures)
            {
                reader.get(30, TimeUnit.SECONDS);
            }
            assertThat(rounds).isPositive();
            assertThat(snapshot.publishCount()).isEqualTo(rounds);
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldCarryPrunedFlagsAndGrowWithTheRegistry()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int a = registry.register("a");
        final VectorClockSnapshot snapshot = new VectorClockSnapshot(registry, EntryKind.COUNTERS);
        final VectorClock reader = new VectorClock(registry);
        assertThat(snapshot.readInto(reader)).isZero();
        assertThat(reader.liveEntries()).isZero();

        final int late = registry.register("late");
        final VectorClock writer = new VectorClock(registry);
        writer.increment(a);
        writer.increment(late, 9);
        writer.prune((id, value, age, live) -> id == NodeRegistry.idOf("a"));
        snapshot.publish(writer);
        assertThat(snapshot.readInto(reader)).isEqualTo(1);
        assertThat(reader.get(late)).isEqualTo(9);
        assertThat(reader.isPruned(a)).isTrue();
        assertThat(reader.prunedEntries()).isEqualTo(1);
        assertThat(TestClocks.bytes(reader)).isEqualTo(TestClocks.bytes(writer));
    }
}
