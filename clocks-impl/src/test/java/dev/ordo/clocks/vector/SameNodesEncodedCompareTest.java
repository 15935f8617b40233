package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            // compareWith validates the other encoding and compares in one pass: the same answers.
            assertThat(left.compareWith(bufB, offB, bytesB.length)).as("seed %d trial %d compareWith", seed, t)
                .isEqualTo(expected);
            assertThat(right.compareWith(bufA, offA, bytesA.length)).as("seed %d trial %d compareWith", seed, t)
                .isEqualTo(expected.reversed());
        }
    }

    /**
     * The fused pass of compareWith for 4-byte values refuses every invalid values block that wrap refuses, with
     * wrap's message and offset: a zero field (first, middle, last; odd and even counts), a flag bit without
     * the layout's pruned bit, values that all fit 2 bytes (not canonical).
     */
    @Test
    void compareWithShouldRefuseWhatWrapRefusesInTheFusedValuesPass()
    {
        final long seed = Seeds.seed("SameNodesEncodedCompareTest.compareWithShouldRefuseWhatWrapRefuses");
        final SplittableRandom random = new SplittableRandom(seed);
        int refused = 0;
        for (int t = 0; t < 2_000; t++)
        {
            final int n = 1 + random.nextInt(t % 2 == 0 ? 9 : 70);
            final NodeRegistry registry = new NodeRegistry();
            for (int i = 0; registry.size() < n; i++)
            {
                registry.register(i + 1L);
            }
            final VectorClock a = new VectorClock(registry);
            for (int i = 0; i < n; i++)
            {
                a.increment(i, (1L << 15) + random.nextInt(1 << 20)); // 4-byte values
            }
            final byte[] valid = TestClocks.bytes(a);
            final byte[] bad = valid.clone();
            final int entry = random.nextInt(3) == 0 ? 0 : random.nextInt(3) == 0 ? n - 1 : random.nextInt(n);
            final int at = TestClocks.valueOffset(valid, entry, n);
            switch (random.nextInt(4))
            {
                case 0:
                    Arrays.fill(bad, at, at + 4, (byte)0);
                    break;
                case 1:
                    bad[at + 3] |= (byte)0x80;
                    break;
                case 2:
                    for (int e = 0; e < n; e++)
                    {
                        final int v = TestClocks.valueOffset(valid, e, n);
                        bad[v + 2] = 0;
                        bad[v + 3] = 0;
                        bad[v + 1] &= 0x7F;
                        bad[v] |= 1;
                    }
                    break;
                default:
                    break; // valid
            }
            final EncodedVectorClock left = new EncodedVectorClock().wrap(valid, 0, valid.length);
            String wrapError = null;
            Causality viaWrap = null;
            try
            {
                viaWrap = left.compare(new EncodedVectorClock().wrap(bad, 0, bad.length));
            }
            catch (final MalformedClockException ex)
            {
                wrapError = ex.getMessage() + " @" + ex.offset();
            }
            if (wrapError == null)
            {
                assertThat(left.compareWith(bad, 0, bad.length)).as("seed %d trial %d", seed, t).isEqualTo(viaWrap);
            }
            else
            {
                refused++;
                final String expectedError = wrapError;
                assertThatThrownBy(() -> left.compareWith(bad, 0, bad.length)).as("seed %d trial %d", seed, t)
                    .isInstanceOf(MalformedClockException.class)
                    .satisfies(ex -> assertThat(ex.getMessage() + " @" + ((MalformedClockException)ex).offset())
                        .isEqualTo(expectedError));
            }
        }
        assertThat(refused).as("seed %d: the mutations must be refused often", seed).isGreaterThan(1_000);
    }
}
