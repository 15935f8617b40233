package dev.ordo.benchmarks;

import dev.ordo.benchmarks.peers.MutexHybridClock;
import org.agrona.concurrent.SystemEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Baseline peer: the HLC algorithm behind one lock ({@link MutexHybridClock}, CockroachDB's design).
 * Floor: {@code PhysicalClockBenchmark.currentTimeMillis}. The clock is shared ({@link Scope#Benchmark}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class MutexHybridClockBenchmark
{
    private MutexHybridClock clock;
    private long remote;

    /**
     * Fresh clock per trial; a remote timestamp from another clock.
     */
    @Setup
    public void setUp()
    {
        clock = new MutexHybridClock(SystemEpochClock.INSTANCE);
        remote = new MutexHybridClock(SystemEpochClock.INSTANCE).now();
    }

    /**
     * @return a timestamp for a local or send event.
     */
    @Benchmark
    public long now()
    {
        return clock.now();
    }

    /**
     * @return the timestamp of a receive event.
     */
    @Benchmark
    public long update()
    {
        return clock.update(remote);
    }

    /**
     * @return a timestamp, with two threads sharing the clock.
     */
    @Benchmark
    @Threads(2)
    public long nowContended()
    {
        return clock.now();
    }
}
