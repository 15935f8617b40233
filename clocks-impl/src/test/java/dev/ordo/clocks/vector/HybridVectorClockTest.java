package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.InvalidTimestampException;
import dev.ordo.clocks.api.MalformedClockException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Vector clocks whose entries are packed hybrid logical clock timestamps. */
class HybridVectorClockTest
{
    private static final HybridTimestampFormat FORMAT = HybridTimestampFormat.MILLIS;
    private static final long T0_MS = 1_795_000_000_000L;

    @Test
    void shouldOrderCausallyAndKeepEachNodesLatestPhysicalTime()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int eu = registry.register("eu");
        final int us = registry.register("us");
        final VectorClock a = new VectorClock(registry, EntryKind.hybrid(FORMAT));
        final VectorClock b = new VectorClock(registry, EntryKind.hybrid(FORMAT));

        a.increment(eu, FORMAT.pack(T0_MS, 0));
        b.copyFrom(a);
        b.increment(us, FORMAT.pack(T0_MS + 5, 0));
        a.increment(eu, FORMAT.pack(T0_MS + 3, 1));
        assertThat(a.compare(b)).isEqualTo(Causality.CONCURRENT);
        assertThat(FORMAT.physical(a.get(eu))).isEqualTo(T0_MS + 3);

        b.merge(a);
        b.increment(us);
        assertThat(b.compare(a)).isEqualTo(Causality.AFTER);
        assertThat(FORMAT.logical(b.get(us))).as("increment is one logical tick").isEqualTo(1);
        assertThat(FORMAT.physical(b.get(us))).isEqualTo(T0_MS + 5);

        final ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        final int length = b.encode(buffer, 0);
        assertThat(buffer.get(0)).isEqualTo((byte)0x32);
        final VectorClock decoded = new VectorClock(registry, EntryKind.HLC_MILLIS);
        decoded.decode(buffer, 0, length);
        assertThat(decoded.compare(b)).isEqualTo(Causality.EQUAL);
        assertThatThrownBy(() -> new VectorClock(registry).decode(buffer, 0, length))
            .isInstanceOf(MalformedClockException.class).hasMessageContaining("HLC_MILLIS");
    }

    @Test
    void shouldRefuseTimestampsThatDoNotAdvanceTheEntry()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int node = registry.register(1);
        final VectorClock clock = new VectorClock(registry, EntryKind.HLC_MICROS);
        clock.increment(node, 1000);
        assertThatThrownBy(() -> clock.increment(node, 1000)).isInstanceOf(InvalidTimestampException.class)
            .hasMessageContaining("must be greater than the current 1000");
        assertThatThrownBy(() -> clock.increment(node, -5)).isInstanceOf(InvalidTimestampException.class)
            .hasMessageContaining("-5");
        assertThat(clock.get(node)).isEqualTo(1000);
        assertThat(clock.kind().timestampFormat()).isEqualTo(HybridTimestampFormat.MICROS);
    }

    @Test
    void shouldNeverMixEntryKinds()
    {
        final NodeRegistry registry = new NodeRegistry();
        registry.register(1);
        final VectorClock counters = new VectorClock(registry);
        final VectorClock hybrid = new VectorClock(registry, EntryKind.HLC_MILLIS);
        assertThatThrownBy(() -> counters.merge(hybrid)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("COUNTERS").hasMessageContaining("HLC_MILLIS");
        assertThatThrownBy(() -> counters.compare(hybrid)).isInstanceOf(IllegalArgumentException.class);
        final EncodedVectorClock encoded = new EncodedVectorClock()
            .wrap(TestClocks.bytes(hybrid), 0, 3);
        assertThatThrownBy(() -> counters.compare(encoded)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> counters.merge(encoded)).isInstanceOf(MalformedClockException.class);
    }
}
