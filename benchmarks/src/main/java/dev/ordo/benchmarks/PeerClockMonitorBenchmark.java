package dev.ordo.benchmarks;

import dev.ordo.clocks.monitor.ClockExchangeHeader;
import dev.ordo.clocks.monitor.PeerClockMonitor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The peer clock-offset monitor's per-message costs: one observation (four timestamps in, filter, verdict and
 * Marzullo selection over every peer out), a header stamp plus a header receive (what a message pays on each
 * side), a read of the cluster error bound, and one observation with two threads observing the same monitor
 * (it takes one lock). The floor in the same run is {@link System#nanoTime()}. {@code peers} is the cluster
 * size minus one: the observation re-evaluates every peer, so its cost grows with it.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PeerClockMonitorBenchmark -prof gc}
 * (gc.alloc.rate.norm should be 0 B/op everywhere). No JVM flag is needed: nothing here uses Agrona buffers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PeerClockMonitorBenchmark
{
    private static final long MS = 1_000_000L;

    /** One node's monitor and header, and a peer's header feeding it. */
    @State(Scope.Thread)
    public static class Node
    {
        /** Other nodes in the cluster. */
        @Param({"4", "16"})
        public int peers;

        PeerClockMonitor monitor;
        ClockExchangeHeader header;
        ClockExchangeHeader peerHeader;
        final byte[] wire = new byte[64];
        long nowNs = 1_000_000_000_000L;
        int peer;
        long offsetNs = 120 * MS;

        /** Builds the monitor and fills every peer's window. */
        @Setup
        public void setUp()
        {
            monitor = PeerClockMonitor.builder().peers(peers).build();
            header = new ClockExchangeHeader(monitor);
            peerHeader = new ClockExchangeHeader(PeerClockMonitor.builder().peers(peers).build());
            for (int i = 0; i < 16 * peers; i++)
            {
                observe();
            }
        }

        long observe()
        {
            final int p = peer = peer + 1 == peers ? 0 : peer + 1;
            final long t1 = nowNs += 1_000;
            final long t2 = t1 + offsetNs + 40_000;
            monitor.observe(p, t1, t2, t2 + 5_000, t1 + 90_000, t1 + 90_000);
            return t1;
        }
    }

    /** A monitor shared by the benchmark's threads. */
    @State(Scope.Benchmark)
    public static class Shared
    {
        PeerClockMonitor monitor;

        /** Builds it. */
        @Setup
        public void setUp()
        {
            monitor = PeerClockMonitor.builder().peers(8).build();
        }
    }

    /** Per-thread inputs for the shared monitor. */
    @State(Scope.Thread)
    public static class Inputs
    {
        long nowNs = 1_000_000_000_000L;
        int peer;
    }

    /**
     * @return the floor: one monotonic clock read.
     */
    @Benchmark
    public long nanoTimeFloor()
    {
        return System.nanoTime();
    }

    /**
     * @param node the monitor.
     * @return a timestamp, so nothing is dead code.
     */
    @Benchmark
    public long observe(final Node node)
    {
        return node.observe();
    }

    /**
     * @param node the monitor and headers.
     * @return whether the measurement was accepted.
     */
    @Benchmark
    public boolean headerStampAndReceive(final Node node)
    {
        final int p = node.peer = node.peer + 1 == node.peers ? 0 : node.peer + 1;
        final long t = node.nowNs += 1_000;
        node.header.stamp(p, node.wire, 0, t, t);
        node.peerHeader.receive(p, node.wire, 0, 32, t + node.offsetNs + 40_000, t + 40_000);
        node.peerHeader.stamp(p, node.wire, 0, t + node.offsetNs + 45_000, t + 45_000);
        return node.header.receive(p, node.wire, 0, 32, t + 90_000, t + 90_000);
    }

    /**
     * @param node the monitor.
     * @return the packed bound.
     */
    @Benchmark
    public long clusterErrorBound(final Node node)
    {
        return node.monitor.clusterErrorBound().errorBound(node.nowNs);
    }

    /**
     * @param shared the monitor both threads observe.
     * @param inputs this thread's timestamps.
     * @return whether the observation was accepted.
     */
    @Benchmark
    @Threads(2)
    public boolean observeContended(final Shared shared, final Inputs inputs)
    {
        final int p = inputs.peer = inputs.peer + 1 == 8 ? 0 : inputs.peer + 1;
        final long t1 = inputs.nowNs += 1_000;
        return shared.monitor.observe(p, t1, t1 + 40_000, t1 + 45_000, t1 + 90_000, t1 + 90_000);
    }
}
