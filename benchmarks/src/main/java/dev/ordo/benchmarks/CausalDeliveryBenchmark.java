package dev.ordo.benchmarks;

import dev.ordo.clocks.causal.CausalDeliveryBuffer;
import dev.ordo.clocks.causal.OfferResult;
import dev.ordo.clocks.vector.NodeRegistry;
import dev.ordo.clocks.vector.VectorClock;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Causal delivery (docs/causal-delivery.md) with 4 and 16 members: a message delivered at once, and a pair that
 * arrives in the wrong order (the first is held, the second delivers both), plus a duplicate. Run with
 * {@code -prof gc}: 0 B/op once warm.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CausalDeliveryBenchmark
{
    /** Members of the group. */
    @Param({ "4", "16" })
    public int members;

    private CausalDeliveryBuffer<String> buffer;
    private VectorClock fromA;
    private VectorClock fromB;
    private long round;
    private Blackhole sink;

    /**
     * @param blackhole receives every delivered sequence number.
     */
    @Setup
    public void setUp(final Blackhole blackhole)
    {
        sink = blackhole;
        final NodeRegistry registry = new NodeRegistry();
        for (int m = 0; m < members; m++)
        {
            registry.register("member-" + m);
        }
        buffer = new CausalDeliveryBuffer<>(registry, members - 1, 1024, 60_000,
            (sender, sequence, message) -> sink.consume(sequence));
        fromA = new VectorClock(registry);
        fromB = new VectorClock(registry);
        round = 0;
    }

    /**
     * @return the result of offering a's next message, which depends only on what was delivered.
     */
    @Benchmark
    public OfferResult inOrder()
    {
        final long k = ++round;
        fromA.increment(0, k);
        return buffer.offer(0, fromA, "a", k);
    }

    /**
     * @return the result of the message that released the held one.
     */
    @Benchmark
    public OfferResult outOfOrderPairAndDuplicate()
    {
        final long k = ++round;
        fromA.increment(0, k);
        fromA.increment(1, k);          // a's k-th message saw b's k-th
        fromB.increment(1, k);
        if (k > 1)
        {
            fromB.increment(0, k - 1);  // b's k-th saw a's (k-1)-th
        }
        buffer.offer(0, fromA, "a", k); // held
        final OfferResult result = buffer.offer(1, fromB, "b", k);
        sink.consume(buffer.offer(1, fromB, "b", k)); // duplicate
        return result;
    }
}
