package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.testing.AllocationMeter;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Agrona {@code DirectBuffer} overloads kept for Aeron users (creating Agrona buffers needs Agrona's
 * JVM flag, hence the class name): heap, off-heap and expandable buffers give the same bytes and answers as
 * byte arrays, without allocating.
 */
class VectorClockAgronaTest
{
    @Test
    void shouldEncodeIntoExpandableBuffers()
    {
        final NodeRegistry registry = new NodeRegistry();
        final VectorClock clock = new VectorClock(registry);
        for (int i = 0; i < 100; i++)
        {
            clock.increment(registry.register("node-" + i), 1L << (i % 63));
        }
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4);
        final int length = clock.encode(buffer, 3);
        assertThat(length).isEqualTo(clock.encodedLength());
        final VectorClock decoded = new VectorClock(registry);
        decoded.decode(buffer, 3, length);
        assertThat(decoded.compare(clock)).isEqualTo(Causality.EQUAL);
    }

    @Test
    void heapAndOffHeapAgronaBuffersShouldHoldTheSameBytesAsArrays()
    {
        final NodeRegistry registry = new NodeRegistry();
        final VectorClock a = new VectorClock(registry);
        final VectorClock b = new VectorClock(registry);
        for (int i = 0; i < 20; i++)
        {
            final int node = registry.register("n" + i);
            a.increment(node, 1 + i);
            b.increment(node, 20 - i);
        }
        a.prune(PruningPolicy.keepAtMost(15));
        final byte[] expected = TestClocks.bytes(a);
        final UnsafeBuffer offHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[256], 5, 200);
        for (final UnsafeBuffer buffer : new UnsafeBuffer[] { offHeap, heap })
        {
            final int length = a.encode(buffer, 7);
            final byte[] written = new byte[length];
            buffer.getBytes(7, written);
            assertThat(written).isEqualTo(expected);
            final VectorClock decoded = new VectorClock(registry);
            decoded.decode(buffer, 7, length);
            assertThat(TestClocks.bytes(decoded)).isEqualTo(expected);
            final EncodedVectorClock encoded = new EncodedVectorClock().wrap(buffer, 7, length);
            assertThat(encoded.buffer()).isSameAs(buffer);
            assertThat(EncodedVectorClock.lengthOf(buffer, 7, 190)).isEqualTo(length);
            assertThat(b.compare(encoded)).isEqualTo(b.compare(a));
            assertThat(encoded.compare(new EncodedVectorClock().wrap(TestClocks.bytes(b), 0, b.encodedLength())))
                .isEqualTo(a.compare(b));
            // compareWith an Agrona buffer, and an Agrona-wrapped clock compareWith a byte[]: as wrap + compare
            final EncodedVectorClock arrayB = new EncodedVectorClock().wrap(TestClocks.bytes(b), 0, b.encodedLength());
            assertThat(arrayB.compareWith(buffer, 7, length)).isEqualTo(b.compare(a));
            assertThat(encoded.compareWith(TestClocks.bytes(b), 0, b.encodedLength())).isEqualTo(a.compare(b));
            buffer.putByte(7 + length - 1, (byte)0); // a zero value: refused as wrap refuses it
            final int lengthNow = length;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> arrayB.compareWith(buffer, 7, lengthNow))
                .isInstanceOf(dev.ordo.clocks.api.MalformedClockException.class);
        }
    }

    @Test
    void offHeapAgronaPathsShouldNotAllocate() throws Exception
    {
        final NodeRegistry registry = new NodeRegistry();
        final VectorClock a = new VectorClock(registry);
        for (int i = 0; i < 4; i++)
        {
            a.increment(registry.register("node-" + i), 1000 + i);
        }
        final UnsafeBuffer offHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        final int length = a.encode(offHeap, 0);
        final VectorClock target = new VectorClock(registry);
        final EncodedVectorClock flyweight = new EncodedVectorClock();
        final long[] sink = new long[1];
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                sink[0] += a.encode(offHeap, 0);
                target.decode(offHeap, 0, length);
                sink[0] += target.compare(flyweight.wrap(offHeap, 0, length)).ordinal();
                sink[0] += flyweight.compareWith(offHeap, 0, length).ordinal();
            }
        })).isZero();
    }

    /** Red team, round 6: a heap Agrona buffer narrower than the array it views must not bound a later wrap of the array. */
    @Test
    void aWrapOfTheArrayAfterANarrowerAgronaBufferOverItShouldSeeTheWholeArray()
    {
        TestClocks.assertArrayWrapSeesTheWholeArrayAfter(
            (flyweight, home, length) -> flyweight.wrap(new UnsafeBuffer(home, 0, length), 0, length));
    }
}
