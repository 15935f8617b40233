package dev.ordo.benchmarks;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.vector.EncodedVectorClock;
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

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Ordo's vector clock hot paths at 4, 16, 64 and 1024 nodes, for both kinds of node id: {@code hashed}
 * (string names, 63-bit wire ids: 8-byte id fields) and {@code small} (ids 1..n assigned by the application:
 * 1- or 2-byte id fields). The encoded paths run on a {@code byte[]} (the plain method names) and on a direct
 * {@link ByteBuffer} (suffix {@code ByteBuffer}); neither needs a JVM flag, so the forks run without one.
 * Run with {@code -prof gc}: every method should show {@code gc.alloc.rate.norm} of 0 B/op. Targets (issue
 * 12, at 16 nodes): {@code compareEncoded} within 5x {@code compare}; {@code decode} and {@code encode} within
 * 5x {@code merge}; {@code wrapAndCompareEncoded} within 8x {@code compare} ({@code wrapAndCompareWithEncoded}
 * does the same work through {@code compareWith}, one call for the second encoding). Peers (same node counts):
 * {@code PekkoVectorClockBenchmark}, {@code HazelcastVectorClockBenchmark}.
 *
 * <p>Two clocks share most entries and are concurrent, the realistic and slowest case for {@code compare}
 * (the early exit comes late); {@code merge} merges them alternately into a third clock.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class VectorClockBenchmark
{
    /** Number of nodes (entries) in every clock. */
    @Param({ "4", "16", "64", "1024" })
    public int nodes;

    /** {@code hashed}: nodes registered by name (63-bit hashed wire ids); {@code small}: ids 1..n. */
    @Param({ "hashed", "small" })
    public String ids;

    private VectorClock a;
    private VectorClock b;
    private VectorClock target;
    private byte[] buffer;
    private byte[] out;
    private ByteBuffer directBuffer;
    private ByteBuffer directOut;
    private int lengthA;
    private int offsetB;
    private int lengthB;
    private EncodedVectorClock encodedA;
    private EncodedVectorClock encodedB;
    private EncodedVectorClock directA;
    private EncodedVectorClock directB;
    private int node;
    private boolean flip;

    /**
     * Builds two concurrent clocks of {@link #nodes} string-named nodes and their encodings.
     */
    @Setup
    public void setUp()
    {
        final NodeRegistry registry = new NodeRegistry();
        for (int i = 0; i < nodes; i++)
        {
            if ("small".equals(ids))
            {
                registry.register(i + 1L);
            }
            else
            {
                registry.register("node-" + i);
            }
        }
        final SplittableRandom random = new SplittableRandom(42);
        a = new VectorClock(registry);
        b = new VectorClock(registry);
        target = new VectorClock(registry);
        for (int i = 0; i < nodes; i++)
        {
            final long common = 1 + random.nextInt(100_000);
            a.increment(i, common);
            b.increment(i, common);
        }
        // Concurrent, decided only at the last entries.
        a.increment(nodes - 1);
        b.increment(0);
        buffer = new byte[64 * 1024];
        out = new byte[64 * 1024];
        lengthA = a.encode(buffer, 0);
        offsetB = lengthA;
        lengthB = b.encode(buffer, offsetB);
        encodedA = new EncodedVectorClock().wrap(buffer, 0, lengthA);
        encodedB = new EncodedVectorClock().wrap(buffer, offsetB, lengthB);
        directBuffer = ByteBuffer.allocateDirect(buffer.length);
        directBuffer.put(0, buffer);
        directOut = ByteBuffer.allocateDirect(out.length);
        directA = new EncodedVectorClock().wrap(directBuffer, 0, lengthA);
        directB = new EncodedVectorClock().wrap(directBuffer, offsetB, lengthB);
    }

    /**
     * @return the incremented entry's new value.
     */
    @Benchmark
    public long increment()
    {
        final int n = node + 1;
        node = n == nodes ? 0 : n;
        return target.increment(node);
    }

    /**
     * @return the merged-into clock.
     */
    @Benchmark
    public VectorClock merge()
    {
        flip = !flip;
        target.merge(flip ? a : b);
        return target;
    }

    /**
     * @return CONCURRENT.
     */
    @Benchmark
    public Causality compare()
    {
        return a.compare(b);
    }

    /**
     * @return bytes written.
     */
    @Benchmark
    public int encode()
    {
        return a.encode(out, 0);
    }

    /**
     * @return the decoded clock.
     */
    @Benchmark
    public VectorClock decode()
    {
        target.decode(buffer, 0, lengthA);
        return target;
    }

    /**
     * @return CONCURRENT, from the bytes of both clocks (already wrapped, hence validated).
     */
    @Benchmark
    public Causality compareEncoded()
    {
        return encodedA.compare(encodedB);
    }

    /**
     * @return the length of the wrapped encoding, after full validation of the untrusted bytes: one half of
     * {@link #wrapAndCompareEncoded()}'s validation work.
     */
    @Benchmark
    public int wrapEncoded()
    {
        return encodedA.wrap(buffer, 0, lengthA).length();
    }

    /**
     * @return CONCURRENT, including full validation of both untrusted encodings.
     */
    @Benchmark
    public Causality wrapAndCompareEncoded()
    {
        return encodedA.wrap(buffer, 0, lengthA).compare(encodedB.wrap(buffer, offsetB, lengthB));
    }

    /**
     * The same work as {@link #wrapAndCompareEncoded()} (both encodings untrusted, both validated completely) the
     * way a replica that keeps its clock encoded compares an incoming one: its own wrapped, the other validated
     * and compared in one pass by {@link EncodedVectorClock#compareWith(byte[], int, int)}.
     *
     * @return CONCURRENT, including full validation of both untrusted encodings.
     */
    @Benchmark
    public Causality wrapAndCompareWithEncoded()
    {
        return encodedA.wrap(buffer, 0, lengthA).compareWith(buffer, offsetB, lengthB);
    }

    /**
     * @return bytes written into a direct byte buffer.
     */
    @Benchmark
    public int encodeByteBuffer()
    {
        return a.encode(directOut, 0);
    }

    /**
     * @return the clock decoded from a direct byte buffer.
     */
    @Benchmark
    public VectorClock decodeByteBuffer()
    {
        target.decode(directBuffer, 0, lengthA);
        return target;
    }

    /**
     * @return CONCURRENT, from two encodings in a direct byte buffer.
     */
    @Benchmark
    public Causality compareEncodedByteBuffer()
    {
        return directA.compare(directB);
    }

    /**
     * @return CONCURRENT, validating both encodings in a direct byte buffer first.
     */
    @Benchmark
    public Causality wrapAndCompareEncodedByteBuffer()
    {
        return directA.wrap(directBuffer, 0, lengthA).compare(directB.wrap(directBuffer, offsetB, lengthB));
    }

    /**
     * @return CONCURRENT: a live clock against received bytes.
     */
    @Benchmark
    public Causality compareClockWithEncoded()
    {
        return a.compare(encodedB);
    }
}
