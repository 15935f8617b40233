package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.ordo.clocks.vector.TestClocks.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The same bytes must mean the same thing wherever they lie: a byte[] at an offset, a heap buffer sliced out of
 * a larger array (non-zero array offset, non-zero position), read-only heap and direct buffers in either byte
 * order (no accessible array: the ByteBuffer accessor path), and arrays shorter than the 8-byte fast path
 * needs. Accept or reject alike (with the same message and offset), decode to the same clock, compare alike
 * with a clock and with an encoding.
 */
class BufferViewsDifferentialTest
{
    private static final int CASES = 1_500;
    private static final int VIEWS = 8;

    @Test
    void everyBufferViewShouldAgreeWithTheByteArrayOnAcceptanceDecodingAndComparison()
    {
        final long seed = Seeds.seed("everyBufferViewShouldAgreeWithTheByteArrayOnAcceptanceDecodingAndComparison");
        final SplittableRandom random = new SplittableRandom(seed);
        final NodeRegistry registry = TestClocks.registry(10, random);
        final VectorClock other = TestClocks.random(registry, random, true);
        final EncodedVectorClock otherEncoded = new EncodedVectorClock();
        final byte[] otherBytes = TestClocks.bytes(other);
        otherEncoded.wrap(otherBytes, 0, otherBytes.length);
        final VectorClock reference = new VectorClock(registry);
        final VectorClock target = new VectorClock(registry);
        final EncodedVectorClock flyweight = new EncodedVectorClock();
        int accepted = 0;
        for (int c = 0; c < CASES; c++)
        {
            final byte[] input = TestClocks.bytes(TestClocks.random(registry, random, true));
            if (random.nextInt(3) != 0)
            {
                for (int m = 1 + random.nextInt(2); m > 0; m--)
                {
                    input[random.nextInt(input.length)] = (byte)(random.nextInt(4) == 0 ? 0 : random.nextInt(256));
                }
            }
            String expectedError = null;
            try
            {
                reference.decode(input, 0, input.length);
            }
            catch (final MalformedClockException ex)
            {
                expectedError = ex.getMessage();
            }
            accepted += expectedError == null ? 1 : 0;
            final int pad = random.nextInt(20);
            for (int v = 0; v < VIEWS; v++)
            {
                final String where = "seed " + seed + " case " + c + " view " + v + " input " + hex(input);
                final Object view = view(v, input, pad);
                final int at = v == 0 || v == 7 ? (v == 0 ? pad : 0) : pad;
                String error = null;
                try
                {
                    decode(target, view, at, input.length);
                    wrap(flyweight, view, at, input.length);
                }
                catch (final MalformedClockException ex)
                {
                    error = ex.getMessage();
                    assertThat(ex.offset() - at).as(where).isBetween(0, input.length);
                }
                catch (final RuntimeException ex)
                {
                    fail(where + " threw " + ex, ex);
                }
                if (expectedError != null || error != null)
                {
                    assertThat(withoutOffsets(error)).as(where + ": rejected alike")
                        .isEqualTo(withoutOffsets(expectedError));
                    continue;
                }
                assertThat(TestClocks.bytes(target)).as(where).isEqualTo(input);
                assertThat(target.compare(other)).as(where).isEqualTo(reference.compare(other));
                assertThat(other.compare(flyweight)).as(where).isEqualTo(other.compare(reference));
                final Causality expected = otherEncoded.compare(new EncodedVectorClock().wrap(input, 0, input.length));
                assertThat(otherEncoded.compare(flyweight)).as(where).isEqualTo(expected);
                assertThat(flyweight.compare(otherEncoded)).as(where).isEqualTo(expected.reversed());
                assertThat(flyweight.toBytes()).as(where).isEqualTo(input);
            }
        }
        assertThat(accepted).as("seed %d", seed).isBetween(CASES / 10, CASES - CASES / 10);
    }

    /** View v of the input placed at index {@code pad} (view 7: a copy of exactly the input, under 16 bytes). */
    private static Object view(final int v, final byte[] input, final int pad)
    {
        final byte[] framed = new byte[pad + input.length + 3];
        Arrays.fill(framed, (byte)0xA5);
        System.arraycopy(input, 0, framed, pad, input.length);
        switch (v)
        {
            case 0:
                return framed;
            case 1:
            {
                // A slice of a larger array: array offset 5, position moved, little-endian order set.
                final byte[] larger = new byte[framed.length + 5];
                System.arraycopy(framed, 0, larger, 5, framed.length);
                final ByteBuffer slice = ByteBuffer.wrap(larger).slice(5, framed.length);
                slice.position(pad / 2).order(ByteOrder.LITTLE_ENDIAN);
                return slice;
            }
            case 2:
                return ByteBuffer.wrap(framed).asReadOnlyBuffer();
            case 3:
                return ByteBuffer.wrap(framed).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN);
            case 4:
                return direct(framed, ByteOrder.BIG_ENDIAN).asReadOnlyBuffer();
            case 5:
                return direct(framed, ByteOrder.LITTLE_ENDIAN);
            case 6:
            {
                // A direct slice: index 0 of the slice is byte 4 of the allocation.
                final ByteBuffer whole = ByteBuffer.allocateDirect(framed.length + 4);
                whole.put(4, framed);
                return whole.slice(4, framed.length).order(ByteOrder.LITTLE_ENDIAN);
            }
            default:
                return input.clone(); // often shorter than the 16 bytes the array fast path needs
        }
    }

    private static String withoutOffsets(final String message)
    {
        return message == null ? null : message.replaceAll("offset \\d+", "offset");
    }

    private static ByteBuffer direct(final byte[] bytes, final ByteOrder order)
    {
        final ByteBuffer b = ByteBuffer.allocateDirect(bytes.length).order(order);
        b.put(0, bytes);
        return b;
    }

    private static void decode(final VectorClock clock, final Object view, final int at, final int length)
    {
        if (view instanceof byte[])
        {
            clock.decode((byte[])view, at, length);
        }
        else
        {
            clock.decode((ByteBuffer)view, at, length);
        }
    }

    private static void wrap(final EncodedVectorClock flyweight, final Object view, final int at, final int length)
    {
        if (view instanceof byte[])
        {
            flyweight.wrap((byte[])view, at, length);
        }
        else
        {
            flyweight.wrap((ByteBuffer)view, at, length);
        }
    }
}
