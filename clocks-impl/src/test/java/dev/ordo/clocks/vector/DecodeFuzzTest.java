package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.Seeds;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Untrusted bytes: random arrays and mutations of valid encodings (bit flips, byte changes, truncations,
 * extensions, splices) must either decode to a valid clock or throw MalformedClockException, never anything
 * else, and a failed decode (or wrap) must leave the target exactly as it was.
 */
class DecodeFuzzTest
{
    private static final int CASES = 15_000;

    @Test
    void shouldThrowOnlyMalformedClockExceptionAndLeaveTheTargetUnchanged()
    {
        final long seed = Seeds.seed("shouldThrowOnlyMalformedClockExceptionAndLeaveTheTargetUnchanged");
        final SplittableRandom random = new SplittableRandom(seed);
        final NodeRegistry registry = TestClocks.registry(12, random);
        final VectorClock target = TestClocks.random(registry, random, true);
        final EncodedVectorClock flyweight = new EncodedVectorClock();
        final EncodedVectorClock prefix = new EncodedVectorClock();
        final VectorClock reference = TestClocks.random(registry, random, false);
        flyweight.wrap(new UnsafeBuffer(TestClocks.bytes(reference)), 0, reference.encodedLength());
        int accepted = 0;
        int rejected = 0;
        for (int c = 0; c < CASES; c++)
        {
            final byte[] input = input(random, registry);
            final int offset = random.nextInt(3);
            final byte[] framed = new byte[input.length + offset + random.nextInt(3)];
            System.arraycopy(input, 0, framed, offset, input.length);
            final UnsafeBuffer buffer = new UnsafeBuffer(framed);

            final byte[] before = TestClocks.bytes(target);
            final String beforeText = target.toString();
            final int prunedBefore = target.prunedEntries();
            try
            {
                target.decode(buffer, offset, input.length);
                accepted++;
                // Whatever was accepted is a canonical encoding of the clock now held.
                assertThat(TestClocks.bytes(target)).as("seed %d case %d accepted %s", seed, c, hex(input))
                    .isEqualTo(input);
            }
            catch (final MalformedClockException ex)
            {
                rejected++;
                assertThat(ex.getMessage()).as("seed %d", seed).isNotBlank();
                assertThat(TestClocks.bytes(target)).as("seed %d case %d unchanged after %s", seed, c, ex.getMessage())
                    .isEqualTo(before);
                assertThat(target.toString()).as("seed %d", seed).isEqualTo(beforeText);
                assertThat(target.prunedEntries()).as("seed %d", seed).isEqualTo(prunedBefore);
            }
            catch (final RuntimeException ex)
            {
                fail("seed " + seed + " case " + c + ": " + hex(input) + " threw " + ex, ex);
            }

            final String flyweightBefore = flyweight.toString();
            try
            {
                flyweight.wrap(buffer, offset, input.length);
                flyweight.wrap(new UnsafeBuffer(TestClocks.bytes(reference)), 0, reference.encodedLength());
            }
            catch (final MalformedClockException ex)
            {
                assertThat(flyweight.toString()).as("seed %d flyweight unchanged", seed).isEqualTo(flyweightBefore);
            }
            catch (final RuntimeException ex)
            {
                fail("seed " + seed + " case " + c + ": wrap of " + hex(input) + " threw " + ex, ex);
            }

            final String prefixBefore = prefix.toString();
            try
            {
                final int length = EncodedVectorClock.lengthOf(buffer, offset, framed.length - offset);
                assertThat(length).as("seed %d", seed).isBetween(2, framed.length - offset);
                assertThat(prefix.wrapPrefix(buffer, offset, framed.length - offset).length()).isEqualTo(length);
            }
            catch (final MalformedClockException ex)
            {
                assertThat(ex.getMessage()).as("seed %d", seed).isNotBlank();
                assertThat(prefix.toString()).as("seed %d prefix flyweight unchanged", seed).isEqualTo(prefixBefore);
            }
            catch (final RuntimeException ex)
            {
                fail("seed " + seed + " case " + c + ": lengthOf " + hex(input) + " threw " + ex, ex);
            }
        }
        assertThat(rejected).as("seed %d: the fuzzer must exercise rejection", seed).isGreaterThan(CASES / 4);
        assertThat(accepted).as("seed %d: and acceptance of valid mutations", seed).isGreaterThan(CASES / 50);
    }

    @Test
    void shouldRejectAnyArgumentsOutsideTheBufferWithTheDocumentedException()
    {
        final NodeRegistry registry = new NodeRegistry();
        registry.register(1);
        final VectorClock clock = new VectorClock(registry);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        final int[][] bounds = { {-1, 2}, {0, -1}, {7, 2}, {Integer.MAX_VALUE, 1}, {0, Integer.MAX_VALUE}, {8, 0} };
        for (final int[] b : bounds)
        {
            try
            {
                clock.decode(buffer, b[0], b[1]);
                fail("accepted " + Arrays.toString(b));
            }
            catch (final MalformedClockException expected)
            {
                assertThat(expected.getMessage()).containsAnyOf("outside the buffer", "empty input");
            }
        }
    }

    private static byte[] input(final SplittableRandom random, final NodeRegistry registry)
    {
        final int kind = random.nextInt(8);
        if (kind == 0)
        {
            final byte[] bytes = new byte[random.nextInt(24)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean())
            {
                bytes[0] = (byte)(1 + random.nextInt(3));
            }
            return bytes;
        }
        final VectorClock source = TestClocks.random(registry, random, true);
        if (random.nextInt(10) == 0)
        {
            source.reset();
        }
        final byte[] valid = TestClocks.bytes(source);
        switch (kind)
        {
            case 1:
                return valid;
            case 2:
            {
                final byte[] flipped = valid.clone();
                for (int f = 1 + random.nextInt(3); f > 0; f--)
                {
                    final int at = random.nextInt(flipped.length);
                    flipped[at] ^= (byte)(1 << random.nextInt(8));
                }
                return flipped;
            }
            case 3:
                return Arrays.copyOf(valid, random.nextInt(valid.length));
            case 4:
            {
                final byte[] extended = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(4));
                for (int i = valid.length; i < extended.length; i++)
                {
                    extended[i] = (byte)random.nextInt(256);
                }
                return extended;
            }
            case 5:
            {
                final byte[] changed = valid.clone();
                changed[random.nextInt(changed.length)] = (byte)random.nextInt(256);
                return changed;
            }
            case 6:
            {
                // Splice a run of continuation bytes (0x80/0xff) in: overlong and huge varints.
                final int at = 1 + random.nextInt(valid.length);
                final int run = 1 + random.nextInt(11);
                final byte[] spliced = new byte[valid.length + run];
                System.arraycopy(valid, 0, spliced, 0, at);
                for (int i = 0; i < run; i++)
                {
                    spliced[at + i] = (byte)(random.nextBoolean() ? 0x80 : 0xff);
                }
                System.arraycopy(valid, at, spliced, at + run, valid.length - at);
                return spliced;
            }
            default:
            {
                // A wire id this registry has not seen, or an inflated count.
                final byte[] changed = valid.clone();
                if (changed.length > 1)
                {
                    changed[1] = (byte)(changed[1] + 1 + random.nextInt(3));
                }
                return changed;
            }
        }
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte b : bytes)
        {
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }
}
