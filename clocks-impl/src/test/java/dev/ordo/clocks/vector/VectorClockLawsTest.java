package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.testing.Seeds;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ordo.clocks.vector.TestClocks.bytes;
import static dev.ordo.clocks.vector.TestClocks.copy;
import static org.assertj.core.api.Assertions.assertThat;

/** Algebraic laws of vector clocks, over random clocks (with and without pruned entries). */
class VectorClockLawsTest
{
    private static final int TRIALS = 3_000;

    private static VectorClock merged(final VectorClock a, final VectorClock b)
    {
        final VectorClock result = copy(a);
        result.merge(b);
        return result;
    }

    @Test
    void mergeShouldBeCommutativeAssociativeAndIdempotent()
    {
        final long seed = Seeds.seed("mergeShouldBeCommutativeAssociativeAndIdempotent");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < TRIALS; t++)
        {
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(12), random);
            final VectorClock a = TestClocks.random(registry, random, true);
            final VectorClock b = TestClocks.random(registry, random, true);
            final VectorClock c = TestClocks.random(registry, random, true);

            assertThat(bytes(merged(a, b))).as("seed %d commutative %s %s", seed, a, b)
                .isEqualTo(bytes(merged(b, a)));
            assertThat(bytes(merged(merged(a, b), c))).as("seed %d associative %s %s %s", seed, a, b, c)
                .isEqualTo(bytes(merged(a, merged(b, c))));
            assertThat(bytes(merged(a, a))).as("seed %d idempotent %s", seed, a).isEqualTo(bytes(a));
        }
    }

    @Test
    void compareShouldBeAntisymmetricAndReflexive()
    {
        final long seed = Seeds.seed("compareShouldBeAntisymmetricAndReflexive");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < TRIALS; t++)
        {
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(12), random);
            final VectorClock a = TestClocks.random(registry, random, true);
            final VectorClock b = TestClocks.random(registry, random, true);

            assertThat(b.compare(a)).as("seed %d %s vs %s", seed, a, b).isEqualTo(a.compare(b).reversed());
            if (a.prunedEntries() == 0)
            {
                assertThat(a.compare(copy(a))).as("seed %d %s", seed, a).isEqualTo(Causality.EQUAL);
            }
            else
            {
                assertThat(a.compare(copy(a))).as("seed %d pruned %s cannot prove equality", seed, a)
                    .isEqualTo(Causality.CONCURRENT);
            }
        }
    }

    @Test
    void compareShouldMatchTheDefinitionAndBeConsistentWithMerge()
    {
        final long seed = Seeds.seed("compareShouldMatchTheDefinitionAndBeConsistentWithMerge");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < TRIALS; t++)
        {
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(12), random);
            final VectorClock a = TestClocks.random(registry, random, false);
            final VectorClock b = TestClocks.random(registry, random, false);

            boolean le = true;
            boolean ge = true;
            for (int i = 0; i < registry.size(); i++)
            {
                le &= a.get(i) <= b.get(i);
                ge &= a.get(i) >= b.get(i);
            }
            final Causality expected = le && ge ? Causality.EQUAL :
                le ? Causality.BEFORE : ge ? Causality.AFTER : Causality.CONCURRENT;
            assertThat(a.compare(b)).as("seed %d %s vs %s", seed, a, b).isEqualTo(expected);

            final VectorClock ab = merged(a, b);
            assertThat(a.compare(ab)).as("seed %d a <= merge(a, b)", seed).isIn(Causality.BEFORE, Causality.EQUAL);
            assertThat(b.compare(ab)).as("seed %d b <= merge(a, b)", seed).isIn(Causality.BEFORE, Causality.EQUAL);
            assertThat(a.compare(b) == Causality.BEFORE || a.compare(b) == Causality.EQUAL)
                .as("seed %d a <= b iff merge(a, b) == b", seed).isEqualTo(ab.compare(b) == Causality.EQUAL);
        }
    }

    @Test
    void mergeShouldBeAnUpperBoundEvenWithPrunedEntries()
    {
        final long seed = Seeds.seed("mergeShouldBeAnUpperBoundEvenWithPrunedEntries");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < TRIALS; t++)
        {
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(12), random);
            final VectorClock a = TestClocks.random(registry, random, true);
            final VectorClock b = TestClocks.random(registry, random, true);
            final VectorClock ab = merged(a, b);
            for (int i = 0; i < registry.size(); i++)
            {
                assertThat(ab.get(i)).as("seed %d", seed).isEqualTo(Math.max(a.get(i), b.get(i)));
                assertThat(ab.isPruned(i)).as("seed %d", seed).isEqualTo(a.isPruned(i) || b.isPruned(i));
            }
            assertThat(a.compare(ab)).as("seed %d never a false AFTER: %s vs %s", seed, a, ab)
                .isNotEqualTo(Causality.AFTER);
        }
    }

    @Test
    void incrementShouldMakeTheClockStrictlyAfter()
    {
        final long seed = Seeds.seed("incrementShouldMakeTheClockStrictlyAfter");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < TRIALS; t++)
        {
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(12), random);
            final VectorClock a = TestClocks.random(registry, random, false);
            final VectorClock before = copy(a);
            final int node = random.nextInt(registry.size());
            if (a.get(node) == Long.MAX_VALUE)
            {
                continue;
            }
            a.increment(node);
            assertThat(a.compare(before)).as("seed %d %s after %s", seed, a, before).isEqualTo(Causality.AFTER);
            assertThat(before.happenedBefore(a)).as("seed %d", seed).isTrue();
            assertThat(a.happenedAfter(before)).as("seed %d", seed).isTrue();
        }
    }

    @Test
    void encodeThenDecodeShouldBeTheIdentity()
    {
        final long seed = Seeds.seed("encodeThenDecodeShouldBeTheIdentity");
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] array = new byte[4096];
        final ByteBuffer heap = ByteBuffer.allocate(4096);
        final ByteBuffer direct = ByteBuffer.allocateDirect(4096);
        final ByteBuffer directLittleEndian = ByteBuffer.allocateDirect(4096).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int t = 0; t < TRIALS; t++)
        {
            final int home = t & 3;
            final ByteBuffer buffer = home == 1 ? heap : home == 2 ? direct : directLittleEndian;
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(40), random);
            final VectorClock a = TestClocks.random(registry, random, true);
            final int offset = random.nextInt(100);
            final int length = home == 0 ? a.encode(array, offset) : a.encode(buffer, offset);
            assertThat(length).as("seed %d", seed).isEqualTo(a.encodedLength());

            final VectorClock decoded = TestClocks.random(registry, random, true);
            if (home == 0)
            {
                decoded.decode(array, offset, length);
            }
            else
            {
                decoded.decode(buffer, offset, length);
                final byte[] viaBuffer = new byte[length];
                buffer.get(offset, viaBuffer);
                assertThat(viaBuffer).as("seed %d same bytes in every home", seed).isEqualTo(bytes(a));
            }
            for (int i = 0; i < registry.size(); i++)
            {
                assertThat(decoded.get(i)).as("seed %d entry %d of %s", seed, i, a).isEqualTo(a.get(i));
                assertThat(decoded.isPruned(i)).as("seed %d entry %d of %s", seed, i, a).isEqualTo(a.isPruned(i));
            }
            assertThat(decoded.prunedEntries()).as("seed %d", seed).isEqualTo(a.prunedEntries());
            assertThat(bytes(decoded)).as("seed %d canonical", seed).isEqualTo(bytes(a));
        }
    }

    @Test
    void compareOnBytesShouldEqualCompareOnObjects()
    {
        final long seed = Seeds.seed("compareOnBytesShouldEqualCompareOnObjects");
        final SplittableRandom random = new SplittableRandom(seed);
        final EncodedVectorClock left = new EncodedVectorClock();
        final EncodedVectorClock right = new EncodedVectorClock();
        for (int t = 0; t < TRIALS; t++)
        {
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(12), random);
            final VectorClock a = TestClocks.random(registry, random, true);
            final VectorClock b = random.nextInt(4) == 0 ? copy(a) : TestClocks.random(registry, random, true);
            final Causality expected = a.compare(b);
            final TestClocks.Home home = TestClocks.Home.values()[t & 3];
            if (home == TestClocks.Home.ARRAY)
            {
                left.wrap(bytes(a), 0, a.encodedLength());
            }
            else
            {
                left.wrap(home.buffer(bytes(a)), 0, a.encodedLength());
            }
            right.wrap(TestClocks.Home.values()[(t >> 2) & 3].buffer(bytes(b)), 0, b.encodedLength());

            assertThat(left.compare(right)).as("seed %d bytes vs bytes %s %s", seed, a, b).isEqualTo(expected);
            assertThat(a.compare(right)).as("seed %d clock vs bytes %s %s", seed, a, b).isEqualTo(expected);
            for (int i = 0; i < registry.size(); i++)
            {
                assertThat(left.get(registry.nodeId(i))).as("seed %d", seed).isEqualTo(a.get(i));
            }
        }
    }

    @Test
    void clocksOfDifferentSizesShouldTreatMissingEntriesAsZero()
    {
        final long seed = Seeds.seed("clocksOfDifferentSizesShouldTreatMissingEntriesAsZero");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < 500; t++)
        {
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(6), random);
            final VectorClock small = TestClocks.random(registry, random, false);
            final int added = 1 + random.nextInt(6);
            for (int k = 0; k < added; k++)
            {
                registry.register(1_000_000L + k);
            }
            final VectorClock big = TestClocks.random(registry, random, false);
            final VectorClock smallCopy = copy(small);

            final Causality expected = reference(small, big, registry.size());
            assertThat(small.compare(big)).as("seed %d %s vs %s", seed, small, big).isEqualTo(expected);
            assertThat(big.compare(small)).as("seed %d", seed).isEqualTo(expected.reversed());
            smallCopy.merge(big);
            for (int i = 0; i < registry.size(); i++)
            {
                assertThat(smallCopy.get(i)).as("seed %d", seed).isEqualTo(Math.max(small.get(i), big.get(i)));
            }
        }
    }

    private static Causality reference(final VectorClock a, final VectorClock b, final int n)
    {
        boolean lt = false;
        boolean gt = false;
        for (int i = 0; i < n; i++)
        {
            lt |= a.get(i) < b.get(i);
            gt |= a.get(i) > b.get(i);
        }
        return lt ? (gt ? Causality.CONCURRENT : Causality.BEFORE) : (gt ? Causality.AFTER : Causality.EQUAL);
    }
}
