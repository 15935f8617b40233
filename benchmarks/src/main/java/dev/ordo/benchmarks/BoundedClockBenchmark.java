package dev.ordo.benchmarks;

import dev.ordo.clocks.api.TimeInterval;
import dev.ordo.clocks.bounded.ClockBoundShm;
import dev.ordo.clocks.bounded.DriftErrorBound;
import dev.ordo.clocks.bounded.ErrorBoundedClock;
import dev.ordo.clocks.bounded.FixedErrorBound;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The bounded clock's hot paths on the system clocks, next to the floor in {@link PhysicalClockBenchmark}:
 * {@code now} with a fixed bound, with the drift model and with the ClockBound shared-memory reader (on a
 * segment this benchmark writes to a temp file), {@code after}, and the overshoot of {@code commitWait}.
 *
 * <p>Commit-wait overshoot: {@link #commitWaitOvershoot} commit-waits for a target {@code aheadNs} past its own
 * {@code latestNs} (with a 1 µs bound) and then reads the clock again. The time it had to wait is fixed by the
 * target; what it waited beyond that shows as {@code earliestNs - (target + 1)} on the read right after
 * returning. The {@link Overshoot} counters accumulate that per iteration: JMH prints {@code overshootNs}
 * (sum) and {@code waits} (count) as secondary results (Type.EVENTS); the mean overshoot is
 * {@code overshootNs / waits}. The primary score is the mean time per commit wait (about {@code aheadNs} + 2 µs
 * + overshoot). {@code aheadNs} = 5 µs stays in the spin phase; 500 µs parks first, then spins.
 *
 * <p>Floor: {@link #floorRealTimePlusMonotonicRead} is what every {@code now} must do at least, one read of the
 * real-time clock and one of the monotonic clock (the same Agrona system clocks the bounded clock uses); the
 * runner's table divides the {@code now} rows by it.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar BoundedClockBenchmark -prof gc} (gc.alloc.rate.norm
 * should be 0 B/op for every method). No JVM flag. ClockBound rows: {@link #nowClockBound} with the reader's
 * default refresh interval (each thread reads the segment file once a millisecond and serves the reads in
 * between from its copy), {@link #nowClockBoundEveryRead} with a refresh interval of 0 (every read reads the
 * file: three {@code seek}+{@code read} pairs), the price of a reader that never serves a copy.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class BoundedClockBenchmark
{
    private static final long SECOND = 1_000_000_000L;

    private final TimeInterval interval = new TimeInterval();
    private ErrorBoundedClock fixedClock;
    private ErrorBoundedClock driftClock;
    private ErrorBoundedClock clockBoundClock;
    private ClockBoundShm clockBound;
    private ClockBoundShm clockBoundEveryRead;
    private ErrorBoundedClock clockBoundEveryReadClock;
    private Path segment;
    private long pastNs;

    /**
     * Builds the clocks and a fresh ClockBound segment.
     *
     * @throws Exception if the temp segment cannot be written.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        fixedClock = ErrorBoundedClock.system(new FixedErrorBound(1_000));
        final DriftErrorBound drift = new DriftErrorBound(DriftErrorBound.NTP_PHI_PPB, 3_600 * SECOND, 7_200 * SECOND);
        drift.update(150_000, 400_000, 50_000, SystemNanoClock.INSTANCE.nanoTime());
        driftClock = ErrorBoundedClock.system(drift);


        segment = Files.createTempFile("ordo-clockbound", ".shm");
        final long nowSeconds = SystemNanoClock.INSTANCE.nanoTime() / SECOND;
        final ByteBuffer bytes = ByteBuffer.allocate(ClockBoundShm.SEGMENT_LENGTH).order(ByteOrder.nativeOrder());
        bytes.putInt(ClockBoundShm.MAGIC_0).putInt(ClockBoundShm.MAGIC_1).putInt(ClockBoundShm.SEGMENT_LENGTH)
            .putShort((short)ClockBoundShm.SUPPORTED_VERSION).putShort((short)2)
            .putLong(nowSeconds).putLong(0).putLong(nowSeconds + 3_600).putLong(0)
            .putLong(200_000).putLong(0).putInt(15_000).putInt(1);
        Files.write(segment, bytes.array());
        clockBound = ClockBoundShm.open(segment);
        clockBoundClock = ErrorBoundedClock.system(clockBound);
        clockBoundEveryRead = ClockBoundShm.open(segment, segment.resolveSibling("no-vmclock"),
            ClockBoundShm.DEFAULT_MAX_RETRIES, 0);
        clockBoundEveryReadClock = ErrorBoundedClock.system(clockBoundEveryRead);
        pastNs = fixedClock.now(interval).earliestNs() - SECOND;
    }

    /**
     * @throws Exception if the temp segment cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        clockBound.close();
        clockBoundEveryRead.close();
        Files.deleteIfExists(segment);
    }

    /**
     * The floor of every {@code now}: one real-time read plus one monotonic read.
     *
     * @return the sum of both readings (so neither read can be eliminated).
     */
    @Benchmark
    public long floorRealTimePlusMonotonicRead()
    {
        return SystemEpochNanoClock.INSTANCE.nanoTime() + SystemNanoClock.INSTANCE.nanoTime();
    }

    /**
     * @return {@code now} with a fixed bound.
     */
    @Benchmark
    public TimeInterval nowFixed()
    {
        return fixedClock.now(interval);
    }

    /**
     * @return {@code now} with the drift model.
     */
    @Benchmark
    public TimeInterval nowDrift()
    {
        return driftClock.now(interval);
    }

    /**
     * @return {@code now} on the ClockBound shared-memory reader.
     */
    @Benchmark
    public TimeInterval nowClockBound()
    {
        return clockBoundClock.now(interval);
    }

    /**
     * @return {@code now} on a ClockBound reader that reads the segment file on every read (refresh interval 0).
     */
    @Benchmark
    public TimeInterval nowClockBoundEveryRead()
    {
        return clockBoundEveryReadClock.now(interval);
    }

    /**
     * @return {@code after} for a time one second in the past (true).
     */
    @Benchmark
    public boolean after()
    {
        return fixedClock.after(pastNs);
    }

    /**
     * @return {@code before} for a time one second in the past (false).
     */
    @Benchmark
    public boolean before()
    {
        return fixedClock.before(pastNs);
    }

    /**
     * Per-thread overshoot counters, reported by JMH as secondary results.
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Overshoot
    {
        /** Sum of overshoot, ns, over the iteration. */
        public long overshootNs;
        /** Number of commit waits in the iteration. */
        public long waits;

        /**
         * Resets the counters for each iteration.
         */
        @Setup(Level.Iteration)
        public void reset()
        {
            overshootNs = 0;
            waits = 0;
        }
    }

    /**
     * The commit-wait target distance (its own state, so only the commit-wait benchmark is parameterised).
     */
    @State(Scope.Thread)
    public static class Target
    {
        /** How far past its own {@code latestNs} the commit-wait target is, ns. */
        @Param({"5000", "500000"})
        public long aheadNs;
    }

    /**
     * Commit-waits for {@code latestNs + aheadNs}, then records how far past the necessary point it returned.
     *
     * @param target    the distance of the target.
     * @param overshoot the counters.
     * @return the overshoot of this wait, ns.
     * @throws InterruptedException never in practice.
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long commitWaitOvershoot(final Target target, final Overshoot overshoot) throws InterruptedException
    {
        final long targetNs = fixedClock.now(interval).latestNs() + target.aheadNs;
        fixedClock.commitWait(targetNs);
        final long overshootNs = fixedClock.now(interval).earliestNs() - (targetNs + 1);
        overshoot.overshootNs += overshootNs;
        overshoot.waits++;
        return overshootNs;
    }
}
