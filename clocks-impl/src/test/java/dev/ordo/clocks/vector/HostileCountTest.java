package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, items 10 and 11: an entry count is checked against the bytes that remain before anything is
 * allocated or looped over, whatever the count field holds (a varint that would decode to a negative long,
 * the largest count the field can hold, a count that lies), and a rejected message leaves every object as it
 * was, including scratch state a later call could reuse. (The first version of these tests, against the
 * varint layout, failed on the code before the fix: decode returned normally, brought back entries after
 * reset(), and merge reported offset 0 for an unknown id.)
 */
class HostileCountTest
{
    /** Counts the count field can carry, with nothing (or too little) after them. */
    private static final byte[][] HOSTILE = {
        // A 10-byte varint of 2^63 + 3: a negative long if it were decoded as 64 bits.
        { 0x31, 0x00, (byte)0x83, (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80,
          (byte)0x80, (byte)0x80, 0x01 },
        // The largest 3-byte count, 2^21 - 1.
        { 0x31, 0x00, (byte)0xFF, (byte)0xFF, 0x7F },
        // Exactly MAX_NODES entries announced, none present.
        { 0x31, 0x0F, (byte)0x80, (byte)0x80, 0x40 },
        // Three entries announced, one present.
        { 0x31, 0x00, 0x03, 0x01, 0x07 },
    };

    @Test
    void decodeShouldRefuseEveryHostileCountAndLeaveTheClockUnchanged()
    {
        final NodeRegistry registry = new NodeRegistry();
        for (int id = 1; id <= 3; id++)
        {
            registry.register(id);
        }
        final VectorClock clock = new VectorClock(registry);
        clock.increment(0, 42);
        for (final byte[] input : HOSTILE)
        {
            assertThatThrownBy(() -> clock.decode(input, 0, input.length))
                .isInstanceOf(MalformedClockException.class).hasMessageContaining("entry count");
            assertThat(clock.get(0)).isEqualTo(42);
            assertThat(clock.liveEntries()).isEqualTo(1);
        }
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
        final byte[] valid = TestClocks.bytes(sender);
        clock.decode(valid, 0, valid.length);
        clock.reset();
        for (final byte[] input : HOSTILE)
        {
            assertThatThrownBy(() -> clock.decode(input, 0, input.length))
                .isInstanceOf(MalformedClockException.class).hasMessageContaining("entry count");
            assertThat(clock.liveEntries()).as("the reset clock stays empty").isZero();
        }
    }

    @Test
    void wrapWrapPrefixAndLengthOfShouldRefuseHostileCountsAndKeepTheFlyweightAsItWas()
    {
        final NodeRegistry registry = new NodeRegistry();
        final VectorClock a = new VectorClock(registry);
        a.increment(registry.register(9), 3);
        final VectorClock b = new VectorClock(registry);
        b.increment(registry.register(10), 1);
        final EncodedVectorClock flyweight = new EncodedVectorClock().wrap(TestClocks.bytes(a), 0, a.encodedLength());
        final EncodedVectorClock other = new EncodedVectorClock().wrap(TestClocks.bytes(b), 0, b.encodedLength());
        final String before = flyweight.toString();
        for (final byte[] input : HOSTILE)
        {
            assertThatThrownBy(() -> flyweight.wrap(input, 0, input.length))
                .isInstanceOf(MalformedClockException.class).hasMessageContaining("entry count");
            assertThatThrownBy(() -> flyweight.wrapPrefix(input, 0, input.length))
                .isInstanceOf(MalformedClockException.class).hasMessageContaining("entry count");
            assertThatThrownBy(() -> EncodedVectorClock.lengthOf(input, 0, input.length))
                .isInstanceOf(MalformedClockException.class).hasMessageContaining("entry count");
            assertThat(flyweight.toString()).as("flyweight unchanged").isEqualTo(before);
            assertThat(flyweight.entryCount()).isEqualTo(1);
            assertThat(flyweight.length()).isEqualTo(a.encodedLength());
            assertThat(flyweight.compare(other)).isEqualTo(Causality.CONCURRENT);
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
        final EncodedVectorClock encoded = new EncodedVectorClock().wrap(bytes, 0, bytes.length);
        assertThatThrownBy(() -> receiver.merge(encoded))
            .isInstanceOfSatisfying(MalformedClockException.class, ex ->
            {
                assertThat(ex.getMessage()).contains("unknown node id 2");
                assertThat(ex.offset()).as("offset of node 2's id").isEqualTo(TestClocks.idOffset(bytes, 1));
            });
        assertThat(receiver.liveEntries()).isZero();
    }
}
