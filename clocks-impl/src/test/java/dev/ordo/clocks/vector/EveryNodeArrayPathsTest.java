package dev.ordo.clocks.vector;

import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The array paths a clock takes when an encoding holds every registered node: {@code decode(byte[])} reads
 * 4-byte values two to a 64-bit word and finds a zero half with borrow arithmetic, and {@code decode} and
 * {@code compare(EncodedVectorClock)} read the registry's id block and entry order from fields the clock
 * refreshes when the registry changes. Each decode is checked with {@link TestClocks#checkDecode} against
 * {@code decode(ByteBuffer)}, which validates entry by entry and shares none of these shortcuts.
 */
class EveryNodeArrayPathsTest
{
    /** 4-byte words at the edges: 0 (invalid), the smallest and largest valid, and the flag bit set. */
    private static final long[] WORDS = {
        0, 1, 0xFFFF, 0x1_0000, 0x7FFF_FFFFL, 0x8000_0000L, 0x8000_0001L, 0xFFFF_FFFEL, 0xFFFF_FFFFL};

    /**
     * Every count from 1 to 9 (odd counts end with a single value after the pairs), each edge word in every
     * position of an every-node encoding with 4-byte values: the array decode accepts exactly what the
     * reference accepts, with the same result, and refuses the rest with the clock unchanged.
     */
    @Test
    void everyEdgeWordInEveryPositionShouldBeDecodedAsTheReferenceDecodesIt()
    {
        for (final boolean smallIds : new boolean[]{true, false})
        {
            for (int n = 1; n <= 9; n++)
            {
                final NodeRegistry registry = registry(n, smallIds);
                final VectorClock source = new VectorClock(registry);
                for (int i = 0; i < n; i++)
                {
                    source.increment(i, 0x1_0000 + i);     // every node, 4-byte values
                }
                final byte[] encoding = TestClocks.bytes(source);
                assertThat((encoding[1] >>> 2) & 3).as("4-byte values").isEqualTo(2);
                for (int k = 0; k < n; k++)
                {
                    for (final long word : WORDS)
                    {
                        final byte[] bytes = encoding.clone();
                        final int at = TestClocks.valueOffset(bytes, k, n);
                        for (int b = 0; b < 4; b++)
                        {
                            bytes[at + b] = (byte)(word >>> (8 * b));
                        }
                        final VectorClock target = new VectorClock(registry);
                        target.increment(0, 7);    // a state to keep on failure
                        TestClocks.checkDecode("n=" + n + " small=" + smallIds + " entry " + k + " = 0x" +
                            Long.toHexString(word), target, bytes, 0, bytes.length, List.of());
                    }
                }
            }
        }
    }

    /**
     * Random every-node encodings of random values at every width, some with one random byte changed, decoded
     * by a clock that lives across registrations (its cached view of the registry must follow): the array
     * decode agrees with the reference, and so do the clock's state, encode and encoded compares afterwards.
     */
    @Test
    void aClockShouldFollowTheRegistryAcrossRegistrationsOnEveryArrayPath()
    {
        final long seed = Seeds.seed("EveryNodeArrayPathsTest.aClockShouldFollowTheRegistryAcrossRegistrations");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 40; trial++)
        {
            final boolean smallIds = random.nextBoolean();
            final NodeRegistry registry = new NodeRegistry();
            final VectorClock longLived = new VectorClock(registry);
            final VectorClock other = new VectorClock(registry);
            for (int round = 0; round < 12; round++)
            {
                final int add = 1 + random.nextInt(round == 0 ? 20 : 3);
                for (int j = 0; j < add; j++)
                {
                    final int next = registry.size();
                    if (smallIds)
                    {
                        registry.register(next + 1L);
                    }
                    else
                    {
                        registry.register("node-" + trial + "-" + next);
                    }
                }
                final int n = registry.size();
                final VectorClock source = new VectorClock(registry);
                final long top = new long[]{200, 60_000, 2_000_000_000L, 1L << 40}[random.nextInt(4)];
                for (int i = 0; i < n; i++)
                {
                    source.increment(i, 1 + random.nextLong(top));
                }
                final byte[] bytes = TestClocks.bytes(source);
                if (random.nextInt(3) == 0)
                {
                    bytes[random.nextInt(bytes.length)] ^= (byte)(1 << random.nextInt(8));
                }
                other.increment(random.nextInt(n));
                TestClocks.checkDecode("seed " + seed + " trial " + trial + " round " + round, longLived, bytes, 0,
                    bytes.length, List.of(other));
            }
        }
    }

    private static NodeRegistry registry(final int n, final boolean smallIds)
    {
        final NodeRegistry registry = new NodeRegistry();
        for (int i = 0; i < n; i++)
        {
            if (smallIds)
            {
                registry.register(i + 1L);
            }
            else
            {
                registry.register("node-" + i);
            }
        }
        return registry;
    }
}
