package dev.ordo.benchmarks;

import com.hazelcast.cluster.impl.VectorClock;
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

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Peer: Hazelcast's {@code com.hazelcast.cluster.impl.VectorClock} ({@code com.hazelcast:hazelcast}): a mutable
 * {@code ConcurrentHashMap<UUID, Long>} under external synchronization. Floor:
 * {@code PhysicalClockBenchmark.atomicIncrement}.
 *
 * <p>{@code a} and {@code b} are the concurrent clocks of {@code VectorClockBenchmark} over {@link #nodes} nodes:
 * equal on every node but one that each is ahead on ({@code a} on the last node, {@code b} on the first).
 * Hazelcast's clock is mutable, so {@link #merge()} copies {@code a} and merges {@code b} into the copy (the
 * same work as an immutable merge); {@link #mergeInPlace()} merges into a clock that already covers
 * {@code b} (reads and compares every entry, writes none). {@link #compare()} is {@code isAfter}, the only
 * comparison it has. State is per thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HazelcastVectorClockBenchmark
{
    /** Number of nodes with an entry in each clock. */
    @Param({"4", "16", "64", "1024"})
    public int nodes;

    private UUID[] nodeIds;
    private VectorClock a;
    private VectorClock b;
    private VectorClock target;
    private VectorClock counter;
    private int next;

    /**
     * Builds the two concurrent clocks.
     */
    @Setup
    public void setUp()
    {
        nodeIds = new UUID[nodes];
        a = new VectorClock();
        b = new VectorClock();
        for (int i = 0; i < nodes; i++)
        {
            nodeIds[i] = new UUID(0x0DD0L, i);
            a.setReplicaTimestamp(nodeIds[i], 1);
            b.setReplicaTimestamp(nodeIds[i], 1);
        }
        // The clocks of VectorClockBenchmark: equal but for one node each is ahead on.
        a.setReplicaTimestamp(nodeIds[nodes - 1], 2);
        b.setReplicaTimestamp(nodeIds[0], 2);
        target = new VectorClock(a);
        target.merge(b);
        counter = new VectorClock(a);
    }

    /**
     * @return the new counter after incrementing one node's entry (get, add, put), cycling through the nodes.
     */
    @Benchmark
    public long increment()
    {
        final int i = next;
        next = i + 1 == nodes ? 0 : i + 1;
        final UUID node = nodeIds[i];
        final long value = counter.getTimestampForReplica(node) + 1;
        counter.setReplicaTimestamp(node, value);
        return value;
    }

    /**
     * @return a copy of {@code a} merged with {@code b}.
     */
    @Benchmark
    public VectorClock merge()
    {
        final VectorClock result = new VectorClock(a);
        result.merge(b);
        return result;
    }

    /**
     * @return {@code target} after merging {@code b}, which it already covers.
     */
    @Benchmark
    public VectorClock mergeInPlace()
    {
        target.merge(b);
        return target;
    }

    /**
     * @return {@code a.isAfter(b)}: false here (concurrent).
     */
    @Benchmark
    public boolean compare()
    {
        return a.isAfter(b);
    }
}
