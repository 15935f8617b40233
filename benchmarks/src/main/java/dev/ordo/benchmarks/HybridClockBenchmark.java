package dev.ordo.benchmarks;

import dev.ordo.clocks.hlc.AtomicHybridClock;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.SystemEpochClock;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Ordo's {@link AtomicHybridClock} on the system clock and on a cached clock, alone and with two threads.
 * Floors: {@code PhysicalClockBenchmark.epochMillisPlusAtomicAdd} (the same clock read plus one atomic add,
 * which an HLC cannot beat) and its contended twin {@code epochMillisPlusAtomicAddContended}. The contended rows
 * run 3 forks of 8 iterations each, so the spread across forks shows whether a difference is real on a busy
 * 2-core machine.
 * Peers: {@code IgniteHybridClockBenchmark} (lock-free) and {@code MutexHybridClockBenchmark} (one lock).
 *
 * <p>The clocks are {@link Scope#Benchmark}: the contended cases share one clock between threads, as a process
 * shares its HLC.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class HybridClockBenchmark
{
    private AtomicHybridClock clock;

    /** A remote timestamp a little behind local time: the common receive. Non-final on purpose. */
    private long remote;

    /**
     * Fresh clock per trial.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        clock = AtomicHybridClock.builder().epochClock(SystemEpochClock.INSTANCE).build();
    }

    /**
     * A remote timestamp from another node, refreshed each iteration so it stays within the max offset.
     */
    @Setup(Level.Iteration)
    public void refreshRemote()
    {
        remote = AtomicHybridClock.create().now();
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
     * @return the timestamp of the receipt of a message stamped {@link #remote} (exception-throwing API; the
     * remote value is valid, so nothing is thrown).
     */
    @Benchmark
    public long update()
    {
        return clock.update(remote);
    }

    /**
     * @return as {@link #update()} through the code-returning API.
     */
    @Benchmark
    public long tryUpdate()
    {
        return clock.tryUpdate(remote);
    }

    /**
     * @return a timestamp, with two threads sharing the clock.
     */
    @Benchmark
    @Threads(2)
    @Fork(3)
    @Measurement(iterations = 8, time = 1)
    public long nowContended()
    {
        return clock.now();
    }

    /**
     * @return a receive timestamp, with two threads sharing the clock.
     */
    @Benchmark
    @Threads(2)
    @Fork(3)
    @Measurement(iterations = 8, time = 1)
    public long updateContended()
    {
        return clock.update(remote);
    }

    /**
     * @param cached a clock whose physical source is a {@link CachedEpochClock} kept current by a daemon thread.
     * @return a timestamp for a local or send event.
     */
    @Benchmark
    public long nowCachedClock(final CachedClockState cached)
    {
        return cached.clock.now();
    }

    /**
     * An HLC over a {@link CachedEpochClock} that a background thread sets from the system clock every
     * 100 µs: the design for callers who can afford a coarse, cheap physical read.
     */
    @State(Scope.Benchmark)
    public static class CachedClockState
    {
        private final CachedEpochClock cachedClock = new CachedEpochClock();
        private volatile boolean running;
        private Thread updater;
        AtomicHybridClock clock;

        /**
         * Starts the updater thread and builds the clock.
         */
        @Setup(Level.Trial)
        public void start()
        {
            cachedClock.update(System.currentTimeMillis());
            running = true;
            updater = new Thread(
                () ->
                {
                    while (running)
                    {
                        cachedClock.update(System.currentTimeMillis());
                        LockSupport.parkNanos(100_000);
                    }
                },
                "cached-epoch-clock-updater");
            updater.setDaemon(true);
            updater.start();
            clock = AtomicHybridClock.builder().epochClock(cachedClock).build();
        }

        /**
         * Stops the updater thread.
         *
         * @throws InterruptedException if interrupted while joining it.
         */
        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            running = false;
            updater.join();
        }
    }
}
