package dev.ordo.clocks.itc;

import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The ITC wire format: round trips through {@code byte[]} and heap/direct buffers; truncation at every byte,
 * trees nested past the depth limit (no stack overflow), counters past 2^62 - 1 along a path, varints that decode
 * negative, non-normalized trees and random mutations are refused with {@link MalformedClockException}, and
 * whatever is accepted re-encodes to the same bytes (the format is canonical).
 */
class ItcWireFormatTest
{
    @Test
    void shouldRoundTripAndRefuseEveryTruncation()
    {
        final long seed = Seeds.seed("ItcWireFormatTest.roundTrip");
        final Random random = new Random(seed);
        for (int trial = 0; trial < 200; trial++)
        {
            final ItcStamp stamp = ItcStampModelTest.randomDisjointStamps(random)[random.nextInt(3)];
            final byte[] wire = new byte[stamp.encodedLength() + 3];
            final int length = stamp.encode(wire, 3);
            assertThat(ItcStamp.decode(wire, 3, length)).isEqualTo(stamp);
            final ByteBuffer direct = ByteBuffer.allocateDirect(length + 1);
            stamp.encode(direct, 1);
            assertThat(ItcStamp.decode(direct, 1, length)).isEqualTo(stamp);
            for (int cut = 0; cut < length; cut++)
            {
                final int c = cut;
                assertThatThrownBy(() -> ItcStamp.decode(wire, 3, c)).as("seed " + seed)
                    .isInstanceOf(MalformedClockException.class);
            }
        }
    }

    @Test
    void nastyShapesShouldBeRefusedWithoutStackOverflow()
    {
        final byte[] deepId = new byte[100_000];
        Arrays.fill(deepId, (byte)2);
        deepId[0] = 0x49;
        assertRefused(deepId, "deeper");
        final byte[] deepEvent = new byte[100_000];
        Arrays.fill(deepEvent, (byte)1); // varint 1: n = 0, split
        deepEvent[0] = 0x49;
        deepEvent[1] = 1;
        assertRefused(deepEvent, "deeper");
        // A counter of 2^62 would need the word n << 1 = 2^63: a varint that decodes negative, refused as such.
        assertRefused(new byte[] { 0x49, 1, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF,
            (byte)0xFF, (byte)0xFF, (byte)0xFF, 0x01 }, "larger than 2^63-1");
        // A path whose sum passes the limit: (2^61, (0, 2^61 + 1 ...)).
        assertRefused(concat(new byte[] { 0x49, 1 }, varint(((1L << 61) << 1) | 1), varint((1L << 61) << 1),
            varint(0)), "past 2^62 - 1");
        // Non-normalized trees.
        assertRefused(new byte[] { 0x49, 2, 0, 0, 0 }, "not normalized");
        assertRefused(new byte[] { 0x49, 2, 1, 1, 0 }, "not normalized");
        assertRefused(new byte[] { 0x49, 1, 3, 4, 4 }, "not normalized");   // (1, 2, 2)
        assertRefused(new byte[] { 0x49, 1, 3, 2, 4 }, "not normalized");   // (1, 1, 2): min 1
        assertRefused(new byte[] { 0x49, 7, 0 }, "tag 7");
        assertRefused(new byte[] { 0x48, 1, 0 }, "format byte");
        assertRefused(new byte[] { 0x49, 1, 0, 0 }, "trailing");
        assertRefused(new byte[] { 0x49, 1, (byte)0x80, 0 }, "minimally");
        assertThat(ItcStamp.decode(new byte[] { 0x49, 1, 0 }, 0, 3)).isEqualTo(ItcStamp.seed());
    }

    @Test
    void randomMutationsShouldBeRefusedOrDecodeCanonically()
    {
        final long seed = Seeds.seed("ItcWireFormatTest.mutations");
        final Random random = new Random(seed);
        for (int trial = 0; trial < 5000; trial++)
        {
            final ItcStamp stamp = ItcStampModelTest.randomDisjointStamps(random)[random.nextInt(3)];
            final byte[] wire = new byte[stamp.encodedLength()];
            stamp.encode(wire, 0);
            wire[random.nextInt(wire.length)] = (byte)random.nextInt(256);
            final Throwable thrown = catchThrowable(() -> ItcStamp.decode(wire, 0, wire.length));
            if (thrown != null)
            {
                assertThat(thrown).as("seed " + seed).isInstanceOf(MalformedClockException.class);
            }
            else
            {
                final ItcStamp decoded = ItcStamp.decode(wire, 0, wire.length);
                final byte[] again = new byte[decoded.encodedLength()];
                decoded.encode(again, 0);
                assertThat(again).as("seed " + seed).isEqualTo(wire);
            }
        }
    }

    private static void assertRefused(final byte[] input, final String message)
    {
        assertThatThrownBy(() -> ItcStamp.decode(input, 0, input.length)).isInstanceOf(MalformedClockException.class)
            .hasMessageContaining(message);
        assertThatThrownBy(() -> ItcStamp.decode(ByteBuffer.wrap(input), 0, input.length))
            .isInstanceOf(MalformedClockException.class);
    }

    private static byte[] varint(final long value)
    {
        final byte[] b = new byte[10];
        int i = 0;
        long v = value;
        while ((v & ~0x7FL) != 0)
        {
            b[i++] = (byte)((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[i++] = (byte)v;
        return Arrays.copyOf(b, i);
    }

    private static byte[] concat(final byte[]... parts)
    {
        int n = 0;
        for (final byte[] p : parts)
        {
            n += p.length;
        }
        final byte[] out = new byte[n];
        int at = 0;
        for (final byte[] p : parts)
        {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
