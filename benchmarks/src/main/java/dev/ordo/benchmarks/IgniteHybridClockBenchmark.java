package dev.ordo.benchmarks;

import org.apache.ignite.internal.hlc.HybridClockImpl;
import org.apache.ignite.internal.hlc.HybridTimestamp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Peer: Apache Ignite 3's lock-free {@code HybridClockImpl} ({@code org.apache.ignite:ignite-core}).
 * {@link #now()} measures its allocation-free {@code nowLong()}; {@link #nowObject()} and {@link #update()} its
 * object-returning API. Floor: {@code PhysicalClockBenchmark.currentTimeMillis}. The clock is shared
 * ({@link Scope#Benchmark}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class IgniteHybridClockBenchmark
{
    private HybridClockImpl clock;
    private HybridTimestamp remote;

    /**
     * Fresh clock per trial.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        clock = new HybridClockImpl();
    }

    /**
     * A remote timestamp from another node, refreshed each iteration.
     */
    @Setup(Level.Iteration)
    public void refreshRemote()
    {
        remote = new HybridClockImpl().now();
    }

    /**
     * @return {@code nowLong()}: a packed timestamp.
     */
    @Benchmark
    public long now()
    {
        return clock.nowLong();
    }

    /**
     * @return {@code now()}: a timestamp object.
     */
    @Benchmark
    public HybridTimestamp nowObject()
    {
        return clock.now();
    }

    /**
     * @return {@code update(HybridTimestamp)}: the receive timestamp, as an object.
     */
    @Benchmark
    public HybridTimestamp update()
    {
        return clock.update(remote);
    }

    /**
     * @return {@code nowLong()} with two threads sharing the clock.
     */
    @Benchmark
    @Threads(2)
    @Fork(3)
    @Measurement(iterations = 8, time = 1)
    public long nowContended()
    {
        return clock.nowLong();
    }
}
