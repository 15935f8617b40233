package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Random clocks and helpers shared by the vector clock tests. */
final class TestClocks
{
    private TestClocks()
    {
    }

    /** A registry of {@code n} numeric nodes with scattered wire ids (not equal to their indices). */
    static NodeRegistry registry(final int n, final SplittableRandom random)
    {
        final NodeRegistry registry = new NodeRegistry();
        while (registry.size() < n)
        {
            final long id = random.nextInt(4) == 0 ? random.nextLong(Long.MAX_VALUE) : random.nextInt(1000);
            registry.register(id);
        }
        return registry;
    }

    /**
     * A random clock: entries 0 with some probability, otherwise small (so equal entries are common) or
     * occasionally huge; optionally with pruned entries.
     */
    static VectorClock random(final NodeRegistry registry, final SplittableRandom random, final boolean mayPrune)
    {
        final VectorClock clock = new VectorClock(registry);
        final int n = registry.size();
        for (int i = 0; i < n; i++)
        {
            final int shape = random.nextInt(10);
            if (shape < 3)
            {
                continue;
            }
            final long finalValue = registry.finalValue(i);
            final long value = finalValue != 0 ?
                (shape >= 6 ? finalValue : 1 + random.nextInt(4)) :
                shape == 9 ? 1 + random.nextLong(Long.MAX_VALUE - 1) : 1 + random.nextInt(4);
            clock.increment(i, value);
        }
        if (mayPrune && random.nextInt(3) == 0)
        {
            final int target = random.nextInt(Math.max(1, n));
            clock.prune((id, value, age, live) -> random.nextInt(Math.max(1, n)) < Math.max(1, n - target));
        }
        return clock;
    }

    /**
     * Retires about a quarter of the registry's nodes at large final values (so a random byte mutation
     * almost never forges one); {@link #random} then often gives their entries exactly that value.
     */
    static void retireSome(final NodeRegistry registry, final SplittableRandom random)
    {
        for (int i = 0; i < registry.size(); i++)
        {
            if (random.nextInt(4) == 0)
            {
                registry.retire(i, 1_000_000 + random.nextInt(1_000_000));
            }
        }
    }

    static VectorClock copy(final VectorClock clock)
    {
        final VectorClock copy = new VectorClock(clock.registry(), clock.kind());
        clock.copyTo(copy);
        return copy;
    }

    static byte[] bytes(final VectorClock clock)
    {
        final byte[] bytes = new byte[clock.encodedLength()];
        final int length = clock.encode(bytes, 0);
        if (length != bytes.length)
        {
            throw new AssertionError("encode wrote " + length + " bytes, encodedLength said " + bytes.length);
        }
        return bytes;
    }

    /** A wrap of a flyweight over the first {@code length} bytes of {@code home} through some narrower view. */
    interface NarrowerWrap
    {
        void wrap(EncodedVectorClock flyweight, byte[] home, int length);
    }

    /**
     * A flyweight wraps an array, then a narrower view of it at offset 0 ({@code narrower}), then the array
     * again beyond the view's limit: the last wrap must see the whole array, so {@code decode}, {@code merge}
     * and {@code compare} of it give the encoded clock (red team, round 6: the view's limit stayed the bound).
     */
    static void assertArrayWrapSeesTheWholeArrayAfter(final NarrowerWrap narrower)
    {
        final NodeRegistry registry = new NodeRegistry();
        final VectorClock clock = new VectorClock(registry);
        clock.increment(registry.register("a"), 40_000);
        clock.increment(registry.register("b"), 7);
        final byte[] encoding = bytes(clock);
        final int length = encoding.length;
        final byte[] home = new byte[2 * length + 1];
        System.arraycopy(encoding, 0, home, 0, length);
        System.arraycopy(encoding, 0, home, length + 1, length);
        final EncodedVectorClock flyweight = new EncodedVectorClock();
        flyweight.wrap(home, 0, length);
        narrower.wrap(flyweight, home, length);
        flyweight.wrap(home, length + 1, length);

        final VectorClock decoded = new VectorClock(registry);
        decoded.decode(flyweight);
        assertThat(decoded.compare(clock)).isEqualTo(Causality.EQUAL);
        final VectorClock merged = new VectorClock(registry);
        merged.merge(flyweight);
        assertThat(merged.compare(clock)).isEqualTo(Causality.EQUAL);
        assertThat(clock.compare(flyweight)).isEqualTo(Causality.EQUAL);
    }

    /** Offset of entry {@code entry}'s node id in an encoding (the ids block follows the header). */
    static int idOffset(final byte[] encoding, final int entry)
    {
        return idsOffset(encoding) + entry * (1 << (encoding[1] & 3));
    }

    /** @return where entry {@code entry}'s value lies in an encoding of {@code count} entries. */
    static int valueOffset(final byte[] encoding, final int entry, final int count)
    {
        final int layout = encoding[1];
        return idsOffset(encoding) + count * (1 << (layout & 3)) + entry * (1 << ((layout >>> 2) & 3));
    }

    private static int idsOffset(final byte[] encoding)
    {
        int p = 2;
        while ((encoding[p++] & 0x80) != 0)
        {
            // continuation byte of the count
        }
        return p;
    }

    /** The three homes of encoded bytes that need no JVM flag. */
    enum Home
    {
        ARRAY, HEAP_BUFFER, DIRECT_BUFFER, DIRECT_LITTLE_ENDIAN;

        java.nio.ByteBuffer buffer(final byte[] bytes)
        {
            final java.nio.ByteBuffer b = this == HEAP_BUFFER ?
                java.nio.ByteBuffer.allocate(bytes.length) : java.nio.ByteBuffer.allocateDirect(bytes.length);
            if (this == DIRECT_LITTLE_ENDIAN)
            {
                b.order(java.nio.ByteOrder.LITTLE_ENDIAN);
            }
            b.put(0, bytes);
            return b;
        }
    }
}
