package dev.ordo.benchmarks;

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

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

/**
 * The floor every clock is measured against: reading the physical clock, and the cheapest atomic.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PhysicalClockBenchmark
{
    private final AtomicLong counter = new AtomicLong();
    private final AtomicLong contendedCounter = new AtomicLong();
    private final AtomicLong hlcFloorState = new AtomicLong();
    private final EpochClock epochClock = SystemEpochClock.INSTANCE;

    /**
     * @return {@link System#currentTimeMillis()}.
     */
    @Benchmark
    public long currentTimeMillis()
    {
        return System.currentTimeMillis();
    }

    /**
     * @return {@link System#nanoTime()}.
     */
    @Benchmark
    public long nanoTime()
    {
        return System.nanoTime();
    }

    /**
     * @return {@link Instant#now()} (allocates unless escape analysis removes it).
     */
    @Benchmark
    public Instant instantNow()
    {
        return Instant.now();
    }

    /**
     * @return {@link AtomicLong#incrementAndGet()}.
     */
    @Benchmark
    public long atomicIncrement()
    {
        return counter.incrementAndGet();
    }

    /**
     * The floor of the contended Lamport row: {@link #atomicIncrement()} with two threads sharing the counter
     * (every increment moves its cache line between the cores), with the same forks and iterations as that row.
     *
     * @return {@link AtomicLong#incrementAndGet()}.
     */
    @Benchmark
    @Threads(2)
    @Fork(3)
    @Measurement(iterations = 8, time = 1)
    public long atomicIncrementContended()
    {
        return contendedCounter.incrementAndGet();
    }

    /**
     * The floor of {@code AtomicHybridClock.now()}: the same clock read the HLC uses by default (Agrona's
     * {@link SystemEpochClock}) plus one {@link AtomicLong#getAndAdd(long)}. An HLC cannot do less.
     *
     * @return the sum, so neither part can be removed.
     */
    @Benchmark
    public long epochMillisPlusAtomicAdd()
    {
        return epochClock.time() + hlcFloorState.getAndAdd(1L);
    }

    /**
     * The floor of the contended HLC rows: {@link #epochMillisPlusAtomicAdd()} with two threads sharing the
     * atomic, with the same forks and iterations as those rows.
     *
     * @return the sum.
     */
    @Benchmark
    @Threads(2)
    @Fork(3)
    @Measurement(iterations = 8, time = 1)
    public long epochMillisPlusAtomicAddContended()
    {
        return epochClock.time() + hlcFloorState.getAndAdd(1L);
    }
}
