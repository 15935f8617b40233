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
 * <p>{@code a} and {@code b} are concurrent clocks over {@link #nodes} nodes (each is ahead of the other on
 * half of the nodes), so merge and compare walk every entry. State is per thread.
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
            if (i % 2 == 0)
            {
                left = left.$colon$plus(nodeIds[i]);
            }
            else
            {
                right = right.$colon$plus(nodeIds[i]);
            }
        }
        a = left;
        b = right;
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
