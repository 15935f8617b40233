package dev.ordo.benchmarks;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Can a timestamp counter shared by two threads get below one atomic add per call? The shapes an HLC's
 * {@code now()} can take, each a clock read plus one way of taking the next value of a shared counter, with two
 * threads on one counter (floor: {@code PhysicalClockBenchmark.epochMillisPlusAtomicAddContended}, which is
 * {@link #getAndAdd()}):
 *
 * <ul>
 *   <li>{@link #getAndAdd()}: one atomic add, never retried (Ordo's {@code AtomicHybridClock.now()}).</li>
 *   <li>{@link #readThenGetAndAdd()}: a volatile read of the counter first, then the add (Apache Ignite 3's
 *       {@code nowLong()} when physical time has not moved).</li>
 *   <li>{@link #compareAndSetRetry()}: read, compare-and-set, retry at once on failure.</li>
 *   <li>{@link #compareAndSetBackoff16()}, {@link #compareAndSetBackoff64()}: the same, spinning 16 or 64
 *       {@link Thread#onSpinWait()} after a failure, so the other thread can take several values while the line
 *       stays in its cache (contention management for compare-and-set).</li>
 * </ul>
 *
 * Every value taken is unique and above every value taken before, as an HLC needs; a scheme that hands out
 * values from per-thread blocks would be cheaper and would break that. Same forks and iterations as the
 * contended HLC rows.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(3)
@Threads(2)
@State(Scope.Benchmark)
public class ContendedCounterBenchmark
{
    private final AtomicLong counter = new AtomicLong();
    private final EpochClock epochClock = SystemEpochClock.INSTANCE;

    /**
     * @return the clock reading plus the value taken.
     */
    @Benchmark
    public long getAndAdd()
    {
        return epochClock.time() + counter.getAndAdd(1L);
    }

    /**
     * @return the clock reading plus the value taken.
     */
    @Benchmark
    public long readThenGetAndAdd()
    {
        final long timeMs = epochClock.time();
        final long seen = counter.get();
        return timeMs + (seen < 0 ? seen : counter.getAndAdd(1L));
    }

    /**
     * @return the clock reading plus the value taken.
     */
    @Benchmark
    public long compareAndSetRetry()
    {
        return epochClock.time() + takeWithBackoff(0);
    }

    /**
     * @return the clock reading plus the value taken.
     */
    @Benchmark
    public long compareAndSetBackoff16()
    {
        return epochClock.time() + takeWithBackoff(16);
    }

    /**
     * @return the clock reading plus the value taken.
     */
    @Benchmark
    public long compareAndSetBackoff64()
    {
        return epochClock.time() + takeWithBackoff(64);
    }

    private long takeWithBackoff(final int spins)
    {
        long seen = counter.get();
        while (!counter.compareAndSet(seen, seen + 1))
        {
            for (int i = 0; i < spins; i++)
            {
                Thread.onSpinWait();
            }
            seen = counter.get();
        }
        return seen;
    }
}
