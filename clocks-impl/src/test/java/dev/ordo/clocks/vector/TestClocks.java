package dev.ordo.clocks.vector;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

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
            final long value = shape == 9 ? 1 + random.nextLong(Long.MAX_VALUE - 1) : 1 + random.nextInt(4);
            clock.increment(i, value);
        }
        if (mayPrune && random.nextInt(3) == 0)
        {
            final int target = random.nextInt(Math.max(1, n));
            clock.prune((id, value, age, live) -> random.nextInt(Math.max(1, n)) < Math.max(1, n - target));
        }
        return clock;
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
        final int length = clock.encode(new UnsafeBuffer(bytes), 0);
        if (length != bytes.length)
        {
            throw new AssertionError("encode wrote " + length + " bytes, encodedLength said " + bytes.length);
        }
        return bytes;
    }

    /** Offset of entry {@code entry}'s node id in an encoding (all varints of the format, one-byte count). */
    static int idOffset(final byte[] encoding, final int entry)
    {
        int p = 2;
        for (int e = 0; e < entry; e++)
        {
            for (int field = 0; field < 2; field++)
            {
                while ((encoding[p++] & 0x80) != 0)
                {
                    // continuation byte
                }
            }
        }
        return p;
    }
}
