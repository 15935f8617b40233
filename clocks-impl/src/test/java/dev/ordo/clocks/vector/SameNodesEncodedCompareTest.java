package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Encodings of the same nodes, in the same layout, are compared on the values alone: up to
 * {@link WireFormat#DIRECT_COUNT} entries one by one after a check that the ids blocks are equal, above it from
 * the first difference one bulk search finds. Both must agree with the in-memory comparison for every width,
 * every size around the boundary, and clocks that differ anywhere (first entry, last entry, a few in between,
 * nowhere). Seeds are printed.
 */
class SameNodesEncodedCompareTest
{
    private static final long[] WIDTH_TOPS = {100, 30_000, 2_000_000_000L, Long.MAX_VALUE / 2};

    @Test
    void bytesOfTheSameNodesShouldCompareAsTheClocksDo()
    {
        final long seed = Seeds.seed("SameNodesEncodedCompareTest.bytesOfTheSameNodesShouldCompareAsTheClocksDo");
        final SplittableRandom random = new SplittableRandom(seed);
        final EncodedVectorClock left = new EncodedVectorClock();
        final EncodedVectorClock right = new EncodedVectorClock();
        for (int t = 0; t < 3_000; t++)
        {
            final int n = t % 5 == 0 ? 1 + random.nextInt(200) : WireFormat.DIRECT_COUNT - 3 + random.nextInt(7);
            final NodeRegistry registry = new NodeRegistry();
            final boolean smallIds = random.nextBoolean();
            for (int i = 0; registry.size() < n; i++)
            {
                registry.register(smallIds ? i + 1L : random.nextLong(Long.MAX_VALUE));
            }
            final long top = WIDTH_TOPS[random.nextInt(WIDTH_TOPS.length)];
            final VectorClock a = new VectorClock(registry);
            final VectorClock b = new VectorClock(registry);
            for (int i = 0; i < n; i++)
            {
                final long common = 1 + random.nextLong(top);
                a.increment(i, common);
                b.increment(i, common);
            }
            // Differences: none, at the first or last entry, or at a few random ones, in either direction.
            final int changes = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++)
            {
                final int at = random.nextInt(3) == 0 ? 0 : random.nextInt(3) == 0 ? n - 1 : random.nextInt(n);
                final VectorClock ahead = random.nextBoolean() ? a : b;
                ahead.increment(at, ahead.get(at) + 1 + random.nextInt(5));
            }
            final byte[] bytesA = TestClocks.bytes(a);
            final byte[] bytesB = TestClocks.bytes(b);
            // At shifted offsets, so positions inside the arrays are exercised too.
            final int offA = random.nextInt(9);
            final int offB = random.nextInt(9);
            final byte[] bufA = new byte[offA + bytesA.length + random.nextInt(9)];
            final byte[] bufB = new byte[offB + bytesB.length + random.nextInt(9)];
            System.arraycopy(bytesA, 0, bufA, offA, bytesA.length);
            System.arraycopy(bytesB, 0, bufB, offB, bytesB.length);
            left.wrap(bufA, offA, bytesA.length);
            right.wrap(bufB, offB, bytesB.length);

            final Causality expected = a.compare(b);
            assertThat(left.compare(right)).as("seed %d trial %d n %d top %d", seed, t, n, top).isEqualTo(expected);
            assertThat(right.compare(left)).as("seed %d trial %d reversed", seed, t).isEqualTo(expected.reversed());
        }
    }
}
