package dev.ordo.benchmarks;

import dev.ordo.clocks.vector.NodeRegistry;
import dev.ordo.clocks.vector.PruningPolicy;
import dev.ordo.clocks.vector.VectorClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The cold paths of issue 12 that were quadratic: registering {@link #nodes} nodes by name into a new
 * {@link NodeRegistry} (target: 100,000 in well under a second), and pruning a clock of that many entries with a
 * policy that prunes nothing. One whole job per operation: the time is per job, not per node.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class NodeRegistryBenchmark
{
    /** Nodes registered, and entries of the pruned clock. */
    @Param({ "100000" })
    public int nodes;

    private String[] names;
    private VectorClock full;
    private PruningPolicy keepAll;

    /** Names built once, so the registration job does not count string building. */
    @Setup
    public void setUp()
    {
        names = new String[nodes];
        for (int i = 0; i < nodes; i++)
        {
            names[i] = "node-" + i;
        }
        final NodeRegistry registry = new NodeRegistry();
        for (final String name : names)
        {
            registry.register(name);
        }
        full = new VectorClock(registry);
        keepAll = PruningPolicy.keepAtMost(nodes);
    }

    /** Every entry written again before each prune, so each prune sees a full clock. */
    @Setup(Level.Invocation)
    public void fill()
    {
        for (int i = 0; i < nodes; i++)
        {
            full.increment(i);
        }
    }

    /**
     * @return the registry holding {@link #nodes} nodes.
     */
    @Benchmark
    public NodeRegistry registerAll()
    {
        final NodeRegistry registry = new NodeRegistry();
        for (final String name : names)
        {
            registry.register(name);
        }
        return registry;
    }

    /**
     * @return entries pruned: 0.
     */
    @Benchmark
    public int pruneNothing()
    {
        return full.prune(keepAll);
    }
}
