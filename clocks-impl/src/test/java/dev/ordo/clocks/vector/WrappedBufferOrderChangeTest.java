package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wrapped ByteBuffer's byte order is documented as not used: the wire is little-endian whatever the buffer
 * says. A caller that changes the order after the wrap (to write its own big-endian fields next to the clock)
 * must not change what the flyweight reads.
 */
class WrappedBufferOrderChangeTest
{
    @Test
    void changingTheOrderOfAWrappedDirectBufferShouldNotChangeWhatTheFlyweightReads()
    {
        final NodeRegistry registry = new NodeRegistry();
        registry.register(1_000L);
        registry.register(70_000L);
        final VectorClock clock = new VectorClock(registry);
        clock.increment(0, 300);
        clock.increment(1, 5);
        final byte[] bytes = TestClocks.bytes(clock);
        for (final boolean readOnlyHeap : new boolean[] {false, true})
        {
            final ByteBuffer buffer = readOnlyHeap ?
                ByteBuffer.wrap(bytes.clone()).asReadOnlyBuffer() : ByteBuffer.allocateDirect(bytes.length);
            if (!readOnlyHeap)
            {
                buffer.put(0, bytes);
            }
            final EncodedVectorClock encoded = new EncodedVectorClock().wrap(buffer, 0, bytes.length);
            assertThat(encoded.get(70_000L)).isEqualTo(5);
            buffer.order(buffer.order() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            assertThat(encoded.get(70_000L)).as("read-only heap %s", readOnlyHeap).isEqualTo(5);
            assertThat(encoded.get(1_000L)).isEqualTo(300);
            assertThat(encoded.compare(new EncodedVectorClock().wrap(bytes, 0, bytes.length)))
                .isEqualTo(Causality.EQUAL);
            assertThat(clock.compare(encoded)).isEqualTo(Causality.EQUAL);
            final VectorClock merged = new VectorClock(registry);
            merged.merge(encoded);
            assertThat(merged.get(0)).isEqualTo(300);
            assertThat(merged.get(1)).isEqualTo(5);
        }
    }
}
