package dev.ordo.clocks.monitor;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Red-team cases for {@link ClockExchangeHeader} and the monitor behind it: hostile values at the ends of the
 * long range and racing threads, each written as a deterministic schedule.
 */
class ClockHeaderRedTeamTest
{
    private static final long MS = 1_000_000L;
    private static final long BASE = 1_800_000_000_000_000_000L;

    private static byte[] header(final long transmitEpochNs, final long transmitMonoNs, final long echoMonoNs,
        final long holdNs)
    {
        final byte[] bytes = new byte[32];
        ByteBuffer.wrap(bytes).putLong(0, transmitEpochNs).putLong(8, transmitMonoNs).putLong(16, echoMonoNs)
            .putLong(24, holdNs);
        return bytes;
    }

    private static long echoOf(final byte[] stamped)
    {
        return ByteBuffer.wrap(stamped).getLong(8);
    }

    /**
     * A peer whose header carries a real-time reading near the ends of the long range (a corrupted clock, or a
     * hostile peer): with a genuine echo and a hold within the round trip, the exchange passed every check,
     * and the offset's sum wrapped. A peer 2^63 ns (292 years) behind was recorded 0.5 ms from this node's
     * clock with a 2 ms bound: in step, a vote for HEALTHY.
     */
    @Test
    void aTransmitTimeNearTheEndsOfTheLongRangeShouldBeDroppedNotWrapped()
    {
        final long[][] cases = {
            // transmitEpochNs, holdNs
            {Long.MIN_VALUE + BASE, 0},          // T3 − T4 overflows: recorded as -0.5 ms
            {Long.MAX_VALUE, 0},                 // the offset's sum overflows
            {Long.MIN_VALUE + 5, 10},            // T2 = T3 − hold wraps to near Long.MAX_VALUE
            {Long.MIN_VALUE, 0},
        };
        for (final long[] c : cases)
        {
            final PeerClockMonitor monitor = PeerClockMonitor.builder().peers(1).build();
            final ClockExchangeHeader header = new ClockExchangeHeader(monitor);
            final byte[] sent = new byte[32];
            header.stamp(0, sent, 0, BASE, 0);
            final boolean accepted = header.receive(0, header(c[0], 7, echoOf(sent), c[1]), 0, 32, BASE + MS, MS);
            if (accepted)
            {
                // the truth: peer's clock at its transmit minus this node's clock then (within the round trip)
                final BigInteger truth = BigInteger.valueOf(c[0]).subtract(BigInteger.valueOf(BASE));
                final BigInteger error = truth.subtract(BigInteger.valueOf(monitor.peerOffsetNs(0))).abs();
                assertThat(error).as("transmit %d: estimate %d ± %d", c[0], monitor.peerOffsetNs(0),
                    monitor.peerBoundNs(0)).isLessThanOrEqualTo(BigInteger.valueOf(monitor.peerBoundNs(0)));
            }
            assertThat(accepted).as("transmit %d dropped", c[0]).isFalse();
            assertThat(monitor.observations()).isZero();
            assertThat(monitor.isPeerFresh(0)).isFalse();
            assertThat(monitor.rejectedObservations() + header.rejectedEchoes()).as("counted").isEqualTo(1);
        }
    }
}
