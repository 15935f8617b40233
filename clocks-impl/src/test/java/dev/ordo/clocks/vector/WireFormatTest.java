package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.MalformedClockException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wire format byte by byte (the example in docs/vector-clocks.md) and every rejection it documents. */
class WireFormatTest
{
    private static final byte[] EXAMPLE = bytes(0x01, 0x03, 0x06, 0x05, 0x0E, 0xAC, 0x02, 0x85, 0x02, 0x01);

    private static byte[] bytes(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return bytes;
    }

    private static NodeRegistry exampleRegistry()
    {
        final NodeRegistry registry = new NodeRegistry();
        registry.register(130);
        registry.register(3);
        registry.register(7);
        return registry;
    }

    private static VectorClock exampleClock(final NodeRegistry registry)
    {
        final VectorClock clock = new VectorClock(registry);
        clock.increment(registry.indexOf(3), 5);
        clock.increment(registry.indexOf(7), 300);
        clock.increment(registry.indexOf(130), 9);
        clock.prune((nodeId, value, age, live) -> nodeId == 130);
        return clock;
    }

    @Test
    void shouldEncodeTheDocumentedExampleByteForByte()
    {
        final NodeRegistry registry = exampleRegistry();
        final VectorClock clock = exampleClock(registry);
        assertThat(clock.encodedLength()).isEqualTo(EXAMPLE.length);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[EXAMPLE.length + 4]);
        assertThat(clock.encode(buffer, 2)).isEqualTo(EXAMPLE.length);
        final byte[] written = new byte[EXAMPLE.length];
        buffer.getBytes(2, written);
        assertThat(written).isEqualTo(EXAMPLE);
        assertThat(buffer.getByte(0)).isZero();
        assertThat(buffer.getByte(EXAMPLE.length + 2)).isZero();

        final VectorClock decoded = new VectorClock(registry);
        decoded.decode(new UnsafeBuffer(EXAMPLE), 0, EXAMPLE.length);
        assertThat(decoded.get(registry.indexOf(3))).isEqualTo(5);
        assertThat(decoded.get(registry.indexOf(7))).isEqualTo(300);
        assertThat(decoded.get(registry.indexOf(130))).isEqualTo(1);
        assertThat(decoded.isPruned(registry.indexOf(130))).isTrue();
        assertThat(decoded.toString()).isEqualTo("VectorClock{3=5, 7=300, 130=>=1(pruned)}");
        // A clock embedded in a larger message without a length prefix: find where it ends.
        final UnsafeBuffer message = new UnsafeBuffer(bytes(0xEE, 0xEE, 0x01, 0x01, 0x06, 0x05, 0xFF, 0xFF));
        assertThat(EncodedVectorClock.lengthOf(message, 2, 6)).isEqualTo(4);
        final EncodedVectorClock embedded = new EncodedVectorClock().wrapPrefix(message, 2, 6);
        assertThat(embedded.length()).isEqualTo(4);
        assertThat(embedded.get(3)).isEqualTo(5);
    }

    @Test
    void shouldEncodeTheEmptyClockAsTwoBytes()
    {
        final VectorClock clock = new VectorClock(new NodeRegistry());
        assertThat(TestClocks.bytes(clock)).isEqualTo(bytes(0x01, 0x00));
        final VectorClock hybrid = new VectorClock(new NodeRegistry(), EntryKind.hybrid(HybridTimestampFormat.MICROS));
        assertThat(TestClocks.bytes(hybrid)).isEqualTo(bytes(0x03, 0x00));
    }

    @Test
    void shouldRejectAnEncodingThatDoesNotFitTheBuffer()
    {
        final VectorClock clock = exampleClock(exampleRegistry());
        final UnsafeBuffer small = new UnsafeBuffer(new byte[EXAMPLE.length - 1]);
        assertThatThrownBy(() -> clock.encode(small, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("10 bytes").hasMessageContaining("capacity 9");
        assertThat(small.getByte(0)).as("nothing written").isZero();
    }

    @Test
    void shouldRoundTripEdgeValuesAndIdsThroughEveryVarintPath()
    {
        final long[] edges = {
            0, 1, 63, 64, 127, 128, 16_383, 16_384, (1L << 55) - 1, 1L << 55, (1L << 56) - 1, 1L << 56,
            (1L << 62) - 1, 1L << 62, Long.MAX_VALUE - 1, Long.MAX_VALUE };
        for (final long id : edges)
        {
            for (final long value : edges)
            {
                if (value == 0)
                {
                    continue;
                }
                final NodeRegistry registry = new NodeRegistry();
                final int index = registry.register(id);
                final VectorClock clock = new VectorClock(registry);
                clock.increment(index, value);
                final byte[] exact = TestClocks.bytes(clock);
                for (final int padding : new int[] { 0, 1, 9, 16 })
                {
                    final byte[] framed = new byte[exact.length + padding];
                    System.arraycopy(exact, 0, framed, 0, exact.length);
                    final VectorClock decoded = new VectorClock(registry);
                    decoded.decode(new UnsafeBuffer(framed), 0, exact.length);
                    assertThat(decoded.get(index)).as("id %d value %d padding %d", id, value, padding)
                        .isEqualTo(value);
                    final EncodedVectorClock encoded = new EncodedVectorClock().wrap(new UnsafeBuffer(framed), 0,
                        exact.length);
                    assertThat(encoded.get(id)).as("id %d value %d padding %d", id, value, padding).isEqualTo(value);
                    assertThat(EncodedVectorClock.lengthOf(new UnsafeBuffer(framed), 0, framed.length))
                        .isEqualTo(exact.length);
                }
            }
        }
    }

    @Test
    void shouldRejectEmptyInput()
    {
        assertRejected(bytes(), "empty input");
    }

    @Test
    void shouldRejectAnUnknownFormatByte()
    {
        assertRejected(bytes(0x7f, 0x00), "unknown vector clock format byte 0x7f");
    }

    @Test
    void shouldRejectAnotherEntryKind()
    {
        assertRejected(bytes(0x02, 0x00), "holds HLC_MILLIS entries but the target clock holds COUNTERS");
    }

    @Test
    void shouldRejectTruncatedInput()
    {
        for (int length = 1; length < EXAMPLE.length; length++)
        {
            final byte[] truncated = new byte[length];
            System.arraycopy(EXAMPLE, 0, truncated, 0, length);
            assertRejected(truncated, length == 1 ? "truncated entry count" : "");
        }
        assertRejected(bytes(0x01, 0x01, 0x06, 0xAC), "truncated entry value");
    }

    @Test
    void shouldRejectACountLargerThanTheBuffer()
    {
        assertRejected(bytes(0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x06, 0x05),
            "entry count 4294967295 exceeds the 1 entries the remaining 2 bytes can hold");
    }

    @Test
    void shouldRejectDuplicateAndUnorderedNodeIds()
    {
        assertRejected(bytes(0x01, 0x02, 0x06, 0x05, 0x06, 0x07), "duplicate node id 3 after 3");
        assertRejected(bytes(0x01, 0x02, 0x06, 0x05, 0x07, 0x07), "duplicate node id 3 after 3");
        assertRejected(bytes(0x01, 0x02, 0x0E, 0x05, 0x06, 0x05), "node id out of order: 3 after 7");
    }

    @Test
    void shouldRejectUnknownNodeIdsWhenDecodingIntoAClock()
    {
        final byte[] unknown = bytes(0x01, 0x01, 0x08, 0x01);
        assertRejected(unknown, "unknown node id 4");
        // The flyweight needs no registry: it accepts the id, and a clock compares it as 0 on its side.
        final EncodedVectorClock encoded = new EncodedVectorClock().wrap(new UnsafeBuffer(unknown), 0, 4);
        assertThat(encoded.get(4)).isEqualTo(1);
    }

    @Test
    void shouldRejectNegativeAndZeroValues()
    {
        assertRejected(bytes(0x01, 0x01, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
            "negative value -1");
        assertRejected(bytes(0x01, 0x01, 0x06, 0x00), "zero value for node 3");
    }

    @Test
    void shouldRejectTrailingBytes()
    {
        final byte[] trailing = new byte[EXAMPLE.length + 1];
        System.arraycopy(EXAMPLE, 0, trailing, 0, EXAMPLE.length);
        assertRejected(trailing, "1 trailing bytes after a vector clock of 3 entries");
    }

    @Test
    void shouldRejectOverlongVarints()
    {
        assertRejected(bytes(0x01, 0x01, 0x86, 0x00, 0x05), "overlong node id varint: 2 bytes where fewer suffice");
        assertRejected(bytes(0x01, 0x80, 0x00), "overlong entry count varint");
        assertRejected(bytes(0x01, 0x01, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F),
            "overlong entry value varint: tenth byte 0x7f");
        assertRejected(bytes(0x01, 0x01, 0x06, 0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0, 0),
            "overlong entry value varint");
    }

    @Test
    void failedDecodeShouldReportTheOffsetAndLeaveTheClockUnchanged()
    {
        final NodeRegistry registry = exampleRegistry();
        final VectorClock clock = exampleClock(registry);
        final byte[] before = TestClocks.bytes(clock);
        final byte[] framed = bytes(0xEE, 0xEE, 0x01, 0x02, 0x06, 0x05, 0x06, 0x07);
        assertThatThrownBy(() -> clock.decode(new UnsafeBuffer(framed), 2, 6))
            .isInstanceOfSatisfying(MalformedClockException.class, ex -> assertThat(ex.offset()).isEqualTo(6));
        assertThat(TestClocks.bytes(clock)).isEqualTo(before);
        assertThat(clock.isPruned(registry.indexOf(130))).isTrue();
    }

    private static void assertRejected(final byte[] input, final String message)
    {
        final NodeRegistry registry = exampleRegistry();
        final VectorClock clock = exampleClock(registry);
        final byte[] before = TestClocks.bytes(clock);
        assertThatThrownBy(() -> clock.decode(new UnsafeBuffer(input), 0, input.length))
            .isInstanceOf(MalformedClockException.class).hasMessageContaining(message);
        assertThat(TestClocks.bytes(clock)).as("unchanged after rejecting %s", message).isEqualTo(before);
    }
}
