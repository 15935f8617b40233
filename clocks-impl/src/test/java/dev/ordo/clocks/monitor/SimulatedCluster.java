package dev.ordo.clocks.monitor;

import java.util.SplittableRandom;

/**
 * Nodes with known clock offsets and rates exchanging {@link ClockExchangeHeader}s over a simulated network
 * with random, asymmetric delays. True time is a {@code long} of nanoseconds the test advances.
 */
final class SimulatedCluster
{
    static final long EPOCH_BASE_NS = 1_800_000_000_000_000_000L;

    final long[] offsetNs;
    final long[] ratePpb;
    final long[] monoBaseNs;
    final PeerClockMonitor[] monitors;
    final ClockExchangeHeader[] headers;
    final SplittableRandom random;
    final long maxDelayNs;
    final byte[] wire = new byte[ClockExchangeHeader.LENGTH];
    long trueNs;

    SimulatedCluster(
        final long[] offsetNs, final long[] ratePpb, final SplittableRandom random, final long maxDelayNs,
        final java.util.function.IntFunction<PeerClockMonitor.Builder> builders)
    {
        this.offsetNs = offsetNs;
        this.ratePpb = ratePpb;
        this.random = random;
        this.maxDelayNs = maxDelayNs;
        final int n = offsetNs.length;
        monoBaseNs = new long[n];
        monitors = new PeerClockMonitor[n];
        headers = new ClockExchangeHeader[n];
        for (int i = 0; i < n; i++)
        {
            monoBaseNs[i] = random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
            monitors[i] = builders.apply(i).peers(n - 1).build();
            headers[i] = new ClockExchangeHeader(monitors[i]);
        }
        trueNs = 1_000_000_000L;
    }

    long epochNs(final int node)
    {
        return EPOCH_BASE_NS + trueNs + offsetNs[node] + Math.floorDiv(trueNs * ratePpb[node], 1_000_000_000L);
    }

    long monoNs(final int node)
    {
        return monoBaseNs[node] + trueNs + Math.floorDiv(trueNs * ratePpb[node], 1_000_000_000L);
    }

    /** True offset of {@code peer} relative to {@code node} now: peer clock minus node clock. */
    long trueOffsetNs(final int node, final int peer)
    {
        return epochNs(peer) - epochNs(node);
    }

    static int peerIndex(final int self, final int node)
    {
        return node < self ? node : node - 1;
    }

    /** One message from {@code from} to {@code to}: stamp, fly, receive; returns whether a sample was taken. */
    boolean send(final int from, final int to)
    {
        headers[from].stamp(peerIndex(from, to), wire, 0, epochNs(from), monoNs(from));
        trueNs += random.nextLong(0, maxDelayNs + 1);
        final boolean sampled = headers[to].receive(peerIndex(to, from), wire, 0, wire.length, epochNs(to), monoNs(to));
        trueNs += random.nextLong(0, maxDelayNs + 1); // the receiver's processing before it may reply
        return sampled;
    }

    /** Every ordered pair exchanges {@code rounds} messages in random order. */
    void gossip(final int rounds)
    {
        final int n = offsetNs.length;
        for (int r = 0; r < rounds * n * (n - 1); r++)
        {
            final int from = random.nextInt(n);
            int to = random.nextInt(n - 1);
            to = to >= from ? to + 1 : to;
            send(from, to);
        }
    }
}
