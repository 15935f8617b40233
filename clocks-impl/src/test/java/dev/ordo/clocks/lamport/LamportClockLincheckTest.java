package dev.ordo.clocks.lamport;

import dev.ordo.clocks.api.ClockOverflowException;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ParameterGenerator;
import org.jetbrains.lincheck.datastructures.RandomProvider;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/**
 * Lincheck's model checker runs {@code tick}/{@code update}/{@code current} from several threads under every
 * interleaving it can reach (switching threads between any two shared-memory accesses) and checks each
 * result against some sequential order of the same calls (linearizability). The received values include the
 * extreme ones: just below the fast-path limit, just below and at the clock's largest value, and
 * {@code Long.MAX_VALUE - 1}, the update that wrapped a racing tick to {@code Long.MIN_VALUE} before the fix
 * (issue 10 item 1). Results are returned as numbers; an overflow is the code {@link #OVERFLOW}. Lincheck
 * creates the class reflectively, so it and its constructor are public.
 */
@Param(name = "received", gen = LamportClockLincheckTest.ExtremeReceived.class)
public class LamportClockLincheckTest
{
    static final long OVERFLOW = -1;

    private final AtomicLamportClock clock = new AtomicLamportClock(AtomicLamportClock.FAST_PATH_LIMIT - 3);

    /** A clock three ticks below the fast-path limit. */
    public LamportClockLincheckTest()
    {
    }

    @Operation
    public long tick()
    {
        try
        {
            return clock.tick();
        }
        catch (final ClockOverflowException ex)
        {
            return OVERFLOW;
        }
    }

    @Operation
    public long update(@Param(name = "received") final long received)
    {
        try
        {
            return clock.update(received);
        }
        catch (final ClockOverflowException ex)
        {
            return OVERFLOW;
        }
    }

    @Operation
    public long current()
    {
        return clock.current();
    }

    @Test
    void tickAndUpdateNearTheTopShouldBeLinearizableUnderEveryInterleaving()
    {
        new ModelCheckingOptions()
            .iterations(40)
            .invocationsPerIteration(2_000)
            .threads(2)
            .actorsPerThread(2)
            .actorsBefore(1)
            .actorsAfter(1)
            .check(getClass());
    }

    /** Received values around every limit of the clock, in a seeded order. */
    public static final class ExtremeReceived implements ParameterGenerator<Long>
    {
        private static final long[] VALUES = {
            1, AtomicLamportClock.FAST_PATH_LIMIT - 2, AtomicLamportClock.FAST_PATH_LIMIT,
            AtomicLamportClock.MAX_VALUE - 2, AtomicLamportClock.MAX_VALUE - 1, AtomicLamportClock.MAX_VALUE,
            Long.MAX_VALUE - 1,
        };
        private final SplittableRandom random = new SplittableRandom(20261202L);

        /**
         * @param randomProvider unused: the order is seeded here, so runs repeat.
         * @param configuration  unused.
         */
        public ExtremeReceived(final RandomProvider randomProvider, final String configuration)
        {
        }

        @Override
        public Long generate()
        {
            return VALUES[random.nextInt(VALUES.length)];
        }
    }
}
