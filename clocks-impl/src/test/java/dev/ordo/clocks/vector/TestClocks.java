package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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

    /** Everything observable about a clock (sized for the registry as it is now). */
    static String state(final VectorClock clock)
    {
        final int n = clock.registry().size();
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++)
        {
            sb.append(clock.get(i)).append(clock.isPruned(i) ? "p" : "").append(',');
        }
        sb.append(" pruned=").append(clock.prunedEntries()).append(" live=").append(clock.liveEntries());
        final byte[] viaArray = TestClocks.bytes(clock);
        final ByteBuffer buffer = ByteBuffer.allocate(clock.encodedLength() + 3);
        final int length = clock.encode(buffer, 3);
        final byte[] viaBuffer = Arrays.copyOfRange(buffer.array(), 3, 3 + length);
        assertThat(viaArray).as("array and buffer encodings of " + clock).isEqualTo(viaBuffer);
        sb.append(" enc=").append(hex(viaArray));
        return sb.toString();
    }

    /** The bytes as lower-case hex, two digits each, no separators (for failure messages). */
    static String hex(final byte[] bytes)
    {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Decodes {@code a[off, off + len)} into {@code clock} on the array path and into a copy of it on the
     * ByteBuffer reference path, and checks they agree completely.
     *
     * @return true if the encoding was accepted.
     */
    static boolean checkDecode(
        final String what, final VectorClock clock, final byte[] a, final int off, final int len,
        final List<VectorClock> probes)
    {
        final String before = state(clock);
        final VectorClock reference = TestClocks.copy(clock);
        final Throwable referenceError = catchThrowable(() -> reference.decode(ByteBuffer.wrap(a), off, len));
        final Throwable arrayError = catchThrowable(() -> clock.decode(a, off, len));
        final int from = Math.min(a.length, Math.max(0, off));
        final int to = (int)Math.min(a.length, (long)from + Math.max(0, len));
        final String input = what + " input " + hex(Arrays.copyOfRange(a, from, to)) + " off " + off + " len " + len;
        if (referenceError != null)
        {
            assertThat(referenceError).as(input + ": reference error type").isInstanceOf(MalformedClockException.class);
            assertThat(arrayError).as(input + ": the array path must refuse it too").isNotNull()
                .isInstanceOf(MalformedClockException.class).hasMessage(referenceError.getMessage());
            assertThat(((MalformedClockException)arrayError).offset())
                .isEqualTo(((MalformedClockException)referenceError).offset());
            assertThat(state(clock)).as(input + ": unchanged after refusal").isEqualTo(before);
        }
        else
        {
            assertThat(arrayError).as(input + ": the array path must accept it").isNull();
            assertThat(state(clock)).as(input + ": decoded state").isEqualTo(state(reference));
        }
        for (final VectorClock probe : probes)
        {
            if (probe.registry() != clock.registry() || probe == clock)
            {
                continue;
            }
            assertThat(clock.compare(probe)).as(input + ": compare " + probe).isEqualTo(reference.compare(probe));
            assertThat(probe.compare(clock)).as(input + ": probe compare").isEqualTo(probe.compare(reference));
        }
        if (referenceError == null)
        {
            final EncodedVectorClock encoded = new EncodedVectorClock().wrap(a, off, len);
            for (final VectorClock probe : probes)
            {
                if (probe.registry() == clock.registry())
                {
                    assertThat(probe.compare(encoded)).as(input + ": encoded compare by " + probe)
                        .isEqualTo(probe.compare(reference));
                }
            }
            assertThat(clock.compare(encoded)).as(input + ": self compare").isEqualTo(clock.compare(reference));
        }
        return referenceError == null;
    }
}
