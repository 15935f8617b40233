package dev.ordo.clocks.monitor;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ParameterGenerator;
import org.jetbrains.lincheck.datastructures.RandomProvider;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Lincheck's model checker runs {@code stamp}/{@code receive} for one peer from two threads under every
 * interleaving it reaches and checks each result (the echo and hold written, whether a round trip was
 * accepted, the counters) against some sequential order of the same calls. The clock readings are operation
 * parameters, so a thread's readings may be older than another's receipt (the stale-stamp case), and the
 * peer's replies echo readings from the same set (this header's salt read by reflection), stamped yet or not.
 */
@Param(name = "mono", gen = ClockExchangeHeaderLincheckTest.Readings.class)
public class ClockExchangeHeaderLincheckTest
{
    private static final long BASE = 1_800_000_000_000_000_000L;
    private static final long OFFSET = 350_000_000L;

    private final PeerClockMonitor monitor = PeerClockMonitor.builder().peers(1).build();
    private final ClockExchangeHeader header = new ClockExchangeHeader(monitor);
    private final long salt = saltOf(header);

    /** A fresh header and monitor. */
    public ClockExchangeHeaderLincheckTest()
    {
    }

    @Operation
    public String stamp(@Param(name = "mono") final long mono)
    {
        final byte[] bytes = new byte[32];
        // the ByteBuffer path: Lincheck 3.7 does not support the byte[] path's byte-array-view VarHandle
        header.stamp(0, ByteBuffer.wrap(bytes), 0, BASE + mono, mono);
        final ByteBuffer b = ByteBuffer.wrap(bytes);
        return b.getLong(16) + "/" + b.getLong(24);
    }

    /** A reply, held 0, echoing this header's stamp read at {@code echoed} (whether or not it was made yet). */
    @Operation
    public boolean receive(@Param(name = "mono") final long mono, @Param(name = "mono") final long echoed)
    {
        final byte[] bytes = new byte[32];
        ByteBuffer.wrap(bytes).putLong(0, BASE + OFFSET + mono - 1).putLong(8, mono + 7).putLong(16, echoed + salt)
            .putLong(24, 0);
        return header.receive(0, ByteBuffer.wrap(bytes), 0, BASE + mono, mono);
    }

    @Operation
    public String counters()
    {
        // both under the header's lock (one snapshot); monitor.observations() is left out: receive feeds the
        // monitor after releasing the header's lock, so the pair is not one atomic step (documented: two locks)
        synchronized (header)
        {
            return header.staleStamps() + "/" + header.rejectedEchoes();
        }
    }

    private static long saltOf(final ClockExchangeHeader header)
    {
        try
        {
            final java.lang.reflect.Field field = ClockExchangeHeader.class.getDeclaredField("salt");
            field.setAccessible(true);
            return field.getLong(header);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void stampAndReceiveShouldBeLinearizableUnderEveryInterleaving()
    {
        new ModelCheckingOptions()
            .iterations(10)
            .invocationsPerIteration(1_000)
            .threads(2)
            .actorsPerThread(2)
            .actorsBefore(1)
            .actorsAfter(1)
            .check(getClass());
    }

    /** Monotonic readings from a few values, so readings collide and go backwards across threads. */
    public static final class Readings implements ParameterGenerator<Long>
    {
        private static final long[] VALUES = {10, 20, 30, 40, 1_000_000, 1_000_010};
        private final SplittableRandom random = new SplittableRandom(20261202L);

        /**
         * @param randomProvider unused: the order is seeded here, so runs repeat.
         * @param configuration  unused.
         */
        public Readings(final RandomProvider randomProvider, final String configuration)
        {
        }

        @Override
        public Long generate()
        {
            return VALUES[random.nextInt(VALUES.length)];
        }
    }
}
