package dev.ordo.benchmarks;

import dev.ordo.clocks.lamport.AtomicLamportClock;
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
 * Ordo's {@link AtomicLamportClock}: a local tick, a receive of a remote value, and a tick shared by two threads.
 * Floor: {@code PhysicalClockBenchmark.atomicIncrement} (a Lamport tick is one atomic add at best); the contended
 * tick's floor is {@code PhysicalClockBenchmark.atomicIncrementContended}.
 *
 * <p>The clock is {@link Scope#Benchmark}: in the contended case both threads hit the same clock, as all the
 * threads of one process would.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class LamportClockBenchmark
{
    private AtomicLamportClock clock;

    /** A remote value behind the local clock after the first call: the common receive. Non-final on purpose. */
    private long received;

    /**
     * Fresh clock per trial.
     */
    @Setup
    public void setUp()
    {
        clock = new AtomicLamportClock();
        received = 1_000;
    }

    /**
     * @return the next Lamport time for a local or send event.
     */
    @Benchmark
    public long tick()
    {
        return clock.tick();
    }

    /**
     * @return the Lamport time of a receive event stamped {@link #received}.
     */
    @Benchmark
    public long update()
    {
        return clock.update(received);
    }

    /**
     * Floor: {@code PhysicalClockBenchmark.atomicIncrementContended}, with the same forks and iterations (the
     * contended rows move 20-40 % between forks on a 2-core machine; the report shows the spread).
     *
     * @return the next Lamport time, with two threads ticking the same clock.
     */
    @Benchmark
    @Threads(2)
    @Fork(3)
    @Measurement(iterations = 8, time = 1)
    public long tickContended()
    {
        return clock.tick();
    }
}
