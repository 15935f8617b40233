package dev.ordo.benchmarks;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.dvv.DvvSet;
import dev.ordo.clocks.dvv.DvvValueCodec;
import dev.ordo.clocks.dvv.VersionVector;
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
import java.util.concurrent.TimeUnit;

/**
 * Dotted version vector hot paths (docs/dvv.md) with 3 and 16 replicas: a read-modify-write (hand out the
 * context, then update with it), a blind write next to it (a concurrent sibling), a sync of two replicas' states,
 * the wire codecs (set with 8-byte values, context), and comparing two contexts. Run with {@code -prof gc}: every
 * method should show {@code gc.alloc.rate.norm} of 0 B/op. No JVM flag is needed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class DvvBenchmark
{
    /** Replicas (entries) in the register's clock. */
    @Param({ "3", "16" })
    public int replicas;

    private static final Long[] VALUES = new Long[64];

    static
    {
        for (int i = 0; i < VALUES.length; i++)
        {
            VALUES[i] = (long)i;
        }
    }

    /** 8 bytes per value, decoding to shared instances so the benchmark measures the set, not the values. */
    private static final DvvValueCodec<Long> LONGS = new DvvValueCodec<>()
    {
        @Override
        public int encodedLength(final Long value)
        {
            return 8;
        }

        @Override
        public void encode(final Long value, final byte[] dst, final int offset)
        {
            ByteBuffer.wrap(dst).putLong(offset, value);
        }

        @Override
        public void encode(final Long value, final ByteBuffer dst, final int index)
        {
            dst.putLong(index, value);
        }

        @Override
        public Long decode(final byte[] src, final int offset, final int length)
        {
            return VALUES[src[offset + 7] & 63];
        }

        @Override
        public Long decode(final ByteBuffer src, final int index, final int length)
        {
            return VALUES[(int)(src.getLong(index) & 63)];
        }
    };

    private DvvSet<Long> register;
    private DvvSet<Long> other;
    private VersionVector context;
    private VersionVector empty;
    private VersionVector contextA;
    private VersionVector contextB;
    private DvvSet<Long> decoded;
    private VersionVector decodedContext;
    private ByteBuffer wire;
    private int setLength;
    private int contextLength;
    private int i;

    /** Builds registers written by every replica, two concurrent siblings, and their encodings. */
    @Setup
    public void setUp()
    {
        register = new DvvSet<>();
        other = new DvvSet<>();
        empty = new VersionVector();
        for (int r = 1; r <= replicas; r++)
        {
            register.update(register.context(), r * 1_000_003L, VALUES[r & 63]);
        }
        register.update(empty, 1_000_003L, VALUES[1]); // a concurrent sibling
        other.copyFrom(register);
        other.update(other.context(), 2_000_006L, VALUES[2]);
        context = register.context();
        contextA = register.context();
        contextB = other.context();
        decoded = new DvvSet<>();
        decodedContext = new VersionVector();
        wire = ByteBuffer.allocateDirect(4096);
        setLength = register.encode(LONGS, wire, 0);
        contextLength = context.encode(wire, 2048);
    }

    /**
     * @return the new write's counter.
     */
    @Benchmark
    public long readModifyWrite()
    {
        register.context(context);
        return register.update(context, 3_000_009L, VALUES[++i & 63]);
    }

    /**
     * @return siblings after a blind write and a read-modify-write that replaces it.
     */
    @Benchmark
    public int concurrentWriteThenResolve()
    {
        register.context(context);
        register.update(empty, 1_000_003L, VALUES[++i & 63]);
        register.update(context, 2_000_006L, VALUES[i & 63]);
        return register.siblingCount();
    }

    /**
     * @return siblings after both replicas synced each other (one write on one side first).
     */
    @Benchmark
    public int sync()
    {
        other.update(other.context(context), 2_000_006L, VALUES[++i & 63]);
        register.sync(other);
        other.sync(register);
        return register.siblingCount();
    }

    /**
     * @return bytes of the set (8-byte values) written to a direct buffer and read back.
     */
    @Benchmark
    public int encodeDecodeSet()
    {
        final int length = register.encode(LONGS, wire, 0);
        decoded.decode(LONGS, wire, 0, length);
        return length + decoded.siblingCount();
    }

    /**
     * @return the decoded context's size.
     */
    @Benchmark
    public int decodeContext()
    {
        decodedContext.decode(wire, 2048, contextLength);
        return decodedContext.size();
    }

    /**
     * @return how two replicas' contexts relate.
     */
    @Benchmark
    public Causality compareContexts()
    {
        return contextA.compare(contextB);
    }

}
