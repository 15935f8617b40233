package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The flyweight does not copy: a receive buffer reused after {@code wrap} (or a memory-mapped log a writer
 * changes) hands {@link VectorClock#merge(EncodedVectorClock)} and {@link VectorClock#decode(EncodedVectorClock)}
 * bytes the wrap never saw. Those two change a clock, so they must not trust the stale validation: they either
 * apply a valid encoding or throw {@link MalformedClockException} with the clock unchanged, never an
 * IndexOutOfBounds, never an entry credited to the wrong node,
 * never a header the bytes no longer have.
 */
class StaleWrapMergeAttackTest
{
    @Test
    void mergeOfAWrapWhoseIdsWereReorderedAfterwardsShouldRefuseAndLeaveTheClockUnchanged()
    {
        final NodeRegistry registry = new NodeRegistry();
        registry.register(10L);
        registry.register(20L);
        registry.register(30L);
        final VectorClock source = new VectorClock(registry);
        source.increment(0, 1);
        source.increment(2, 7);
        final byte[] bytes = TestClocks.bytes(source);
        final EncodedVectorClock encoded = new EncodedVectorClock().wrap(bytes, 0, bytes.length);
        // Layout: 0x31, layout 0x00 (1-byte ids, 1-byte values), count 2, ids [10, 30], values [1, 7].
        // The buffer is reused: the ids now descend (both still registered).
        bytes[3] = 30;
        bytes[4] = 10;
        for (final boolean replace : new boolean[] {false, true})
        {
            final VectorClock target = new VectorClock(registry);
            target.increment(1, 3);
            final VectorClock before = TestClocks.copy(target);
            try
            {
                if (replace)
                {
                    target.decode(encoded);
                }
                else
                {
                    target.merge(encoded);
                }
                fail("descending ids accepted by " + (replace ? "decode" : "merge") + ": " + target);
            }
            catch (final MalformedClockException expected)
            {
                assertThat(expected.getMessage()).contains("out of order");
            }
            assertThat(target.get(1)).isEqualTo(3);
            assertThat(target.get(0)).isZero();
            assertThat(target.get(2)).isZero();
        }
    }

    @Test
    void randomChangesAfterWrapShouldOnlyEverApplyAValidEncodingOrRefuse()
    {
        final long seed = Seeds.seed("randomChangesAfterWrapShouldOnlyEverApplyAValidEncodingOrRefuse");
        final SplittableRandom random = new SplittableRandom(seed);
        final NodeRegistry registry = TestClocks.registry(12, random);
        final EncodedVectorClock encoded = new EncodedVectorClock();
        final VectorClock check = new VectorClock(registry);
        int refused = 0;
        for (int c = 0; c < 20_000; c++)
        {
            final VectorClock source = TestClocks.random(registry, random, true);
            final byte[] bytes = TestClocks.bytes(source);
            encoded.wrap(bytes, 0, bytes.length);
            // Change one to three bytes of the entries after the wrap.
            for (int m = 1 + random.nextInt(3); m > 0 && bytes.length > 3; m--)
            {
                bytes[3 + random.nextInt(bytes.length - 3)] = (byte)random.nextInt(256);
            }
            boolean valid;
            try
            {
                check.decode(bytes, 0, bytes.length);
                valid = true;
            }
            catch (final MalformedClockException ex)
            {
                valid = false;
            }
            final VectorClock target = TestClocks.random(registry, random, true);
            final VectorClock before = TestClocks.copy(target);
            final boolean replace = random.nextBoolean();
            try
            {
                if (replace)
                {
                    target.decode(encoded);
                }
                else
                {
                    target.merge(encoded);
                }
            }
            catch (final MalformedClockException ex)
            {
                refused++;
                assertSame(seed, c, before, target);
                continue;
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError("seed " + seed + " case " + c + ": " + ex, ex);
            }
            assertThat(valid).as("seed %d case %d: applied bytes that decode refuses", seed, c).isTrue();
            final VectorClock expected = TestClocks.copy(before);
            if (replace)
            {
                expected.decode(bytes, 0, bytes.length);
            }
            else
            {
                expected.merge(check);
            }
            assertSame(seed, c, expected, target);
        }
        assertThat(refused).as("seed %d", seed).isPositive();
    }

    private static void assertSame(final long seed, final int c, final VectorClock expected, final VectorClock actual)
    {
        for (int i = 0; i < expected.registry().size(); i++)
        {
            assertThat(actual.get(i)).as("seed %d case %d node %d value", seed, c, i).isEqualTo(expected.get(i));
            assertThat(actual.isPruned(i)).as("seed %d case %d node %d pruned", seed, c, i)
                .isEqualTo(expected.isPruned(i));
        }
    }
}
