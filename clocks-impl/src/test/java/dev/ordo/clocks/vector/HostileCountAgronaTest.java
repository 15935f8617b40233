package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.MalformedClockException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, items 10 and 11: an entry count of 2^63 or more (a varint that decodes to a negative long) is
 * a count, not a small number; it must be refused before anything is allocated or looped over, and a
 * rejected message must leave every object (including scratch state) as it was.
 */
class HostileCountAgronaTest
{
    /** Counters, then a 10-byte varint count of 2^63 + low, then nothing. */
    private static byte[] hugeCount(final long low)
    {
        final long count = Long.MIN_VALUE | low;
        final byte[] bytes = new byte[11];
        bytes[0] = 0x01;
        long v = count;
        for (int i = 1; i < 10; i++)
        {
            bytes[i] = (byte)((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[10] = (byte)v;
        return bytes;
    }

    @Test
    void decodeShouldRefuseACountOfTwoToTheSixtyThreeWithoutAllocatingForIt()
    {
        final NodeRegistry registry = new NodeRegistry();
        registry.register(1);
        final VectorClock clock = new VectorClock(registry);
        final byte[] input = hugeCount(Integer.MAX_VALUE);
        assertThatThrownBy(() -> clock.decode(new UnsafeBuffer(input), 0, input.length))
            .isInstanceOf(MalformedClockException.class).hasMessageContaining("entry count 9223372039002259455");
    }

    @Test
    void aRejectedHugeCountAfterResetShouldNotBringBackEarlierEntries()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int[] nodes = { registry.register(1), registry.register(2), registry.register(3) };
        final VectorClock sender = new VectorClock(registry);
        for (final int node : nodes)
        {
            sender.increment(node, 7);
        }
        final VectorClock clock = new VectorClock(registry);
        clock.decode(new UnsafeBuffer(TestClocks.bytes(sender)), 0, sender.encodedLength());
        clock.reset();
        final byte[] input = hugeCount(3);
        assertThatThrownBy(() -> clock.decode(new UnsafeBuffer(input), 0, input.length))
            .isInstanceOf(MalformedClockException.class).hasMessageContaining("entry count");
        assertThat(clock.liveEntries()).as("the reset clock stays empty").isZero();
    }

    @Test
    void wrapAndLengthOfShouldRefuseAHugeCount()
    {
        for (final long low : new long[] { 0, 3, Long.MAX_VALUE })
        {
            final byte[] input = hugeCount(low);
            final EncodedVectorClock flyweight = new EncodedVectorClock();
            assertThatThrownBy(() -> flyweight.wrap(new UnsafeBuffer(input), 0, input.length))
                .isInstanceOf(MalformedClockException.class).hasMessageContaining("entry count");
            assertThat(flyweight.kind()).as("flyweight unchanged").isNull();
            assertThatThrownBy(() -> EncodedVectorClock.lengthOf(new UnsafeBuffer(input), 0, input.length))
                .isInstanceOf(MalformedClockException.class).hasMessageContaining("entry count");
        }
    }

    @Test
    void mergeOfAnEncodingWithAnUnknownNodeShouldReportTheOffsetOfThatId()
    {
        final NodeRegistry senderMembers = new NodeRegistry();
        final VectorClock sender = new VectorClock(senderMembers);
        sender.increment(senderMembers.register(1), 5);
        sender.increment(senderMembers.register(2), 6);
        final byte[] bytes = TestClocks.bytes(sender);
        final NodeRegistry receiverMembers = new NodeRegistry();
        receiverMembers.register(1);
        final VectorClock receiver = new VectorClock(receiverMembers);
        final EncodedVectorClock encoded = new EncodedVectorClock().wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        assertThatThrownBy(() -> receiver.merge(encoded))
            .isInstanceOfSatisfying(MalformedClockException.class, ex ->
            {
                assertThat(ex.getMessage()).contains("unknown node id 2");
                assertThat(ex.offset()).as("offset of node 2's id").isEqualTo(TestClocks.idOffset(bytes, 1));
            });
        assertThat(receiver.liveEntries()).isZero();
    }
}
