package dev.ordo.clocks.dvv;

import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The DVV wire formats: round trips on {@code byte[]}, heap and direct {@link ByteBuffer}s; and hostile input
 * (truncation at every byte, counts of 2^62 with nothing after them, lengths that lie, varints that decode
 * negative, non-canonical encodings, random mutations, a value codec that refuses) is refused with a
 * {@link MalformedClockException} and leaves the target exactly as it was.
 */
class DvvWireFormatTest
{
    private static final DvvValueCodec<byte[]> BYTES = DvvValueCodec.bytes();

    @Test
    void setsAndVectorsShouldRoundTripThroughEveryTarget()
    {
        final long seed = Seeds.seed("DvvWireFormatTest.roundTrip");
        final Random random = new Random(seed);
        for (int trial = 0; trial < 200; trial++)
        {
            final DvvSet<String> set = randomSet(random);
            final int length = set.encodedLength(DvvWorld.STRINGS);
            final byte[] array = new byte[length + 7];
            assertThat(set.encode(DvvWorld.STRINGS, array, 5)).isEqualTo(length);
            final DvvSet<String> fromArray = new DvvSet<>();
            fromArray.decode(DvvWorld.STRINGS, array, 5, length);
            assertThat(fromArray).as("seed " + seed).isEqualTo(set);
            for (final ByteBuffer buffer : new ByteBuffer[] { ByteBuffer.allocate(length + 9),
                ByteBuffer.allocateDirect(length + 9) })
            {
                assertThat(set.encode(DvvWorld.STRINGS, buffer, 9)).isEqualTo(length);
                final DvvSet<String> fromBuffer = new DvvSet<>();
                fromBuffer.decode(DvvWorld.STRINGS, buffer, 9, length);
                assertThat(fromBuffer).as("seed " + seed).isEqualTo(set);
                assertThat(buffer.position()).isZero();
            }
            final VersionVector context = set.context();
            final byte[] vv = new byte[context.encodedLength()];
            assertThat(context.encode(vv, 0)).isEqualTo(vv.length);
            final VersionVector decoded = new VersionVector(0);
            decoded.decode(ByteBuffer.wrap(vv), 0, vv.length);
            assertThat(decoded).isEqualTo(context);
        }
    }

    @Test
    void truncationAtEveryByteShouldBeRefusedAndLeaveTheTargetUnchanged()
    {
        final long seed = Seeds.seed("DvvWireFormatTest.truncation");
        final Random random = new Random(seed);
        for (int trial = 0; trial < 30; trial++)
        {
            final byte[] set = encode(randomByteSet(random));
            final byte[] vv = encodeContext(randomByteSet(random));
            for (int cut = 0; cut < set.length; cut++)
            {
                assertSetRefused(Arrays.copyOf(set, cut), random);
            }
            for (int cut = 0; cut < vv.length; cut++)
            {
                assertVectorRefused(Arrays.copyOf(vv, cut), random);
            }
        }
    }

    @Test
    void nastyShapesShouldBeRefusedBeforeAnythingIsAllocatedOrLoopedOver()
    {
        final Random random = new Random(Seeds.seed("DvvWireFormatTest.nasty"));
        final long huge = 1L << 62;
        // Huge counts with nothing after them.
        assertSetRefused(bytes(0x53, varint(huge)), random);
        assertSetRefused(bytes(0x53, varint(Integer.MAX_VALUE)), random);
        assertVectorRefused(bytes(0x44, varint(huge)), random);
        assertVectorRefused(bytes(0x44, varint(VersionVector.MAX_ENTRIES + 1L)), random);
        // A sibling count that lies, a value length that lies.
        assertSetRefused(bytes(0x53, 1, 5, 9, varint(huge)), random);
        assertSetRefused(bytes(0x53, 1, 5, 9, 2, 1, 'a'), random);
        assertSetRefused(bytes(0x53, 1, 5, 9, 1, varint(huge), 'a'), random);
        assertSetRefused(bytes(0x53, 1, 5, 9, 1, 3, 'a', 'b'), random);
        // A varint that decodes negative (bit 63 set) is 2^63 or more, never a small number.
        final byte[] negative = { (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF,
            (byte)0xFF, (byte)0xFF, 0x01 };
        assertSetRefused(bytes(0x53, negative), random);
        assertSetRefused(bytes(0x53, 1, negative, 1, 0), random);
        assertVectorRefused(bytes(0x44, 1, 5, negative), random);
        assertSetRefused(bytes(0x53, 1, 5, 1, negative), random);
        // Eleven-byte varint, non-minimal varint.
        assertVectorRefused(bytes(0x44, 1, 0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 1), random);
        assertVectorRefused(bytes(0x44, 1, 0x85, 0x00, 1), random);
        // Semantic errors: counter 0, more siblings than the counter, ids out of order or repeated, bad format
        // byte, trailing bytes.
        assertSetRefused(bytes(0x53, 1, 5, 0, 0), random);
        assertSetRefused(bytes(0x53, 1, 5, 1, 2, 1, 'a', 1, 'b'), random);
        assertSetRefused(bytes(0x53, 2, 5, 1, 0, 5, 1, 0), random);
        assertSetRefused(bytes(0x53, 2, 6, 1, 0, 5, 1, 0), random);
        assertVectorRefused(bytes(0x44, 2, 6, 1, 5, 1), random);
        assertVectorRefused(bytes(0x44, 1, 5, 0), random);
        assertSetRefused(bytes(0x44, 0), random);
        assertVectorRefused(bytes(0x53, 0), random);
        assertSetRefused(bytes(0x53, 0, 0), random);
        assertVectorRefused(bytes(0x44, 0, 0), random);
        // The empty encodings are valid.
        new DvvSet<byte[]>().decode(BYTES, bytes(0x53, 0), 0, 2);
        new VersionVector().decode(bytes(0x44, 0), 0, 2);
    }

    @Test
    void aValueTheCodecRefusesShouldBeReportedAsMalformedAndLeaveTheSetUnchanged()
    {
        final DvvValueCodec<String> picky = new DvvValueCodec<>()
        {
            @Override
            public int encodedLength(final String value)
            {
                return DvvWorld.STRINGS.encodedLength(value);
            }

            @Override
            public void encode(final String value, final byte[] dst, final int offset)
            {
                DvvWorld.STRINGS.encode(value, dst, offset);
            }

            @Override
            public void encode(final String value, final ByteBuffer dst, final int index)
            {
                DvvWorld.STRINGS.encode(value, dst, index);
            }

            @Override
            public String decode(final byte[] src, final int offset, final int length)
            {
                final String s = DvvWorld.STRINGS.decode(src, offset, length);
                if (s.startsWith("bad"))
                {
                    throw new IllegalArgumentException("bad value");
                }
                return s;
            }

            @Override
            public String decode(final ByteBuffer src, final int index, final int length)
            {
                return decode(DvvWorld.STRINGS.decode(src, index, length).getBytes(), 0, length);
            }
        };
        final DvvSet<String> source = new DvvSet<>();
        source.update(new VersionVector(), 1, "good");
        source.update(new VersionVector(), 2, "bad");
        final byte[] encoded = new byte[source.encodedLength(picky)];
        source.encode(picky, encoded, 0);
        final DvvSet<String> target = new DvvSet<>();
        target.update(new VersionVector(), 9, "keep me");
        final DvvSet<String> before = DvvSetLawsTest.copy(target);
        assertThatThrownBy(() -> target.decode(picky, encoded, 0, encoded.length))
            .isInstanceOf(MalformedClockException.class).hasMessageContaining("refused sibling 1");
        assertThat(target).isEqualTo(before);
    }

    @Test
    void randomMutationsShouldEitherBeRefusedOrDecodeToTheCanonicalEncodingOfWhatTheyDecodedTo()
    {
        final long seed = Seeds.seed("DvvWireFormatTest.mutations");
        final Random random = new Random(seed);
        for (int trial = 0; trial < 3000; trial++)
        {
            final byte[] valid = encode(randomByteSet(random));
            final byte[] mutated = valid.clone();
            final int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++)
            {
                mutated[random.nextInt(mutated.length)] = (byte)random.nextInt(256);
            }
            final DvvSet<byte[]> target = randomByteSet(random);
            final byte[] before = encode(target);
            final Throwable thrown = catchThrowable(() -> target.decode(BYTES, mutated, 0, mutated.length));
            if (thrown != null)
            {
                assertThat(thrown).as("seed " + seed).isInstanceOf(MalformedClockException.class);
                assertThat(encode(target)).as("seed " + seed + ": refused input leaves the set unchanged")
                    .isEqualTo(before);
            }
            else
            {
                assertThat(encode(target)).as("seed " + seed + ": the format is canonical").isEqualTo(mutated);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void assertSetRefused(final byte[] input, final Random random)
    {
        final DvvSet<byte[]> target = randomByteSet(random);
        final byte[] before = encode(target);
        assertThatThrownBy(() -> target.decode(BYTES, input, 0, input.length))
            .as(Arrays.toString(input)).isInstanceOf(MalformedClockException.class);
        assertThatThrownBy(() -> target.decode(BYTES, ByteBuffer.allocateDirect(input.length).put(input), 0,
            input.length)).as(Arrays.toString(input)).isInstanceOf(MalformedClockException.class);
        assertThat(encode(target)).isEqualTo(before);
    }

    private static void assertVectorRefused(final byte[] input, final Random random)
    {
        final VersionVector target = randomByteSet(random).context();
        final VersionVector before = new VersionVector();
        before.copyFrom(target);
        assertThatThrownBy(() -> target.decode(input, 0, input.length))
            .as(Arrays.toString(input)).isInstanceOf(MalformedClockException.class);
        assertThatThrownBy(() -> target.decode(ByteBuffer.wrap(input), 0, input.length))
            .as(Arrays.toString(input)).isInstanceOf(MalformedClockException.class);
        assertThat(target).isEqualTo(before);
    }

    private static DvvSet<String> randomSet(final Random random)
    {
        final DvvWorld world = new DvvWorld(random, 3);
        final int steps = random.nextInt(30);
        for (int i = 0; i < steps; i++)
        {
            world.step();
        }
        return world.replicas[random.nextInt(world.replicas.length)];
    }

    private static DvvSet<byte[]> randomByteSet(final Random random)
    {
        final DvvSet<String> strings = randomSet(random);
        final DvvSet<byte[]> set = new DvvSet<>();
        final byte[] encoded = new byte[strings.encodedLength(DvvWorld.STRINGS)];
        strings.encode(DvvWorld.STRINGS, encoded, 0);
        set.decode(BYTES, encoded, 0, encoded.length);
        return set;
    }

    private static byte[] encode(final DvvSet<byte[]> set)
    {
        final byte[] out = new byte[set.encodedLength(BYTES)];
        set.encode(BYTES, out, 0);
        return out;
    }

    private static byte[] encodeContext(final DvvSet<byte[]> set)
    {
        final VersionVector vv = set.context();
        final byte[] out = new byte[vv.encodedLength()];
        vv.encode(out, 0);
        return out;
    }

    private static byte[] varint(final long value)
    {
        final byte[] b = new byte[10];
        return Arrays.copyOf(b, WireBytes.writeVarint(b, 0, value));
    }

    /** Concatenates ints (as single bytes) and byte arrays. */
    private static byte[] bytes(final Object... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final Object part : parts)
        {
            if (part instanceof byte[])
            {
                out.writeBytes((byte[])part);
            }
            else if (part instanceof Character)
            {
                out.write((Character)part);
            }
            else
            {
                out.write((Integer)part);
            }
        }
        return out.toByteArray();
    }
}
