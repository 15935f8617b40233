package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The shortcuts an {@link EncodedVectorClock} takes on bytes that start like the last encoding it validated:
 * <ul>
 *     <li>{@code wrap} of an encoding with the known header and ids and 4-byte values checks only the values
 *     ({@link WireFormat#validInts}): it must accept and refuse exactly what full validation does;</li>
 *     <li>{@code compare} of two flyweights whose known prefixes were once found equal skips the ids: it must
 *     notice every re-wrap that changes either side's nodes, layout or home.</li>
 * </ul>
 * References: a heap {@link ByteBuffer} wrap (full validation, no shortcut) and the decoded clocks' in-memory
 * comparison. Seeds are printed.
 */
class KnownPrefixPathsTest
{
    /** Tops of the value range per trial: 4-byte values mostly, so the shortcut is taken, and the other widths. */
    private static final long[] TOPS = {40_000, 1_000_000, 2_000_000_000L, 100, 30_000, 5_000_000_000L};

    @Test
    void aWrapOfMutatedValuesShouldBeRefusedOrAcceptedAsFullValidationDecides()
    {
        final long seed = Seeds.seed("KnownPrefixPathsTest.aWrapOfMutatedValuesShouldBeRefusedOrAcceptedAsFullValidationDecides");
        final SplittableRandom random = new SplittableRandom(seed);
        final EncodedVectorClock flyweight = new EncodedVectorClock();
        final EncodedVectorClock reference = new EncodedVectorClock();
        int refused = 0;
        for (int t = 0; t < 20_000; t++)
        {
            final int n = 2 + random.nextInt(t % 7 == 0 ? 70 : 18);
            final NodeRegistry registry = registry(n, random.nextBoolean(), random);
            final long top = TOPS[random.nextInt(TOPS.length)];
            final VectorClock clock = clock(registry, top, random);
            final byte[] valid = TestClocks.bytes(clock);
            flyweight.wrap(valid, 0, valid.length);                    // the known prefix is now this one's
            final byte[] bytes = valid.clone();
            final int valuesAt = TestClocks.valueOffset(bytes, 0, n);
            final int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++)
            {
                final int at = valuesAt + random.nextInt(bytes.length - valuesAt);
                switch (random.nextInt(4))
                {
                    case 0 -> bytes[at] = 0;
                    case 1 -> bytes[at] = (byte)0x80;
                    case 2 -> bytes[at] ^= (byte)(1 << random.nextInt(8));
                    default -> bytes[at] = (byte)random.nextInt(256);
                }
            }
            if (random.nextInt(4) == 0)
            {
                // A whole field zero, narrow or flagged: the three ways a 4-byte field is not valid here.
                final int field = valuesAt + 4 * random.nextInt(n) * (bytes.length - valuesAt) / (4 * n);
                final int kind = random.nextInt(3);
                for (int i = 0; i < 4 && field + i < bytes.length; i++)
                {
                    bytes[field + i] = kind == 0 ? 0 : kind == 1 ? (byte)(i == 0 ? 1 : 0) : (byte)(i == 3 ? 0x80 : 0);
                }
            }
            final Throwable expected = catchThrowable(() -> reference.wrap(ByteBuffer.wrap(bytes), 0, bytes.length));
            final Throwable actual = catchThrowable(() -> flyweight.wrap(bytes, 0, bytes.length));
            final String as = String.format("seed %d trial %d n %d top %d", seed, t, n, top);
            if (expected == null)
            {
                assertThat(actual).as(as).isNull();
                assertThat(flyweight.compare(reference)).as(as).isEqualTo(Causality.EQUAL);
                assertThat(flyweight.length()).as(as).isEqualTo(bytes.length);
            }
            else
            {
                refused++;
                assertThat(actual).as(as).isInstanceOf(MalformedClockException.class)
                    .hasMessage(expected.getMessage());
                // Unchanged by the refusal: still the valid encoding.
                final EncodedVectorClock again = new EncodedVectorClock().wrap(ByteBuffer.wrap(valid), 0, valid.length);
                assertThat(flyweight.compare(again)).as(as).isEqualTo(Causality.EQUAL);
            }
        }
        assertThat(refused).as("seed %d: some mutations must be refused", seed).isGreaterThan(1_000);
    }

    @Test
    void compareShouldNoticeEveryRewrapThatChangesTheNodes()
    {
        final long seed = Seeds.seed("KnownPrefixPathsTest.compareShouldNoticeEveryRewrapThatChangesTheNodes");
        final SplittableRandom random = new SplittableRandom(seed);
        // A pool of encodings: several node sets of the same size (so of the same length), several clocks each,
        // in arrays and at offsets; two node sets share a registry but differ in one node's id.
        final List<byte[]> pool = new ArrayList<>();
        final List<VectorClock> clocks = new ArrayList<>();
        final int n = 2 + random.nextInt(20);
        for (int set = 0; set < 4; set++)
        {
            final NodeRegistry registry = registry(n, set % 2 == 0, random);
            for (int c = 0; c < 4; c++)
            {
                final VectorClock clock = clock(registry, TOPS[random.nextInt(3)], random);
                clocks.add(clock);
                pool.add(TestClocks.bytes(clock));
            }
        }
        final EncodedVectorClock[] flyweights = {new EncodedVectorClock(), new EncodedVectorClock(),
            new EncodedVectorClock()};
        final int[] wrapped = new int[flyweights.length];
        final byte[][] homes = new byte[flyweights.length][];
        for (int f = 0; f < flyweights.length; f++)
        {
            wrapped[f] = random.nextInt(pool.size());
            homes[f] = pool.get(wrapped[f]).clone();
            flyweights[f].wrap(homes[f], 0, homes[f].length);
        }
        for (int step = 0; step < 50_000; step++)
        {
            final int f = random.nextInt(flyweights.length);
            final String as = String.format("seed %d step %d", seed, step);
            if (random.nextBoolean())
            {
                // Re-wrap: another encoding of the pool, in an array (maybe the same array, rewritten in place,
                // at another offset) or a byte buffer.
                final int e = random.nextInt(pool.size());
                final byte[] encoding = pool.get(e);
                final int how = random.nextInt(4);
                if (how == 0)
                {
                    flyweights[f].wrap(ByteBuffer.wrap(encoding.clone()), 0, encoding.length);
                }
                else if (how == 1 && homes[f].length >= encoding.length + 3)
                {
                    final int at = random.nextInt(4);
                    System.arraycopy(encoding, 0, homes[f], at, encoding.length);
                    flyweights[f].wrap(homes[f], at, encoding.length);
                }
                else
                {
                    homes[f] = new byte[encoding.length + 3];
                    System.arraycopy(encoding, 0, homes[f], 0, encoding.length);
                    flyweights[f].wrap(homes[f], 0, encoding.length);
                }
                wrapped[f] = e;
            }
            final int g = random.nextInt(flyweights.length);
            final VectorClock a = clocks.get(wrapped[f]);
            final VectorClock b = clocks.get(wrapped[g]);
            final Causality expected = a.registry() == b.registry() ? a.compare(b) : reference(pool, wrapped[f], wrapped[g]);
            assertThat(flyweights[f].compare(flyweights[g])).as(as).isEqualTo(expected);
        }
    }

    @Test
    void decodeShouldCountAsAChangeOfEveryEntryForPruning()
    {
        final NodeRegistry registry = new NodeRegistry();
        for (int i = 1; i <= 4; i++)
        {
            registry.register(i);
        }
        final VectorClock source = new VectorClock(registry);
        for (int i = 0; i < 4; i++)
        {
            source.increment(i, 40_000 + i);
        }
        final VectorClock clock = new VectorClock(registry);
        for (int i = 0; i < 50; i++)
        {
            clock.increment(i % 4);                      // old changes, before the decode
        }
        clock.decode(TestClocks.bytes(source), 0, TestClocks.bytes(source).length);
        clock.increment(2);                              // the newest change
        clock.increment(2);
        final List<Long> ages = new ArrayList<>();
        clock.prune((nodeId, value, age, live) ->
        {
            ages.add(nodeId * 1000 + age);
            return false;
        });
        // Oldest first: the decoded entries (age 2: two changes since the decode), ties by node id, then node 3.
        assertThat(ages).containsExactly(1002L, 2002L, 4002L, 3000L);
    }

    private static Causality reference(final List<byte[]> pool, final int x, final int y)
    {
        final byte[] a = pool.get(x);
        final byte[] b = pool.get(y);
        return new EncodedVectorClock().wrap(ByteBuffer.wrap(a), 0, a.length)
            .compare(new EncodedVectorClock().wrap(ByteBuffer.wrap(b), 0, b.length));
    }

    private static NodeRegistry registry(final int n, final boolean smallIds, final SplittableRandom random)
    {
        final NodeRegistry registry = new NodeRegistry();
        while (registry.size() < n)
        {
            final long id = smallIds ? 1 + random.nextInt(250) : random.nextLong(Long.MAX_VALUE);
            if (registry.indexOf(id) < 0)
            {
                registry.register(id);
            }
        }
        return registry;
    }

    private static VectorClock clock(final NodeRegistry registry, final long top, final SplittableRandom random)
    {
        final VectorClock clock = new VectorClock(registry);
        final long base = top / 2 + random.nextLong(top / 2);
        for (int i = 0; i < registry.size(); i++)
        {
            clock.increment(i, random.nextInt(5) == 0 ? 1 + random.nextLong(top) : base + random.nextInt(3));
        }
        return clock;
    }

    /**
     * Red team, round 6: a wrap of a heap byte buffer over the array a flyweight last wrapped, with a smaller
     * limit, must not leave the buffer's limit as the bound of a later wrap of the array itself.
     */
    @Test
    void aWrapOfTheArrayAfterANarrowerBufferOverItShouldSeeTheWholeArray()
    {
        TestClocks.assertArrayWrapSeesTheWholeArrayAfter(
            (flyweight, home, length) -> flyweight.wrap(ByteBuffer.wrap(home, 0, length), 0, length));
    }
}
