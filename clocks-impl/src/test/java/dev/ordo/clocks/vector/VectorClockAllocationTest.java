package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.testing.AllocationMeter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every hot path allocates nothing: a million calls each, after warm-up, on byte arrays and on heap and
 * direct byte buffers (the paths that need no JVM flag). Clocks have 4 string-named nodes
 * (63-bit hashed wire ids, so every varint path runs); the size does not change what allocates, only how
 * long the test takes.
 */
class VectorClockAllocationTest
{
    private static final int NODES = 4;

    private NodeRegistry registry;
    private VectorClock a;
    private VectorClock b;
    private VectorClock target;
    private byte[] buffer;
    private ByteBuffer direct;
    private ByteBuffer heap;
    private int lengthA;
    private int offsetB;
    private int lengthB;
    private EncodedVectorClock encodedA;
    private EncodedVectorClock encodedB;
    private long sink;

    @BeforeEach
    void setUp()
    {
        registry = new NodeRegistry();
        for (int i = 0; i < NODES; i++)
        {
            registry.register("node-" + i);
        }
        a = new VectorClock(registry);
        b = new VectorClock(registry);
        target = new VectorClock(registry);
        for (int i = 0; i < NODES; i++)
        {
            a.increment(i, 1000 + i * 7L);
            b.increment(i, 1000 + (NODES - i) * 7L);
        }
        buffer = new byte[1024];
        lengthA = a.encode(buffer, 0);
        offsetB = lengthA + 3;
        lengthB = b.encode(buffer, offsetB);
        encodedA = new EncodedVectorClock().wrap(buffer, 0, lengthA);
        encodedB = new EncodedVectorClock().wrap(buffer, offsetB, lengthB);
        direct = ByteBuffer.allocateDirect(1024);
        direct.put(0, buffer);
        heap = ByteBuffer.wrap(buffer.clone());
    }

    @Test
    void incrementShouldNotAllocate() throws Exception
    {
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                sink += a.increment(i & (NODES - 1));
            }
        })).isZero();
    }

    @Test
    void hybridIncrementShouldNotAllocate() throws Exception
    {
        final VectorClock hybrid = new VectorClock(registry, EntryKind.hybrid(HybridTimestampFormat.MILLIS));
        final long base = HybridTimestampFormat.MILLIS.pack(1_800_000_000_000L, 0);
        final long[] next = { base };
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            long ts = next[0];
            for (int i = 0; i < n; i++)
            {
                ts += 3;
                sink += hybrid.increment(3, ts);
            }
            next[0] = ts;
        })).isZero();
    }

    @Test
    void mergeShouldNotAllocate() throws Exception
    {
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                target.merge((i & 1) == 0 ? a : b);
            }
        })).isZero();
    }

    @Test
    void compareShouldNotAllocate() throws Exception
    {
        target.copyFrom(a);
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                sink += a.compare((i & 1) == 0 ? b : target).ordinal();
                sink += a.isConcurrent(b) ? 1 : 0;
            }
        })).isZero();
        assertThat(a.compare(b)).isEqualTo(Causality.CONCURRENT);
    }

    @Test
    void encodeShouldNotAllocate() throws Exception
    {
        final byte[] out = new byte[256];
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                sink += a.encode(out, i & 7);
            }
        })).isZero();
    }

    @Test
    void decodeIntoAnExistingClockShouldNotAllocate() throws Exception
    {
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                if ((i & 1) == 0)
                {
                    target.decode(buffer, 0, lengthA);
                }
                else
                {
                    target.decode(buffer, offsetB, lengthB);
                }
            }
        })).isZero();
    }

    @Test
    void byteLevelCompareAndWrapShouldNotAllocate() throws Exception
    {
        final EncodedVectorClock flyweight = new EncodedVectorClock();
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                sink += encodedA.compare(encodedB).ordinal();
                sink += flyweight.wrap(buffer, (i & 1) == 0 ? 0 : offsetB, (i & 1) == 0 ? lengthA : lengthB)
                    .entryCount();
            }
        })).isZero();
        assertThat(encodedA.compare(encodedB)).isEqualTo(Causality.CONCURRENT);
    }

    @Test
    void compareWithShouldNotAllocateOnItsFusedPathOrTheGeneralOne() throws Exception
    {
        // encodedA and encodedB hold the same nodes (fused path); the retired-marker clock, the byte buffers and
        // a clock of other nodes take the general path.
        final VectorClock fewer = new VectorClock(registry);
        fewer.increment(0);
        final byte[] fewerBytes = new byte[256];
        final int fewerLength = fewer.encode(fewerBytes, 0);
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                sink += encodedA.compareWith(buffer, offsetB, lengthB).ordinal();
                sink += encodedB.compareWith(fewerBytes, 0, fewerLength).ordinal();
                sink += encodedA.compareWith((i & 1) == 0 ? direct : heap, offsetB, lengthB).ordinal();
            }
        })).isZero();
        assertThat(encodedA.compareWith(buffer, offsetB, lengthB)).isEqualTo(Causality.CONCURRENT);
    }

    @Test
    void comparingAndMergingAClockWithEncodedBytesShouldNotAllocate() throws Exception
    {
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                sink += target.compare(encodedB).ordinal();
                target.merge(encodedA);
            }
        })).isZero();
    }

    @Test
    void publishingAndReadingSnapshotsShouldNotAllocate() throws Exception
    {
        final VectorClockSnapshot snapshot = new VectorClockSnapshot(registry, EntryKind.COUNTERS);
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                snapshot.publish(a);
                sink += snapshot.readInto(target);
            }
        })).isZero();
    }

    @Test
    void prunedComparisonShouldNotAllocate() throws Exception
    {
        a.prune(PruningPolicy.keepAtMost(NODES / 2));
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                sink += a.compare(b).ordinal();
            }
        })).isZero();
    }

    @Test
    void retiredMarkersShouldNotAllocateOnAnyPath() throws Exception
    {
        registry.retire(1, a.get(1));
        final byte[] bytes = new byte[256];
        final int length = a.encode(bytes, 0);
        final EncodedVectorClock left = new EncodedVectorClock();
        final EncodedVectorClock right = new EncodedVectorClock().wrap(bytes, 0, length);
        assertThat(right.isRetired(registry.nodeId(1))).isTrue();
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                sink += a.encode(bytes, 0) + a.encodedLength();
                target.decode(bytes, 0, length);
                target.merge(right);
                sink += target.compare(right).ordinal() + b.compare(right).ordinal();
                sink += left.wrap(buffer, offsetB, lengthB).compare(right).ordinal();
            }
        })).isZero();
    }

    @Test
    void encodeDecodeWrapAndCompareOnByteBuffersShouldNotAllocate() throws Exception
    {
        final ByteBuffer out = ByteBuffer.allocateDirect(256);
        final ByteBuffer heapOut = ByteBuffer.allocate(256);
        final EncodedVectorClock left = new EncodedVectorClock();
        final EncodedVectorClock right = new EncodedVectorClock();
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                final ByteBuffer in = (i & 1) == 0 ? direct : heap;
                sink += a.encode((i & 2) == 0 ? out : heapOut, i & 7);
                target.decode(in, offsetB, lengthB);
                sink += left.wrap(in, 0, lengthA).compare(right.wrap(direct, offsetB, lengthB)).ordinal();
                sink += target.compare(left).ordinal();
            }
        })).isZero();
    }

    @Test
    void wrapPrefixAndDecodingAWrappedClockShouldNotAllocate() throws Exception
    {
        final EncodedVectorClock prefix = new EncodedVectorClock();
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                sink += prefix.wrapPrefix(buffer, 0, 1024).length();
                target.decode(prefix);
            }
        })).isZero();
    }
}
