package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.HybridClock;
import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.UpperBoundStore;
import org.agrona.concurrent.CachedEpochClock;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ParameterGenerator;
import org.jetbrains.lincheck.datastructures.RandomProvider;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Lincheck's model checker runs {@code now}/{@code update}/{@code maintainUpperBound} and physical-clock
 * steps from two threads under every interleaving it reaches (switching threads between any two
 * shared-memory accesses, including inside the persist lock). Each operation checks the clock's guarantees
 * on its own result and returns the number of broken ones; the sequential specification
 * ({@link EveryGuaranteeHolds}) is "always 0", so any execution that breaks a guarantee, interleaved or
 * not, fails the test with its trace:
 * <ul>
 *     <li>the result is below the bound the store made durable (issue 10 item 3: adders racing a slow path
 *     that moved the state next to the bound issued at or above it);</li>
 *     <li>the result is unique and above every result the same thread had before;</li>
 *     <li>the result is not below the physical time read just before the call (physical time only moves
 *     forward here; steps back are jcstress's {@code HlcBackwardStepIsReportedOnce}); an update's result is
 *     above its remote.</li>
 * </ul>
 * The clock starts three values below its refresh point with a 2 ms window, and the remote values include
 * the last value below the durable bound. Lincheck creates the class reflectively, so it is public.
 */
@Param(name = "remoteOffset", gen = HybridClockLincheckTest.RemoteOffsets.class)
public class HybridClockLincheckTest
{
    private static final long T_MS = 1_795_000_000_000L;
    private static final HybridTimestampFormat FORMAT = HybridTimestampFormat.MILLIS;

    private final CachedEpochClock physical = new CachedEpochClock();
    private final MemoryStore store = new MemoryStore();
    private final AtomicHybridClock clock;
    private final ConcurrentHashMap<Long, Boolean> issued = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Thread, Long> lastPerThread = new ConcurrentHashMap<>();

    /** A clock on a hand-moved physical clock and an in-memory store, just below its refresh point. */
    public HybridClockLincheckTest()
    {
        physical.update(T_MS);
        clock = AtomicHybridClock.builder()
            .epochClock(physical)
            .upperBoundStore(store, AtomicHybridClock.StoreStart.FIRST_START)
            .persistWindow(2, TimeUnit.MILLISECONDS)
            .initialTimestamp(FORMAT.pack(T_MS + 1, 0) - 3)
            .build();
    }

    @Operation
    public int now()
    {
        final long physicalBefore = physical.time();
        final long ts = clock.now();
        return broken(ts, physicalBefore) + (Long.compareUnsigned(ts, store.bound) < 0 ? 0 : 1);
    }

    @Operation
    public int update(@Param(name = "remoteOffset") final long remoteOffset)
    {
        final long remote = store.bound + remoteOffset;
        final long physicalBefore = physical.time();
        final long ts = clock.tryUpdate(remote);
        if (HybridClock.isRejected(ts))
        {
            return 0; // too far ahead of physical time (checked by the JUnit tests)
        }
        return broken(ts, physicalBefore) + (ts > remote ? 0 : 1) + (ts < store.bound ? 0 : 1);
    }

    @Operation
    public int maintain()
    {
        clock.maintainUpperBound();
        return 0;
    }

    @Operation
    public int physicalStepsForward()
    {
        physical.advance(1);
        return 0;
    }

    private int broken(final long ts, final long physicalBefore)
    {
        int broken = 0;
        if (issued.put(ts, Boolean.TRUE) != null)
        {
            broken++;
        }
        final Long last = lastPerThread.put(Thread.currentThread(), ts);
        if (last != null && ts <= last)
        {
            broken++;
        }
        if (FORMAT.physical(ts) < physicalBefore)
        {
            broken++;
        }
        return broken;
    }

    @Test
    void boundUniquenessAndPhysicalTimeShouldHoldUnderEveryInterleaving()
    {
        new ModelCheckingOptions()
            .iterations(12)
            .invocationsPerIteration(400)
            .threads(2)
            .actorsPerThread(3)
            .actorsBefore(1)
            .actorsAfter(0)
            .sequentialSpecification(EveryGuaranteeHolds.class)
            .check(getClass());
    }

    /** The sequential specification: every operation breaks nothing. */
    public static final class EveryGuaranteeHolds
    {
        /** Created by Lincheck. */
        public EveryGuaranteeHolds()
        {
        }

        /** @return 0. */
        public int now()
        {
            return 0;
        }

        /**
         * @param remoteOffset unused.
         * @return 0.
         */
        public int update(final long remoteOffset)
        {
            return 0;
        }

        /** @return 0. */
        public int maintain()
        {
            return 0;
        }

        /** @return 0. */
        public int physicalStepsForward()
        {
            return 0;
        }
    }

    /** Remote values relative to the durable bound: the last value below it, and a few further back. */
    public static final class RemoteOffsets implements ParameterGenerator<Long>
    {
        private static final long[] VALUES = {-2, -3, -(1L << 16), -(3L << 16)};
        private final SplittableRandom random = new SplittableRandom(20261202L);

        /**
         * @param randomProvider unused: the order is seeded here, so runs repeat.
         * @param configuration  unused.
         */
        public RemoteOffsets(final RandomProvider randomProvider, final String configuration)
        {
        }

        @Override
        public Long generate()
        {
            return VALUES[random.nextInt(VALUES.length)];
        }
    }

    /** A store in memory; the clock calls it under its persist lock. */
    static final class MemoryStore implements UpperBoundStore
    {
        volatile long bound = NONE;

        @Override
        public long load()
        {
            return bound;
        }

        @Override
        public void store(final long upperBound)
        {
            bound = upperBound;
        }
    }
}
