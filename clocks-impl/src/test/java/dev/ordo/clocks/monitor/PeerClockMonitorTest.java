package dev.ordo.clocks.monitor;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBoundSource;
import dev.ordo.clocks.api.ErrorBounds;
import dev.ordo.clocks.api.TimeInterval;
import dev.ordo.clocks.bounded.ErrorBoundedClock;
import dev.ordo.clocks.testing.AllocationMeter;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerClockMonitorTest
{
    private static final long MS = 1_000_000L;

    @Test
    void everyEstimateShouldBeWithinItsBoundOfTheTrueOffsetWhateverTheDelaysAndRates()
    {
        final long seed = Seeds.seed("monitor estimates cover the truth");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++)
        {
            final int n = random.nextInt(2, 8);
            final long[] offsets = new long[n];
            final long[] rates = new long[n];
            for (int i = 0; i < n; i++)
            {
                offsets[i] = random.nextLong(-3_000 * MS, 3_000 * MS);
                rates[i] = random.nextLong(-5_000, 5_001); // within ±5 ppm, so any two within PHI = 15 ppm
            }
            final long resolution = random.nextBoolean() ? 0 : random.nextLong(1, 1_000);
            final SimulatedCluster cluster = new SimulatedCluster(offsets, rates, random,
                random.nextLong(1_000, 20 * MS), node -> PeerClockMonitor.builder().clockResolutionNs(resolution)
                .maxRoundTripNs(10_000 * MS));
            cluster.gossip(random.nextInt(1, 6));
            for (int node = 0; node < n; node++)
            {
                final PeerClockMonitor monitor = cluster.monitors[node];
                monitor.evaluate(cluster.monoNs(node));
                for (int other = 0; other < n; other++)
                {
                    if (other == node)
                    {
                        continue;
                    }
                    final int p = SimulatedCluster.peerIndex(node, other);
                    if (!monitor.isPeerFresh(p))
                    {
                        continue;
                    }
                    final long error = Math.abs(monitor.peerOffsetNs(p) - cluster.trueOffsetNs(node, other));
                    assertThat(error).as("seed %d round %d: node %d's estimate of %d, bound %d", seed, round, node,
                        other, monitor.peerBoundNs(p)).isLessThanOrEqualTo(monitor.peerBoundNs(p));
                }
            }
        }
    }

    @Test
    void theFarOffNodeShouldDeclareItselfOutOfStepAndTheOthersShouldNameIt()
    {
        final long seed = Seeds.seed("monitor verdicts");
        final SplittableRandom random = new SplittableRandom(seed);
        // the cluster test's offsets: n3 and n2 are 430 ms apart, beyond the 400 ms tolerance, yet both healthy
        final long[] offsets = {0, 120 * MS, -80 * MS, 350 * MS, 2_000 * MS};
        final List<String> changes = new ArrayList<>();
        final SimulatedCluster cluster = new SimulatedCluster(offsets, new long[5], random, 200_000,
            node -> PeerClockMonitor.builder().listener((previous, current, m) ->
                changes.add("n" + node + " " + previous + "->" + current)));
        cluster.gossip(10);
        for (int node = 0; node < 4; node++)
        {
            assertThat(cluster.monitors[node].verdict()).as("seed %d: n%d", seed, node).isEqualTo(ClockVerdict.HEALTHY);
            assertThat(cluster.monitors[node].isPeerOutOfStep(SimulatedCluster.peerIndex(node, 4))).isTrue();
        }
        assertThat(cluster.monitors[3].isPeerOutOfStep(SimulatedCluster.peerIndex(3, 2))).isTrue();
        assertThat(cluster.monitors[3].outOfStepPeers()).isEqualTo(2);
        assertThat(cluster.monitors[4].verdict()).as("seed %d", seed).isEqualTo(ClockVerdict.OUT_OF_STEP);
        assertThat(cluster.monitors[4].outOfStepPeers()).isEqualTo(4);
        assertThat(changes).as("seed %d: one change per node, never a false alarm", seed)
            .containsExactlyInAnyOrder("n0 UNKNOWN->HEALTHY", "n1 UNKNOWN->HEALTHY", "n2 UNKNOWN->HEALTHY",
                "n3 UNKNOWN->HEALTHY", "n4 UNKNOWN->OUT_OF_STEP");
    }

    @Test
    void tooFewPeersShouldGiveUnknownAndStalePeersShouldExpire()
    {
        final PeerClockMonitor monitor = PeerClockMonitor.builder().peers(4).clockResolutionNs(0)
            .staleAfterNs(1_000 * MS).build();
        final long t = 1_000_000_000_000L;
        // two far-off peers heard first (right after start): not yet a majority of the 5-node cluster
        assertThat(monitor.observe(0, t, t + 900 * MS, t + 900 * MS, t + 2, 0)).isTrue();
        assertThat(monitor.observe(1, t, t + 950 * MS, t + 950 * MS, t + 2, 0)).isTrue();
        assertThat(monitor.verdict()).isEqualTo(ClockVerdict.UNKNOWN);
        assertThat(monitor.outOfStepPeers()).isEqualTo(2);
        assertThat(monitor.observe(2, t, t + 1, t + 1, t + 2, 0)).isTrue();
        assertThat(monitor.verdict()).isEqualTo(ClockVerdict.UNKNOWN);
        assertThat(monitor.observe(3, t, t + 1, t + 1, t + 2, 0)).isTrue();
        assertThat(monitor.verdict()).isEqualTo(ClockVerdict.HEALTHY);
        assertThat(monitor.evaluate(1_000 * MS)).isEqualTo(ClockVerdict.HEALTHY);
        assertThat(monitor.evaluate(1_000 * MS + 1)).isEqualTo(ClockVerdict.UNKNOWN);
        assertThat(monitor.freshPeers()).isZero();
        assertThat(monitor.verdictChanges()).isEqualTo(2);
    }

    @Test
    void anIntervalStraddlingTheThresholdShouldCountAsInStep()
    {
        final PeerClockMonitor monitor = PeerClockMonitor.builder().peers(2).maxOffsetNs(500 * MS)
            .clockResolutionNs(0).build();
        assertThat(monitor.toleratedOffsetNs()).isEqualTo(400 * MS);
        final long t = 5_000_000_000L;
        // offset 405 ms, delay 20 ms: the interval [395, 415] ms straddles 400 ms
        monitor.observe(0, t, t + 415 * MS, t + 415 * MS, t + 20 * MS, 0);
        monitor.observe(1, t, t + 415 * MS, t + 415 * MS, t + 20 * MS, 0);
        assertThat(monitor.isPeerOutOfStep(0)).isFalse();
        assertThat(monitor.verdict()).isEqualTo(ClockVerdict.HEALTHY);
        // a tighter measurement shows both certainly beyond: out of step
        monitor.observe(0, t, t + 406 * MS, t + 406 * MS, t + 2 * MS, 1);
        monitor.observe(1, t, t + 406 * MS, t + 406 * MS, t + 2 * MS, 1);
        assertThat(monitor.verdict()).isEqualTo(ClockVerdict.OUT_OF_STEP);
    }

    @Test
    void theFilterShouldKeepTheSmallestAgedBoundInItsWindow()
    {
        final PeerClockMonitor monitor = PeerClockMonitor.builder().peers(1).window(3).clockResolutionNs(0).build();
        final long t = 7_000_000_000L;
        monitor.observe(0, t, t + 10 * MS, t + 10 * MS, t + 2 * MS, 0);     // θ = 9 ms, bound ≈ 1 ms
        monitor.observe(0, t, t + 30 * MS, t + 30 * MS, t + 40 * MS, 1);    // θ = 10 ms, bound ≈ 20 ms
        assertThat(monitor.peerOffsetNs(0)).isEqualTo(9 * MS);
        monitor.observe(0, t, t + 30 * MS, t + 30 * MS, t + 40 * MS, 2);
        monitor.observe(0, t, t + 30 * MS, t + 30 * MS, t + 40 * MS, 3);    // the 1 ms sample left the window
        assertThat(monitor.peerOffsetNs(0)).isEqualTo(10 * MS);
        assertThat(monitor.peerBoundNs(0)).isBetween(20 * MS, 20 * MS + 10_000);
    }

    @Test
    void impossibleExchangesShouldBeRejectedAndLeaveTheStateUnchanged()
    {
        final PeerClockMonitor monitor = PeerClockMonitor.builder().peers(2).clockResolutionNs(1_000).build();
        final long t = 9_000_000_000L;
        monitor.observe(0, t, t + 5, t + 5, t + 10, 0);
        final String before = monitor.toString() + monitor.peerOffsetNs(0) + "/" + monitor.peerBoundNs(0);
        assertThat(monitor.observe(0, t, t, t, t - 1, 1)).as("negative round trip").isFalse();
        assertThat(monitor.observe(0, t, t + 1_000 * MS, t, t + 10, 1)).as("peer sent before it received").isFalse();
        assertThat(monitor.observe(0, t, t, t + 10 * MS, t + MS, 1)).as("negative delay").isFalse();
        assertThat(monitor.observe(0, t, t, t, t + 801 * MS, 1)).as("round trip over 2 × tolerated").isFalse();
        assertThat(monitor.rejectedObservations()).isEqualTo(4);
        assertThat(monitor.toString() + monitor.peerOffsetNs(0) + "/" + monitor.peerBoundNs(0))
            .isEqualTo(before.replace("rejected=0", "rejected=4"));
        assertThatThrownBy(() -> monitor.observe(2, t, t, t, t, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("peer index 2 is out of range [0, 2)");
        assertThatThrownBy(() -> PeerClockMonitor.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PeerClockMonitor.builder().peers(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void headerShouldRoundTripThroughByteArraysAndBuffersOfEitherOrder()
    {
        final long seed = Seeds.seed("header buffers");
        final SplittableRandom random = new SplittableRandom(seed);
        final PeerClockMonitor a = PeerClockMonitor.builder().peers(1).clockResolutionNs(0).build();
        final PeerClockMonitor b = PeerClockMonitor.builder().peers(1).clockResolutionNs(0).build();
        final ClockExchangeHeader ha = new ClockExchangeHeader(a);
        final ClockExchangeHeader hb = new ClockExchangeHeader(b);
        final long offsetNs = 250 * MS; // b's clock is 250 ms ahead of a's
        final ByteBuffer[] buffers = {ByteBuffer.allocate(40), ByteBuffer.allocateDirect(40).order(ByteOrder.LITTLE_ENDIAN)};
        long now = 1_000_000_000L;
        for (int i = 0; i < 40; i++)
        {
            final int kind = random.nextInt(3);
            final byte[] bytes = new byte[40];
            final ByteBuffer buffer = buffers[random.nextInt(2)];
            final boolean fromA = (i & 1) == 0;
            final ClockExchangeHeader sender = fromA ? ha : hb;
            final ClockExchangeHeader receiver = fromA ? hb : ha;
            final long senderEpoch = now + (fromA ? 0 : offsetNs);
            if (kind == 0)
            {
                sender.stamp(0, bytes, 8, senderEpoch, now);
            }
            else
            {
                sender.stamp(0, buffer, 8, senderEpoch, now);
            }
            now += random.nextLong(1, 5 * MS);
            final long receiverEpoch = now + (fromA ? offsetNs : 0);
            if (kind == 0)
            {
                receiver.receive(0, bytes, 8, 32, receiverEpoch, now);
            }
            else
            {
                receiver.receive(0, buffer, 8, receiverEpoch, now);
            }
            now += random.nextLong(1, 5 * MS);
        }
        assertThat(Math.abs(a.peerOffsetNs(0) - offsetNs)).as("seed %d", seed).isLessThanOrEqualTo(a.peerBoundNs(0));
        assertThat(Math.abs(b.peerOffsetNs(0) + offsetNs)).as("seed %d", seed).isLessThanOrEqualTo(b.peerBoundNs(0));
        assertThat(a.observations()).isGreaterThan(15);
        assertThat(a.peerBoundNs(0)).isLessThan(5 * MS);
    }

    @Test
    void malformedOrForeignHeadersShouldRecordNothing()
    {
        final PeerClockMonitor monitor = PeerClockMonitor.builder().peers(1).build();
        final ClockExchangeHeader header = new ClockExchangeHeader(monitor);
        assertThatThrownBy(() -> header.receive(0, new byte[40], 10, 31, 0, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("clock exchange header truncated: 30 bytes, it needs 32");
        assertThatThrownBy(() -> header.receive(0, ByteBuffer.allocate(20), 0, 0, 0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> header.stamp(0, new byte[31], 0, 0, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        // an echo of a stamp this header never made (a previous incarnation's, or made up) is dropped
        final byte[] bytes = new byte[32];
        final PeerClockMonitor other = PeerClockMonitor.builder().peers(1).build();
        final ClockExchangeHeader peer = new ClockExchangeHeader(other);
        peer.receive(0, stampOf(header, 100), 0, 32, 5_000, 150);
        header.stamp(0, bytes, 0, 1_000, 200);
        peer.stamp(0, bytes, 0, 2_000, 300); // echoes 100, which predates 'header''s first stamp at 200
        assertThat(header.receive(0, bytes, 0, 32, 1_300, 400)).isFalse();
        assertThat(header.rejectedEchoes()).isEqualTo(1);
        assertThat(monitor.observations()).isZero();
    }

    private static byte[] stampOf(final ClockExchangeHeader unused, final long monoNs)
    {
        final byte[] bytes = new byte[32];
        java.nio.ByteBuffer.wrap(bytes).putLong(0, 1_000).putLong(8, monoNs).putLong(16, 0).putLong(24, -1);
        return bytes;
    }

    /**
     * The cluster test's false fence: a pause between the two clock readings a header is stamped or read with.
     * Node B (350 ms ahead of A) answers A's message; B's thread reads its clocks, then stalls 200 ms. With the
     * monotonic reading taken after the real-time one, the header puts B's receive (T2 = T3 − hold) 200 ms too
     * early and the bound shrinks with it: the estimate is off by 200 ms with a 3 ms bound. Read in the
     * documented order (stamp: monotonic first; receive: real time first), the same stall only widens the bound.
     */
    @Test
    void aPauseBetweenTheClockReadingsShouldOnlyWidenTheBoundInTheDocumentedReadOrder()
    {
        final long offsetNs = 350 * MS; // B's clock minus A's; A's real-time clock is the true time + base
        final long base = 1_800_000_000_000_000_000L;
        for (final boolean documentedOrder : new boolean[] {true, false})
        {
            final PeerClockMonitor a = PeerClockMonitor.builder().peers(1).build();
            final ClockExchangeHeader ha = new ClockExchangeHeader(a);
            final ClockExchangeHeader hb = new ClockExchangeHeader(PeerClockMonitor.builder().peers(1).build());
            final byte[] bytes = new byte[32];
            // true time t ns on both (shared) monotonic clocks; real time base + t (A), base + t + offset (B)
            ha.stamp(0, bytes, 0, base, 0);                                        // t = 0: A sends
            hb.receive(0, bytes, 0, 32, base + offsetNs + MS, MS);                 // t = 1 ms: B receives
            // B answers: the readings are taken at 2 ms and 202 ms, a 200 ms stall between them
            final long bEpochNs = base + offsetNs + (documentedOrder ? 202 * MS : 2 * MS);
            final long bMonoNs = documentedOrder ? 2 * MS : 202 * MS;
            hb.stamp(0, bytes, 0, bEpochNs, bMonoNs);
            assertThat(ha.receive(0, bytes, 0, 32, base + 203 * MS, 203 * MS)).isTrue(); // t = 203 ms: A receives
            final long errorNs = Math.abs(a.peerOffsetNs(0) - offsetNs);
            if (documentedOrder)
            {
                assertThat(errorNs).as("documented order: error within the bound").isLessThanOrEqualTo(a.peerBoundNs(0));
                assertThat(a.peerBoundNs(0)).as("the stall counts as delay").isGreaterThan(100 * MS);
            }
            else
            {
                assertThat(a.peerBoundNs(0)).isLessThan(4 * MS);
                assertThat(errorNs).as("other order: 200 ms off, far beyond the bound").isGreaterThan(190 * MS);
            }
        }
    }

    /**
     * A header shared by two threads: one thread reads its clocks to stamp a message, and before its stamp takes
     * the header's lock the other thread receives a newer message from the same peer. The stamp's readings
     * predate that receipt, so it must not echo it (it would claim the peer's message arrived before it was
     * sent, and the peer's estimate would be off by more than its bound); it goes out without an echo.
     */
    @Test
    void aStampWhoseReadingsPredateTheLastReceiptShouldNotEchoIt()
    {
        final long offsetNs = 350 * MS; // B's clock minus A's
        final long base = 1_800_000_000_000_000_000L;
        final PeerClockMonitor a = PeerClockMonitor.builder().peers(1).build();
        final PeerClockMonitor b = PeerClockMonitor.builder().peers(1).build();
        final ClockExchangeHeader ha = new ClockExchangeHeader(a);
        final ClockExchangeHeader hb = new ClockExchangeHeader(b);
        final byte[] bytes = new byte[32];
        final byte[] stale = new byte[32];
        hb.stamp(0, bytes, 0, base + offsetNs, 0);              // t = 0: B sends (no echo yet)
        ha.receive(0, bytes, 0, 32, base + MS, MS);             // t = 1 ms: A receives
        final long readEpochNs = base + 10 * MS;                 // t = 10 ms: A's heartbeat thread reads its clocks...
        final long readMonoNs = 10 * MS;
        hb.stamp(0, bytes, 0, base + offsetNs + 100 * MS, 100 * MS); // t = 100 ms: B sends again
        ha.receive(0, bytes, 0, 32, base + 101 * MS, 101 * MS);  // t = 101 ms: A's other thread receives it
        ha.stamp(0, stale, 0, readEpochNs, readMonoNs);          // t = 200 ms: ...and stamps with the 10 ms readings
        hb.receive(0, stale, 0, 32, base + offsetNs + 201 * MS, 201 * MS); // t = 201 ms: B receives
        if (b.observations() > 0)
        {
            assertThat(Math.abs(b.peerOffsetNs(0) + offsetNs)).as("B's estimate of A within its bound")
                .isLessThanOrEqualTo(b.peerBoundNs(0));
        }
        assertThat(b.observations()).as("no echo: nothing measured").isZero();
        assertThat(ha.staleStamps()).isEqualTo(1);
        // the next stamp, read after the receipt, echoes it again
        ha.stamp(0, stale, 0, base + 300 * MS, 300 * MS);
        assertThat(hb.receive(0, stale, 0, 32, base + offsetNs + 301 * MS, 301 * MS)).isTrue();
        assertThat(Math.abs(b.peerOffsetNs(0) + offsetNs)).isLessThanOrEqualTo(b.peerBoundNs(0));
    }

    @Test
    void clusterErrorBoundShouldCoverTheClusterTimeAndExpire()
    {
        final long seed = Seeds.seed("cluster error bound");
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] offsets = {0, 3 * MS, -2 * MS, 1 * MS, 900 * MS}; // four agree within a few ms, one lies
        final SimulatedCluster cluster = new SimulatedCluster(offsets, new long[5], random, 100_000,
            node -> PeerClockMonitor.builder().clockResolutionNs(0).peerClockErrorNs(4 * MS));
        cluster.gossip(10); // enough random messages that node 0 has heard from every peer
        for (int p = 0; p < 4; p++)
        {
            assertThat(cluster.monitors[0].isPeerFresh(p)).as("seed %d: peer %d heard", seed, p).isTrue();
        }
        final PeerClockMonitor monitor = cluster.monitors[0];
        monitor.evaluate(cluster.monoNs(0));
        assertThat(monitor.majorityFound()).isTrue();
        assertThat(monitor.majorityLowNs()).isLessThanOrEqualTo(0);
        final long packed = monitor.clusterErrorBound().errorBound(cluster.monoNs(0));
        assertThat(ErrorBounds.status(packed)).isEqualTo(ClockStatus.SYNCHRONIZED);
        assertThat(ErrorBounds.boundNs(packed)).as("seed %d", seed).isBetween(1L, 10 * MS);
        assertThat(monitor.clusterErrorBound().errorBound(cluster.monoNs(0) + 11_000 * MS))
            .isEqualTo(ErrorBounds.UNKNOWN);
        final PeerClockMonitor fresh = PeerClockMonitor.builder().peers(3).build();
        assertThat(fresh.clusterErrorBound().errorBound(0)).isEqualTo(ErrorBounds.UNKNOWN);
    }

    /**
     * The cluster bound as a bounded clock's source: a snapshot gives the published bound until an evaluation
     * publishes another (then SNAPSHOT_CHANGED), and a clock whose read races with an evaluation reads again.
     */
    @Test
    void clusterErrorBoundSnapshotShouldHoldUntilAnEvaluationPublishesAndTheClockShouldReadAgain() throws Exception
    {
        final long seed = Seeds.seed("cluster error bound snapshot");
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] offsets = {0, 3 * MS, -2 * MS, 1 * MS, 900 * MS}; // the cluster bound test's cluster
        final SimulatedCluster cluster = new SimulatedCluster(offsets, new long[5], random, 100_000,
            node -> PeerClockMonitor.builder().clockResolutionNs(0).peerClockErrorNs(4 * MS));
        cluster.gossip(10);
        final PeerClockMonitor monitor = cluster.monitors[0];
        final long nowNs = cluster.monoNs(0);
        monitor.evaluate(nowNs);
        final ErrorBoundSource source = monitor.clusterErrorBound();
        assertThat(ErrorBounds.isBounded(source.errorBound(nowNs))).as("seed %d: a majority was found", seed).isTrue();

        final Object snapshot = source.snapshot();
        assertThat(source.errorBoundFrom(snapshot, nowNs + MS)).isEqualTo(source.errorBound(nowNs + MS));
        assertThat(source.errorBoundFrom(snapshot, nowNs + 2 * MS)).as("still valid").isEqualTo(source.errorBound(nowNs + 2 * MS));
        monitor.evaluate(nowNs + MS);
        assertThat(source.errorBoundFrom(snapshot, nowNs + 2 * MS)).isEqualTo(ErrorBounds.SNAPSHOT_CHANGED);
        assertThat(source.errorBoundFrom(null, nowNs)).isEqualTo(ErrorBounds.UNKNOWN);
        assertThat(source.errorBoundFrom("not a snapshot", nowNs)).isEqualTo(ErrorBounds.UNKNOWN);
        assertThat(source.errorBoundFrom(cluster.monitors[1].clusterErrorBound().snapshot(), nowNs))
            .as("another monitor's snapshot").isEqualTo(ErrorBounds.UNKNOWN);
        // Another thread's snapshot is that thread's scratch, which it may be rewriting: never accepted.
        final Object[] otherThreads = new Object[1];
        final Thread other = new Thread(() -> otherThreads[0] = source.snapshot());
        other.start();
        other.join();
        assertThat(source.errorBoundFrom(otherThreads[0], nowNs + 2 * MS)).as("another thread's snapshot")
            .isEqualTo(ErrorBounds.UNKNOWN);

        final long[] monoNs = {nowNs + 5 * MS};
        final long[] readings = {0};
        final ErrorBoundedClock clock = new ErrorBoundedClock(() ->
        {
            final long readingNs = 1_700_000_000_000_000_000L + readings[0]++;
            if (readings[0] == 1)
            {
                monitor.evaluate(monoNs[0]); // publishes while the reader sits between its two clock reads
            }
            return readingNs;
        }, () -> monoNs[0], source);
        final TimeInterval interval = clock.now(new TimeInterval());
        assertThat(readings[0]).as("read again after the race").isEqualTo(2);
        assertThat(interval.readingNs()).isEqualTo(1_700_000_000_000_000_001L);
        assertThat(interval.status()).isEqualTo(ClockStatus.SYNCHRONIZED);
    }

    @Test
    void observationsAndHeadersShouldNotAllocate() throws Exception
    {
        final PeerClockMonitor monitor = PeerClockMonitor.builder().peers(8).build();
        final PeerClockMonitor peerMonitor = PeerClockMonitor.builder().peers(8).build();
        final ClockExchangeHeader mine = new ClockExchangeHeader(monitor);
        final ClockExchangeHeader theirs = new ClockExchangeHeader(peerMonitor);
        final byte[] bytes = new byte[64];
        final ByteBuffer direct = ByteBuffer.allocateDirect(64);
        final long[] clock = {1_000_000_000L};
        final long observe = AllocationMeter.allocatedBytes(AllocationMeter.MILLION, iterations ->
        {
            for (int i = 0; i < iterations; i++)
            {
                final long t = clock[0] += 1_000;
                monitor.observe(i & 7, t, t + 300 * MS + (i & 15), t + 300 * MS + 20, t + 100, t);
            }
        });
        final long headers = AllocationMeter.allocatedBytes(AllocationMeter.MILLION / 4, iterations ->
        {
            for (int i = 0; i < iterations; i++)
            {
                final long t = clock[0] += 1_000;
                mine.stamp(i & 7, bytes, 16, t, t);
                theirs.receive(i & 7, bytes, 16, 32, t + 200, t + 100);
                theirs.stamp(i & 7, direct, 8, t + 300, t + 200);
                mine.receive(i & 7, direct, 8, t + 250, t + 350);
            }
        });
        final long[] sink = new long[1];
        final long reads = AllocationMeter.allocatedBytes(AllocationMeter.MILLION, iterations ->
        {
            for (int i = 0; i < iterations; i++)
            {
                sink[0] += monitor.clusterErrorBound().errorBound(clock[0] + i) + monitor.verdict().ordinal();
                final Object snapshot = monitor.clusterErrorBound().snapshot(); // a bounded clock's read order
                sink[0] += monitor.clusterErrorBound().errorBoundFrom(snapshot, clock[0] + i);
            }
        });
        assertThat(sink[0]).isNotZero();
        assertThat(observe).as("observe").isZero();
        assertThat(headers).as("stamp and receive").isZero();
        assertThat(reads).as("cluster bound and verdict reads").isZero();
        assertThat(monitor.observations()).isGreaterThan(AllocationMeter.MILLION);
    }
}
