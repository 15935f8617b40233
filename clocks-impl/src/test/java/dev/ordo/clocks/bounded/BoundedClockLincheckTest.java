package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.TimeInterval;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lincheck's model checker runs bounded-clock reads on a {@link DriftErrorBound} against the sync daemon's
 * actions, from two threads, under every interleaving it reaches (switching threads between any two
 * shared-memory accesses: the snapshot's read, the real-time clock's error, the monotonic clock, the check).
 * True time stands still at {@code T}; the daemon is honest at every instant (the source's current bound always
 * covers the real-time clock's current error), and its actions are serialized with each other, as one daemon's
 * are:
 * <ul>
 *     <li>{@link #narrowerSync()}: steps the clock to true time, then publishes a 1 ms bound (the race that was
 *     open: a reading taken before the step, judged by the new bound);</li>
 *     <li>{@link #widerBound()}: publishes a 5 s bound, then the clock moves 3 s ahead;</li>
 *     <li>{@link #disruption()}: reports a disruption, then the clock jumps an hour ahead.</li>
 * </ul>
 * Each read returns the number of guarantees it broke (an interval without {@code T}; {@code after(T)} or
 * {@code before(T)} true); the sequential specification ({@link NothingBroken}) is "always 0". Before the read
 * order took the source's snapshot first, {@link #now()} racing {@link #narrowerSync()} failed here. Lincheck
 * creates the class reflectively, so it is public.
 */
public class BoundedClockLincheckTest
{
    private static final long T_NS = 1_800_000_000_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clockErrorNs = new AtomicLong(800 * MS);
    private final AtomicLong monoNs = new AtomicLong(1_000 * SECOND);
    private final Object daemon = new Object();
    private final DriftErrorBound source = DriftErrorBound.builder().monotonicClock(monoNs::get).build();
    private final ErrorBoundedClock clock =
        new ErrorBoundedClock(() -> T_NS + clockErrorNs.get(), monoNs::get, source);

    /** The clock 800 ms ahead, and a sync that says so honestly (900 ms). */
    public BoundedClockLincheckTest()
    {
        source.updateBound(900 * MS, monoNs.get());
    }

    @Operation
    public int now()
    {
        final TimeInterval interval = clock.now(new TimeInterval());
        return interval.earliestNs() <= T_NS && T_NS <= interval.latestNs() ? 0 : 1;
    }

    @Operation
    public int afterAndBefore()
    {
        return (clock.after(T_NS) ? 1 : 0) + (clock.before(T_NS) ? 1 : 0);
    }

    @Operation
    public int narrowerSync()
    {
        synchronized (daemon)
        {
            monoNs.addAndGet(MS);
            clockErrorNs.set(0);
            source.updateBound(MS, monoNs.get());
            return 0;
        }
    }

    @Operation
    public int widerBound()
    {
        synchronized (daemon)
        {
            monoNs.addAndGet(MS);
            if (clockErrorNs.get() > 5 * SECOND)
            {
                clockErrorNs.set(0); // after a disruption: the daemon steps the clock before it publishes
            }
            source.updateBound(5 * SECOND, monoNs.get());
            clockErrorNs.set(3 * SECOND);
            return 0;
        }
    }

    @Operation
    public int disruption()
    {
        synchronized (daemon)
        {
            monoNs.addAndGet(MS);
            source.markDisrupted(monoNs.get());
            clockErrorNs.set(3_600 * SECOND);
            return 0;
        }
    }

    @Test
    void readsShouldHoldTrueTimeWhateverTheDaemonDoesBetweenTheirSteps()
    {
        new ModelCheckingOptions()
            .iterations(20)
            .invocationsPerIteration(400)
            .threads(2)
            .actorsPerThread(3)
            .actorsBefore(1)
            .actorsAfter(1)
            .sequentialSpecification(NothingBroken.class)
            .check(getClass());
    }

    /** The sequential specification: no operation breaks a guarantee. */
    public static final class NothingBroken
    {
        /** Created by Lincheck. */
        public NothingBroken()
        {
        }

        /** @return 0. */
        public int now()
        {
            return 0;
        }

        /** @return 0. */
        public int afterAndBefore()
        {
            return 0;
        }

        /** @return 0. */
        public int narrowerSync()
        {
            return 0;
        }

        /** @return 0. */
        public int widerBound()
        {
            return 0;
        }

        /** @return 0. */
        public int disruption()
        {
            return 0;
        }
    }
}
