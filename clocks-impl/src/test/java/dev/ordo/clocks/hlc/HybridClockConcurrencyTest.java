package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.HybridClock;
import dev.ordo.clocks.api.HybridTimestamps;
import dev.ordo.clocks.lamport.AtomicLamportClock;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads hammer one clock: every thread's results strictly increase and no value is issued twice.
 * The OpenJDK jcstress tests (profile {@code jcstress}) check the same properties under every interleaving
 * the JVM can produce.
 */
class HybridClockConcurrencyTest
{
    private static final int THREADS = 4;
    private static final int CALLS = 200_000;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentNowAndUpdateShouldNeverRepeatOrDecreaseOnAThread() throws Exception
    {
        final AtomicHybridClock clock = AtomicHybridClock.create();
        final AtomicLong published = new AtomicLong(clock.now());
        final long seed = Seeds.seed("HLC concurrency");
        assertUniqueAndIncreasing(seed, (thread, random) ->
        {
            final int op = random.nextInt(4);
            if (op == 0)
            {
                final long remote = published.get();
                final long ts = clock.update(remote);
                assertThat(ts).isGreaterThan(remote);
                return ts;
            }
            if (op == 1)
            {
                // A remote up to 100 ms ahead of this host's wall clock: always within the 500 ms max offset.
                final long remote = HybridTimestamps.pack(
                    System.currentTimeMillis() + random.nextInt(100), random.nextInt(1 << 16));
                final long ts = clock.tryUpdate(remote);
                assertThat(HybridClock.isRejected(ts)).isFalse();
                published.lazySet(ts);
                return ts;
            }
            return clock.now();
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentNowWithAPersistedUpperBoundShouldNeverRepeatOrPassTheBound(
        @org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws Exception
    {
        final FileUpperBoundStore store = new FileUpperBoundStore(dir.resolve("bound"));
        final AtomicHybridClock clock = AtomicHybridClock.builder()
            .upperBoundStore(store, AtomicHybridClock.StoreStart.FIRST_START).persistWindow(20, TimeUnit.MILLISECONDS).build();
        final long seed = Seeds.seed("HLC concurrency with upper bound");
        assertUniqueAndIncreasing(seed, (thread, random) ->
        {
            final long ts = clock.now();
            assertThat(ts).isLessThan(store.load());
            return ts;
        }, 20_000);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentLamportTicksAndUpdatesShouldNeverRepeatOrDecreaseOnAThread() throws Exception
    {
        final AtomicLamportClock clock = new AtomicLamportClock();
        final long seed = Seeds.seed("Lamport concurrency");
        assertUniqueAndIncreasing(seed, (thread, random) ->
        {
            if (random.nextInt(3) == 0)
            {
                final long received = Math.max(0, clock.current() + random.nextInt(-100, 100));
                final long ts = clock.update(received);
                assertThat(ts).isGreaterThan(received);
                return ts;
            }
            return clock.tick();
        });
    }

    /** One operation of a worker thread. */
    private interface Operation
    {
        long apply(int thread, SplittableRandom random);
    }

    private static void assertUniqueAndIncreasing(final long seed, final Operation op) throws Exception
    {
        assertUniqueAndIncreasing(seed, op, CALLS);
    }

    private static void assertUniqueAndIncreasing(final long seed, final Operation op, final int calls)
        throws Exception
    {
        final long[][] results = new long[THREADS][calls];
        final Throwable[] failures = new Throwable[THREADS];
        final CyclicBarrier start = new CyclicBarrier(THREADS);
        final Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++)
        {
            final int thread = t;
            threads[t] = new Thread(() ->
            {
                try
                {
                    final SplittableRandom random = new SplittableRandom(seed + thread);
                    start.await();
                    final long[] mine = results[thread];
                    for (int i = 0; i < calls; i++)
                    {
                        mine[i] = op.apply(thread, random);
                        if (i > 0 && Long.compareUnsigned(mine[i], mine[i - 1]) <= 0)
                        {
                            throw new AssertionError("thread " + thread + " call " + i + ": " + mine[i] +
                                " is not above its previous result " + mine[i - 1] + " (seed " + seed + ")");
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failures[thread] = ex;
                }
            }, "clock-worker-" + t);
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        for (final Throwable failure : failures)
        {
            if (failure != null)
            {
                throw new AssertionError("seed " + seed, failure);
            }
        }
        final long[] all = Arrays.stream(results).flatMapToLong(Arrays::stream).sorted().toArray();
        for (int i = 1; i < all.length; i++)
        {
            assertThat(all[i]).as("seed %d: value issued twice", seed).isNotEqualTo(all[i - 1]);
        }
    }

}
