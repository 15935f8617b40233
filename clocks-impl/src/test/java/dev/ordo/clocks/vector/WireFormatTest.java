package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.MalformedClockException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wire format byte by byte (the example in docs/vector-clocks.md) and every rejection it documents. */
class WireFormatTest
{
    /** Nodes 3 = 5, 7 = 300 and 130 pruned (lower bound 1): 1-byte ids, 2-byte values. */
    private static final byte[] EXAMPLE = bytes(
        0x31, 0x14, 0x03,
        0x03, 0x07, 0x82,
        0x05, 0x00, 0x2C, 0x01, 0x01, 0x80);

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
        final byte[] buffer = new byte[EXAMPLE.length + 4];
        assertThat(clock.encode(buffer, 2)).isEqualTo(EXAMPLE.length);
        final byte[] written = new byte[EXAMPLE.length];
        System.arraycopy(buffer, 2, written, 0, EXAMPLE.length);
        assertThat(written).isEqualTo(EXAMPLE);
        assertThat(buffer[0]).isZero();
        assertThat(buffer[EXAMPLE.length + 2]).isZero();

        final VectorClock decoded = new VectorClock(registry);
        decoded.decode(EXAMPLE, 0, EXAMPLE.length);
        assertThat(decoded.get(registry.indexOf(3))).isEqualTo(5);
        assertThat(decoded.get(registry.indexOf(7))).isEqualTo(300);
        assertThat(decoded.get(registry.indexOf(130))).isEqualTo(1);
        assertThat(decoded.isPruned(registry.indexOf(130))).isTrue();
        assertThat(decoded.toString()).isEqualTo("VectorClock{3=5, 7=300, 130=>=1(pruned)}");
        // A clock embedded in a larger message without a length prefix: find where it ends.
        final byte[] message = bytes(0xEE, 0xEE, 0x31, 0x00, 0x01, 0x03, 0x05, 0xFF, 0xFF);
        assertThat(EncodedVectorClock.lengthOf(message, 2, 7)).isEqualTo(5);
        final EncodedVectorClock embedded = new EncodedVectorClock().wrapPrefix(message, 2, 7);
        assertThat(embedded.length()).isEqualTo(5);
        assertThat(embedded.get(3)).isEqualTo(5);
    }

    @Test
    void shouldEncodeTheEmptyClockAsThreeBytes()
    {
        final VectorClock clock = new VectorClock(new NodeRegistry());
        assertThat(TestClocks.bytes(clock)).isEqualTo(bytes(0x31, 0x00, 0x00));
        final VectorClock hybrid = new VectorClock(new NodeRegistry(), EntryKind.hybrid(HybridTimestampFormat.MICROS));
        assertThat(TestClocks.bytes(hybrid)).isEqualTo(bytes(0x33, 0x00, 0x00));
    }

    @Test
    void shouldUseTheSmallestWidthsThatHoldTheLargestIdAndValue()
    {
        final NodeRegistry registry = new NodeRegistry();
        final VectorClock clock = new VectorClock(registry);
        clock.increment(registry.register(255), 127);
        assertThat(TestClocks.bytes(clock)).isEqualTo(bytes(0x31, 0x00, 0x01, 0xFF, 0x7F));
        clock.increment(registry.register(256), 128);
        assertThat(TestClocks.bytes(clock))
            .isEqualTo(bytes(0x31, 0x05, 0x02, 0xFF, 0x00, 0x00, 0x01, 0x7F, 0x00, 0x80, 0x00));
        final long hashed = NodeRegistry.idOf("alice");
        clock.increment(registry.register("alice"), Long.MAX_VALUE);
        final byte[] wide = TestClocks.bytes(clock);
        assertThat(wide[1]).as("8-byte ids, 8-byte values").isEqualTo((byte)0x0F);
        assertThat(wide).hasSize(3 + 3 * 16);
        assertThat(new EncodedVectorClock().wrap(wide, 0, wide.length).get(hashed)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldRejectAnEncodingThatDoesNotFitTheBuffer()
    {
        final VectorClock clock = exampleClock(exampleRegistry());
        final byte[] small = new byte[EXAMPLE.length - 1];
        assertThatThrownBy(() -> clock.encode(small, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("12 bytes").hasMessageContaining("capacity 11");
        assertThat(small[0]).as("nothing written").isZero();
        assertThatThrownBy(() -> clock.encode(ByteBuffer.allocate(64).asReadOnlyBuffer(), 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
        final ByteBuffer limited = ByteBuffer.allocate(64).limit(11);
        assertThatThrownBy(() -> clock.encode(limited, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("capacity 11");
    }

    @Test
    void shouldRoundTripEdgeValuesAndIdsThroughEveryWidth()
    {
        final long[] edges = {
            0, 1, 126, 127, 128, 255, 256, 32_767, 32_768, 65_535, 65_536, (1L << 31) - 1, 1L << 31,
            (1L << 32) - 1, 1L << 32, (1L << 62) - 1, 1L << 62, Long.MAX_VALUE - 1, Long.MAX_VALUE };
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
                for (final int padding : new int[] { 0, 1, 9 })
                {
                    final byte[] framed = new byte[exact.length + padding];
                    System.arraycopy(exact, 0, framed, 0, exact.length);
                    for (final TestClocks.Home home : TestClocks.Home.values())
                    {
                        final VectorClock decoded = new VectorClock(registry);
                        final EncodedVectorClock encoded = new EncodedVectorClock();
                        if (home == TestClocks.Home.ARRAY)
                        {
                            decoded.decode(framed, 0, exact.length);
                            encoded.wrap(framed, 0, exact.length);
                            assertThat(EncodedVectorClock.lengthOf(framed, 0, framed.length)).isEqualTo(exact.length);
                        }
                        else
                        {
                            final ByteBuffer buffer = home.buffer(framed);
                            decoded.decode(buffer, 0, exact.length);
                            encoded.wrap(buffer, 0, exact.length);
                            assertThat(EncodedVectorClock.lengthOf(buffer, 0, framed.length)).isEqualTo(exact.length);
                        }
                        assertThat(decoded.get(index)).as("id %d value %d %s", id, value, home).isEqualTo(value);
                        assertThat(encoded.get(id)).as("id %d value %d %s", id, value, home).isEqualTo(value);
                    }
                }
            }
        }
    }

    @Test
    void shouldRejectEmptyInput()
    {
        assertRejected(bytes(), "empty input", 0);
    }

    @Test
    void shouldRejectAnUnknownFormatByteAndTheRetiredVarintLayout()
    {
        assertRejected(bytes(0x7f, 0x00, 0x00), "unknown vector clock format byte 0x7f", 0);
        assertRejected(bytes(0x01, 0x00), "layout version 1, the varint layout of Ordo 0.1, is no longer read", 0);
        assertRejected(bytes(0x21, 0x00, 0x00), "layout version 2, ids and values interleaved, is no longer read", 0);
        assertRejected(bytes(0x34, 0x00, 0x00), "unknown vector clock format byte 0x34", 0);
    }

    @Test
    void shouldRejectAnotherEntryKind()
    {
        assertRejected(bytes(0x32, 0x00, 0x00), "holds HLC_MILLIS entries but the target clock holds COUNTERS", 0);
    }

    @Test
    void shouldRejectTruncationAtEveryByte()
    {
        for (int length = 1; length < EXAMPLE.length; length++)
        {
            final byte[] truncated = new byte[length];
            System.arraycopy(EXAMPLE, 0, truncated, 0, length);
            assertRejected(truncated, length == 1 ? "truncated header" : length == 2 ? "truncated entry count" :
                "needs 9 bytes of 3-byte entries but only " + (length - 3) + " remain", length < 3 ? length : 2);
        }
    }

    @Test
    void shouldRejectReservedLayoutBitsAndALayoutOnAnEmptyClock()
    {
        assertRejected(bytes(0x31, 0x20, 0x00), "sets reserved bits", 1);
        assertRejected(bytes(0x31, 0x01, 0x00), "on a clock without entries (must be 0x00)", 1);
    }

    @Test
    void shouldRejectCountsThatLieOrCannotBe()
    {
        assertRejected(bytes(0x31, 0x00, 0x02, 0x03, 0x05), "entry count 2 needs 4 bytes of 2-byte entries but only 2", 2);
        assertRejected(bytes(0x31, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
            "entry count varint longer than 3 bytes", 2);
        assertRejected(bytes(0x31, 0x00, 0xFF, 0xFF, 0x7F), "entry count 2097151 exceeds the 1048576 nodes", 2);
        assertRejected(bytes(0x31, 0x00, 0x80, 0x00), "overlong entry count varint", 2);
        assertRejected(bytes(0x31, 0x00, 0x04, 1, 2, 3, 4, 1, 1, 1, 1), "entry count 4 exceeds the 3 registered", 2);
    }

    @Test
    void shouldRejectDuplicateAndUnorderedNodeIds()
    {
        assertRejected(bytes(0x31, 0x00, 0x02, 0x03, 0x03, 0x05, 0x07), "duplicate node id 3 after 3", 4);
        assertRejected(bytes(0x31, 0x00, 0x02, 0x07, 0x03, 0x05, 0x05), "node id out of order: 3 after 7", 4);
    }

    @Test
    void shouldRejectIdsAtOrAboveTwoToTheSixtyThree()
    {
        final byte[] input = bytes(0x31, 0x03, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x01);
        assertRejected(input, "node id 9223372036854775808 is above 2^63 - 1", 3);
    }

    @Test
    void shouldRejectUnknownNodeIdsWhenDecodingIntoAClock()
    {
        final byte[] unknown = bytes(0x31, 0x00, 0x01, 0x04, 0x01);
        assertRejected(unknown, "unknown node id 4", 3);
        // The flyweight needs no registry: it accepts the id, and a clock compares it as 0 on its side.
        final EncodedVectorClock encoded = new EncodedVectorClock().wrap(unknown, 0, unknown.length);
        assertThat(encoded.get(4)).isEqualTo(1);
    }

    @Test
    void shouldRejectZeroValuesAndAcceptTheLargest()
    {
        assertRejected(bytes(0x31, 0x00, 0x01, 0x03, 0x00), "zero value for node 3", 4);
        // With the flag, a zero value is a retired marker: decode needs the node retired in its registry.
        assertRejected(bytes(0x31, 0x10, 0x01, 0x03, 0x80), "retired marker for node 3", 3);
        // The largest value a field holds (2^63 - 1 at 8 bytes) is the largest entry of every kind.
        final NodeRegistry registry = new NodeRegistry();
        registry.register(3);
        final VectorClock hybrid = new VectorClock(registry, EntryKind.HLC_MILLIS);
        final byte[] input = new byte[] { 0x32, 0x0C, 0x01, 0x03, -1, -1, -1, -1, -1, -1, -1, 0x7F };
        hybrid.decode(input, 0, input.length);
        assertThat(hybrid.get(0)).isEqualTo(Long.MAX_VALUE).isEqualTo(EntryKind.HLC_MILLIS.maxValue());
    }

    @Test
    void shouldRejectNonCanonicalLayouts()
    {
        // 2-byte ids for ids below 256, 2-byte values for values below 128, a pruned bit without a pruned entry.
        assertRejected(bytes(0x31, 0x01, 0x01, 0x03, 0x00, 0x05), "not canonical", 1);
        assertRejected(bytes(0x31, 0x04, 0x01, 0x03, 0x05, 0x00), "not canonical", 1);
        assertRejected(bytes(0x31, 0x10, 0x01, 0x03, 0x05), "not canonical", 1);
        assertRejected(bytes(0x31, 0x00, 0x01, 0x03, 0x85), "not canonical", 1);
    }

    @Test
    void shouldRejectTrailingBytes()
    {
        final byte[] trailing = new byte[EXAMPLE.length + 1];
        System.arraycopy(EXAMPLE, 0, trailing, 0, EXAMPLE.length);
        assertRejected(trailing, "1 trailing bytes after a vector clock of 3 entries", EXAMPLE.length);
    }

    @Test
    void failedDecodeShouldReportTheOffsetAndLeaveTheClockUnchanged()
    {
        final NodeRegistry registry = exampleRegistry();
        final VectorClock clock = exampleClock(registry);
        final byte[] before = TestClocks.bytes(clock);
        final byte[] framed = bytes(0xEE, 0xEE, 0x31, 0x00, 0x02, 0x03, 0x03, 0x05, 0x07);
        assertThatThrownBy(() -> clock.decode(framed, 2, 7))
            .isInstanceOfSatisfying(MalformedClockException.class, ex -> assertThat(ex.offset()).isEqualTo(6));
        assertThat(TestClocks.bytes(clock)).isEqualTo(before);
        assertThat(clock.isPruned(registry.indexOf(130))).isTrue();
    }

    private static void assertRejected(final byte[] input, final String message, final int offset)
    {
        final NodeRegistry registry = exampleRegistry();
        final VectorClock clock = exampleClock(registry);
        final byte[] before = TestClocks.bytes(clock);
        for (final TestClocks.Home home : TestClocks.Home.values())
        {
            assertThatThrownBy(() ->
            {
                if (home == TestClocks.Home.ARRAY)
                {
                    clock.decode(input, 0, input.length);
                }
                else
                {
                    clock.decode(home.buffer(input), 0, input.length);
                }
            }).as("%s", home).isInstanceOfSatisfying(MalformedClockException.class, ex ->
            {
                assertThat(ex.getMessage()).contains(message);
                assertThat(ex.offset()).as("offset of: %s", message).isEqualTo(offset);
            });
            assertThat(TestClocks.bytes(clock)).as("unchanged after rejecting %s", message).isEqualTo(before);
        }
    }

    @Test
    void arrayEncodingShouldWriteExactlyTheBytesOfTheGenericPathAndNothingAroundThem()
    {
        final long seed = dev.ordo.clocks.testing.Seeds.seed(
            "arrayEncodingShouldWriteExactlyTheBytesOfTheGenericPathAndNothingAroundThem");
        final java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int t = 0; t < 2_000; t++)
        {
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(40), random);
            final VectorClock clock = TestClocks.random(registry, random, false);
            final int length = clock.encodedLength();
            final int offset = random.nextInt(5);
            final byte[] array = new byte[offset + length + random.nextInt(3)];
            java.util.Arrays.fill(array, (byte)0x5A);
            assertThat(clock.encode(array, offset)).isEqualTo(length);
            final java.nio.ByteBuffer heap = java.nio.ByteBuffer.allocate(array.length);
            clock.encode(heap, offset);
            for (int i = 0; i < array.length; i++)
            {
                if (i < offset || i >= offset + length)
                {
                    assertThat(array[i]).as("seed %d byte %d outside the encoding", seed, i).isEqualTo((byte)0x5A);
                }
                else
                {
                    assertThat(array[i]).as("seed %d byte %d", seed, i).isEqualTo(heap.get(i));
                }
            }
        }
    }
}
