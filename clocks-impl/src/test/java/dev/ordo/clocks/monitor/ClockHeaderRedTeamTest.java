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

    /**
     * Two threads stamp for the same peer: the first reads its monotonic clock at 10 ms, the second reads at
     * 20 ms and takes the lock first, so the header's "first stamp" is 20 ms; then the first stamps with its
     * 10 ms reading. The peer's honest echo of that stamp is one of this header's, but was dropped as made up
     * and counted as a rejected echo.
     */
    @Test
    void anHonestEchoOfAStampReadBeforeTheFirstStampTookTheLockShouldBeUsed()
    {
        final long offsetNs = 350 * MS;
        final PeerClockMonitor a = PeerClockMonitor.builder().peers(1).build();
        final ClockExchangeHeader ha = new ClockExchangeHeader(a);
        final ClockExchangeHeader hb = new ClockExchangeHeader(PeerClockMonitor.builder().peers(1).build());
        final byte[] early = new byte[32];
        final byte[] late = new byte[32];
        final byte[] reply = new byte[32];
        ha.stamp(0, late, 0, BASE + 20 * MS, 20 * MS);   // thread 2: read at 20 ms, stamps first
        ha.stamp(0, early, 0, BASE + 10 * MS, 10 * MS);  // thread 1: read at 10 ms, stamps second
        hb.receive(0, early, 0, 32, BASE + offsetNs + 30 * MS, 30 * MS); // only the early message arrives
        hb.stamp(0, reply, 0, BASE + offsetNs + 31 * MS, 31 * MS);
        assertThat(ha.receive(0, reply, 0, 32, BASE + 40 * MS, 40 * MS)).isTrue();
        assertThat(ha.rejectedEchoes()).isZero();
        assertThat(Math.abs(a.peerOffsetNs(0) - offsetNs)).isLessThanOrEqualTo(a.peerBoundNs(0));
    }

    /**
     * Node A restarts and its monotonic clock starts again from 0 (a reboot, a restored checkpoint, a simulated
     * clock): its old incarnation's readings are no longer older than the new one's. True time t; A's real-time
     * clock reads BASE + t, B's BASE + t + 350 ms. A's old incarnation stamps at t = 1000 ms (monotonic 1000 ms);
     * the message is delayed; A restarts at t = 1100 ms (monotonic 0 there) and stamps at monotonic 100 ms.
     * B receives the old message at t = 2050 ms and answers at 2051 ms; the answer reaches the new A at
     * t = 2110 ms, monotonic 1010 ms. The echo (1000 ms) lies between the new incarnation's first stamp and
     * now, so it was taken as the new A's stamp of t = 2100 ms, after B had received the message: an estimate
     * 54.5 ms off with a 6.5 ms bound.
     */
    @Test
    void anEchoOfAPreviousIncarnationsStampShouldBeDroppedEvenIfTheMonotonicClockRestarted()
    {
        final long offsetNs = 350 * MS;
        final PeerClockMonitor b = PeerClockMonitor.builder().peers(1).build();
        final ClockExchangeHeader hb = new ClockExchangeHeader(b);
        final ClockExchangeHeader oldA = new ClockExchangeHeader(PeerClockMonitor.builder().peers(1).build());
        final byte[] old = new byte[32];
        oldA.stamp(0, old, 0, BASE + 1000 * MS, 1000 * MS);          // t = 1000 ms, delayed in the network
        final PeerClockMonitor a = PeerClockMonitor.builder().peers(1).build();
        final ClockExchangeHeader newA = new ClockExchangeHeader(a);   // t = 1100 ms: monotonic 0
        newA.stamp(0, new byte[32], 0, BASE + 1200 * MS, 100 * MS);   // t = 1200 ms, lost
        hb.receive(0, old, 0, 32, BASE + offsetNs + 2050 * MS, 2050 * MS);
        final byte[] reply = new byte[32];
        hb.stamp(0, reply, 0, BASE + offsetNs + 2051 * MS, 2051 * MS);
        final boolean accepted = newA.receive(0, reply, 0, 32, BASE + 2110 * MS, 1010 * MS);
        if (accepted)
        {
            assertThat(Math.abs(a.peerOffsetNs(0) - offsetNs)).as("estimate %d ± %d", a.peerOffsetNs(0),
                a.peerBoundNs(0)).isLessThanOrEqualTo(a.peerBoundNs(0));
        }
        assertThat(accepted).isFalse();
        assertThat(newA.rejectedEchoes()).isEqualTo(1);
        assertThat(a.observations()).isZero();
    }

    /**
     * The only negative hold a header writes is −1 (no echo). Any other (Long.MIN_VALUE, −2) cannot come from a
     * ClockExchangeHeader: it was dropped, but silently, as if it were "no echo", and not counted.
     */
    @Test
    void aNegativeHoldOtherThanNoEchoShouldBeCountedAsRejected()
    {
        for (final long hold : new long[] {Long.MIN_VALUE, -2})
        {
            final PeerClockMonitor monitor = PeerClockMonitor.builder().peers(1).build();
            final ClockExchangeHeader header = new ClockExchangeHeader(monitor);
            final byte[] sent = new byte[32];
            header.stamp(0, sent, 0, BASE, 0);
            assertThat(header.receive(0, header(BASE, 7, echoOf(sent), hold), 0, 32, BASE + MS, MS)).isFalse();
            assertThat(header.rejectedEchoes()).as("hold %d", hold).isEqualTo(1);
            assertThat(monitor.observations()).isZero();
        }
        final PeerClockMonitor monitor = PeerClockMonitor.builder().peers(1).build();
        final ClockExchangeHeader header = new ClockExchangeHeader(monitor);
        assertThat(header.receive(0, header(BASE, 7, 0, -1), 0, 32, BASE + MS, MS)).isFalse();
        assertThat(header.rejectedEchoes()).as("-1: no echo, not hostile").isZero();
    }

    /**
     * Stamping into a read-only buffer threw only after the header had updated its state: a stale stamp was
     * counted (and its reading remembered as the earliest stamped) for a header never written.
     */
    @Test
    void aStampIntoAReadOnlyBufferShouldChangeNothing()
    {
        final PeerClockMonitor monitor = PeerClockMonitor.builder().peers(1).build();
        final ClockExchangeHeader header = new ClockExchangeHeader(monitor);
        final byte[] sent = new byte[32];
        header.stamp(0, sent, 0, BASE, 10 * MS);
        header.receive(0, header(BASE, 7, echoOf(sent), 0), 0, 32, BASE + 2 * MS, 12 * MS);
        final ByteBuffer readOnly = ByteBuffer.allocate(32).asReadOnlyBuffer();
        // A reading from before the receipt: a writable buffer would get a stamp without an echo, counted stale.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> header.stamp(0, readOnly, 0, BASE, 11 * MS))
            .isInstanceOf(java.nio.ReadOnlyBufferException.class);
        assertThat(header.staleStamps()).as("nothing counted").isZero();
        header.stamp(0, ByteBuffer.allocate(32), 0, BASE, 11 * MS);
        assertThat(header.staleStamps()).as("the same stamp into a writable buffer").isEqualTo(1);
    }
}
