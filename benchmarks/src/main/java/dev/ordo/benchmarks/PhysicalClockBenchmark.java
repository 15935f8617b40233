package dev.ordo.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
}
