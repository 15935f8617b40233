package dev.ordo.benchmarks;

import org.apache.pekko.cluster.VectorClock;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Peer: Apache Pekko's immutable cluster {@code VectorClock} ({@code org.apache.pekko:pekko-cluster_2.13}): a
 * sorted map from hashed node names to counters. Every operation returns a new clock. Floor:
 * {@code PhysicalClockBenchmark.atomicIncrement}.
 *
 * <p>{@code a} and {@code b} are the concurrent clocks of {@code VectorClockBenchmark} over {@link #nodes} nodes:
 * equal on every node but one that each is ahead on ({@code a} on the last node registered, {@code b} on the
 * first), so a comparison runs until it has met both (where those two nodes fall in Pekko's sorted order) and a
 * merge walks every entry. State is per thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PekkoVectorClockBenchmark
{
    /** Number of nodes with an entry in each clock. */
    @Param({"4", "16", "64", "1024"})
    public int nodes;

    private String[] nodeIds;
    private VectorClock a;
    private VectorClock b;
    private int next;

    /**
     * Builds the two concurrent clocks.
     */
    @Setup
    public void setUp()
    {
        nodeIds = new String[nodes];
        VectorClock left = new VectorClock(VectorClock.apply$default$1());
        VectorClock right = new VectorClock(VectorClock.apply$default$1());
        for (int i = 0; i < nodes; i++)
        {
            nodeIds[i] = VectorClock.Node$.MODULE$.apply("node-" + i);
            left = left.$colon$plus(nodeIds[i]);
            right = right.$colon$plus(nodeIds[i]);
        }
        // The clocks of VectorClockBenchmark: equal but for one node each is ahead on.
        a = left.$colon$plus(nodeIds[nodes - 1]);
        b = right.$colon$plus(nodeIds[0]);
    }

    /**
     * @return {@code a :+ node}, cycling through the nodes.
     */
    @Benchmark
    public VectorClock increment()
    {
        final int i = next;
        next = i + 1 == nodes ? 0 : i + 1;
        return a.$colon$plus(nodeIds[i]);
    }

    /**
     * @return {@code a.merge(b)}: the entry-wise maximum, a new clock.
     */
    @Benchmark
    public VectorClock merge()
    {
        return a.merge(b);
    }

    /**
     * @return {@code a.compareTo(b)}: Concurrent here.
     */
    @Benchmark
    public Object compare()
    {
        return a.compareTo(b);
    }
}
