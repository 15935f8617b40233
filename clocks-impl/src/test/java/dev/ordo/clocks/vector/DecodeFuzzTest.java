package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.ordo.clocks.vector.TestClocks.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Untrusted bytes must either decode to a valid clock or throw MalformedClockException, never anything
 * else, and a failed decode (or wrap, wrapPrefix) must leave the target exactly as it was. The inputs are
 * random mutations of valid encodings and, on purpose, the nasty shapes: huge counts with nothing after
 * them, counts and lengths that lie, truncation at every byte, count varints that would decode negative,
 * ids with the top bit set, non-canonical layouts, retired markers for retired and for active nodes. Byte
 * arrays and direct byte buffers alternate.
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
        TestClocks.retireSome(registry, random);
        final VectorClock target = TestClocks.random(registry, random, true);
        final EncodedVectorClock flyweight = new EncodedVectorClock();
        final EncodedVectorClock prefix = new EncodedVectorClock();
        final VectorClock reference = TestClocks.random(registry, random, false);
        flyweight.wrap(TestClocks.bytes(reference), 0, reference.encodedLength());
        prefix.wrap(TestClocks.bytes(reference), 0, reference.encodedLength());
        int accepted = 0;
        int rejected = 0;
        for (int c = 0; c < CASES; c++)
        {
            final byte[] input = input(random, registry);
            // Sometimes the caller's length lies too (the buffer holds more, or fewer, bytes than it says).
            final int lie = random.nextInt(8) == 0 ? random.nextInt(7) - 3 : 0;
            final int length = Math.max(0, input.length + lie);
            if (check(seed, c, input, length, random.nextBoolean(), target, flyweight, prefix))
            {
                accepted++;
            }
            else
            {
                rejected++;
            }
        }
        assertThat(rejected).as("seed %d: the fuzzer must exercise rejection", seed).isGreaterThan(CASES / 4);
        assertThat(accepted).as("seed %d: and acceptance of valid mutations", seed).isGreaterThan(CASES / 50);
    }

    @Test
    void everyTruncationAndEveryHostileCountOfManyValidEncodingsShouldBeRejectedCleanly()
    {
        final long seed = Seeds.seed("everyTruncationAndEveryHostileCountOfManyValidEncodingsShouldBeRejectedCleanly");
        final SplittableRandom random = new SplittableRandom(seed);
        final NodeRegistry registry = TestClocks.registry(20, random);
        TestClocks.retireSome(registry, random);
        final VectorClock target = TestClocks.random(registry, random, true);
        final EncodedVectorClock flyweight = new EncodedVectorClock().wrap(TestClocks.bytes(target), 0,
            target.encodedLength());
        final EncodedVectorClock prefix = new EncodedVectorClock();
        for (int t = 0; t < 50; t++)
        {
            final VectorClock source = TestClocks.random(registry, random, true);
            final byte[] valid = TestClocks.bytes(source);
            for (int length = 0; length < valid.length; length++)
            {
                assertThat(check(seed, t, Arrays.copyOf(valid, length), length, (length & 1) == 0, target, flyweight,
                    prefix)).as("seed %d: truncated to %d of %d accepted", seed, length, valid.length).isFalse();
            }
            for (final long count : new long[] {
                valid.length, valid.length * 16L, (1 << 20), (1 << 21) - 1, 1L << 32, Long.MAX_VALUE,
                Long.MIN_VALUE, Long.MIN_VALUE + 3, -1L })
            {
                final byte[] hugeCount = withCount(valid, count, random.nextBoolean());
                assertThat(check(seed, t, hugeCount, hugeCount.length, random.nextBoolean(), target, flyweight, prefix))
                    .as("seed %d: count %s accepted", seed, Long.toUnsignedString(count)).isFalse();
            }
        }
    }

    /**
     * Encodings holding an entry for every registered node take the bulk paths (the ids block checked against
     * the registry's in one comparison, the values block a word at a time; comparisons value by value): the
     * same nasty mutations of such encodings, at every id and value width, must be accepted or refused exactly
     * as the reference validation does, change nothing when refused, and compare exactly like decoded clocks.
     */
    @Test
    void denseEncodingsShouldTakeTheBulkPathsAndAcceptExactlyWhatIsValid()
    {
        final long seed = Seeds.seed("denseEncodingsShouldTakeTheBulkPathsAndAcceptExactlyWhatIsValid");
        final SplittableRandom random = new SplittableRandom(seed);
        int accepted = 0;
        int rejected = 0;
        for (int t = 0; t < 300; t++)
        {
            final int n = 1 + random.nextInt(t % 4 == 0 ? 300 : 24);
            final long idBound = new long[] { 256, 65_536, 1L << 32, Long.MAX_VALUE }[random.nextInt(4)];
            final NodeRegistry registry = new NodeRegistry();
            while (registry.size() < n)
            {
                registry.register(random.nextLong(Math.max(idBound, 2L * n)));
            }
            if (random.nextInt(4) == 0)
            {
                TestClocks.retireSome(registry, random);
            }
            final VectorClock target = dense(registry, random);
            final VectorClock other = dense(registry, random);
            final EncodedVectorClock flyweight = new EncodedVectorClock().wrap(TestClocks.bytes(target), 0,
                target.encodedLength());
            final EncodedVectorClock prefix = new EncodedVectorClock();
            for (int c = 0; c < 40; c++)
            {
                final byte[] valid = TestClocks.bytes(dense(registry, random));
                final byte[] input = mutateDense(valid, random);
                if (check(seed, c, input, input.length, random.nextInt(4) == 0, target, flyweight, prefix))
                {
                    accepted++;
                    // The bulk comparisons answer exactly what the decoded clocks answer.
                    final VectorClock decoded = new VectorClock(registry);
                    decoded.decode(input, 0, input.length);
                    final EncodedVectorClock wrapped = new EncodedVectorClock().wrap(input, 0, input.length);
                    final byte[] otherBytes = TestClocks.bytes(other);
                    final EncodedVectorClock otherWrapped = new EncodedVectorClock().wrap(otherBytes, 0,
                        otherBytes.length);
                    assertThat(other.compare(wrapped)).as("seed %d clock vs encoded %s", seed, hex(input))
                        .isEqualTo(other.compare(decoded));
                    if (!wrapped.hasPrunedEntries() && !otherWrapped.hasPrunedEntries())
                    {
                        // (Retired markers are known only to registries: flyweights compare them honestly but
                        // not always as exactly as clocks do.)
                        assertThat(otherWrapped.compare(wrapped)).as("seed %d encoded vs encoded %s", seed,
                            hex(input)).isEqualTo(other.compare(decoded));
                        assertThat(wrapped.compare(otherWrapped)).as("seed %d encoded vs encoded %s", seed,
                            hex(input)).isEqualTo(decoded.compare(other));
                    }
                }
                else
                {
                    rejected++;
                }
            }
        }
        assertThat(rejected).as("seed %d: the fuzzer must exercise rejection", seed).isGreaterThan(500);
        assertThat(accepted).as("seed %d: and acceptance of valid mutations", seed).isGreaterThan(500);
    }

    /** A clock with an entry for every node, at a random value width; sometimes at retired nodes' finals. */
    private static VectorClock dense(final NodeRegistry registry, final SplittableRandom random)
    {
        final VectorClock clock = new VectorClock(registry);
        final long bound = new long[] { 128, 32_768, 1L << 31, Long.MAX_VALUE }[random.nextInt(4)];
        for (int i = 0; i < registry.size(); i++)
        {
            final long finalValue = registry.finalValue(i);
            clock.increment(i, finalValue != 0 && random.nextBoolean() ? finalValue :
                1 + random.nextLong(Math.min(bound - 1, finalValue != 0 ? finalValue : Long.MAX_VALUE)));
        }
        return clock;
    }

    /** The nasty shapes, aimed at a dense encoding's blocks. */
    private static byte[] mutateDense(final byte[] valid, final SplittableRandom random)
    {
        final byte[] changed = valid.clone();
        final int layout = valid[1];
        final int idWidth = 1 << (layout & 3);
        final int valueWidth = 1 << ((layout >>> 2) & 3);
        final int idsAt = TestClocks.idOffset(valid, 0);
        final int count = (valid.length - idsAt) / (idWidth + valueWidth);
        final int entry = random.nextInt(Math.max(1, count));
        switch (random.nextInt(10))
        {
            case 0:
                return changed;
            case 1:
                // One value field zero, all ones, or only its flag bit (a retired marker), with or without the
                // layout's flag bit.
            {
                final int at = TestClocks.valueOffset(valid, entry, count);
                final int shape = random.nextInt(3);
                for (int i = 0; i < valueWidth; i++)
                {
                    changed[at + i] = (byte)(shape == 0 ? 0 : shape == 1 ? 0xFF : i == valueWidth - 1 ? 0x80 : 0);
                }
                if (random.nextBoolean())
                {
                    changed[1] = (byte)(layout | 0x10);
                }
                return changed;
            }
            case 2:
            {
                // One id byte changed: out of order, duplicate, unknown, or above 2^63.
                final int at = TestClocks.idOffset(valid, entry) + random.nextInt(idWidth);
                changed[at] = (byte)(random.nextBoolean() ? random.nextInt(256) : changed[at] ^ 0x80);
                return changed;
            }
            case 3:
            {
                // Two ids swapped (when they differ: out of order).
                final int other = random.nextInt(Math.max(1, count));
                for (int i = 0; i < idWidth && count > 0; i++)
                {
                    final byte b = changed[TestClocks.idOffset(valid, entry) + i];
                    changed[TestClocks.idOffset(valid, entry) + i] = changed[TestClocks.idOffset(valid, other) + i];
                    changed[TestClocks.idOffset(valid, other) + i] = b;
                }
                return changed;
            }
            case 4:
                changed[1] = (byte)random.nextInt(0x20);
                return changed;
            case 5:
            {
                // The top byte of every value cleared: a narrower value width would do (not canonical), or a
                // value becomes zero.
                for (int e = 0; e < count; e++)
                {
                    changed[TestClocks.valueOffset(valid, e, count) + valueWidth - 1] = 0;
                }
                return changed;
            }
            case 6:
                return Arrays.copyOf(valid, idsAt + random.nextInt(Math.max(1, valid.length - idsAt)));
            case 7:
            {
                final int at = idsAt + random.nextInt(Math.max(1, valid.length - idsAt));
                changed[Math.min(at, changed.length - 1)] ^= (byte)(1 << random.nextInt(8));
                return changed;
            }
            case 8:
                return withCount(valid, count + random.nextInt(3) - 1, true);
            default:
            {
                // The last id block byte and the first value byte: the boundary between the blocks.
                if (count > 0)
                {
                    changed[idsAt + count * idWidth - 1] ^= (byte)random.nextInt(1, 256);
                    changed[idsAt + count * idWidth] ^= (byte)random.nextInt(1, 256);
                }
                return changed;
            }
        }
    }

    /**
     * Decodes, wraps and prefix-wraps one input.
     *
     * @return true when it was accepted.
     */
    private static boolean check(
        final long seed, final int c, final byte[] input, final int length, final boolean direct,
        final VectorClock target, final EncodedVectorClock flyweight, final EncodedVectorClock prefix)
    {
        final int offset = c % 3;
        final byte[] framed = new byte[input.length + offset + c % 2];
        System.arraycopy(input, 0, framed, offset, input.length);
        final ByteBuffer buffer = direct ? TestClocks.Home.DIRECT_BUFFER.buffer(framed) : null;

        // The branch-free array validation accepts exactly what the reference validation accepts, with the
        // same header information.
        boolean valid = false;
        for (final boolean exact : new boolean[] { true, false })
        {
            final long fast = WireFormat.validateArray(framed, offset, length, exact, null);
            long reference;
            try
            {
                final WireBytes view = new WireBytes();
                view.attach(framed);
                reference = WireFormat.validate(view, offset, length, exact, null, null, null);
            }
            catch (final MalformedClockException ex)
            {
                reference = WireFormat.INVALID;
            }
            assertThat(fast).as("seed %d case %d exact %s fast validation of %s", seed, c, exact, hex(input))
                .isEqualTo(reference);
            valid |= exact && reference != WireFormat.INVALID;
        }

        final byte[] before = TestClocks.bytes(target);
        final int prunedBefore = target.prunedEntries();
        boolean accepted = false;
        try
        {
            if (direct)
            {
                target.decode(buffer, offset, length);
            }
            else
            {
                target.decode(framed, offset, length);
            }
            accepted = true;
            // Whatever was accepted is the canonical encoding of the clock now held.
            assertThat(TestClocks.bytes(target)).as("seed %d case %d accepted %s", seed, c, hex(input))
                .isEqualTo(Arrays.copyOf(input, length));
            target.decode(before, 0, before.length);
        }
        catch (final MalformedClockException ex)
        {
            assertThat(ex.getMessage()).as("seed %d", seed).isNotBlank();
            assertThat(ex.offset()).as("seed %d offset of %s", seed, ex.getMessage())
                .isBetween(Math.min(0, offset), Math.max(offset + length, 0));
            assertThat(TestClocks.bytes(target)).as("seed %d case %d unchanged after %s", seed, c, ex.getMessage())
                .isEqualTo(before);
            assertThat(target.prunedEntries()).as("seed %d", seed).isEqualTo(prunedBefore);
        }
        catch (final RuntimeException ex)
        {
            fail("seed " + seed + " case " + c + ": " + hex(input) + " threw " + ex, ex);
        }

        final String flyweightBefore = flyweight.toString();
        final int flyweightLength = flyweight.length();
        try
        {
            if (direct)
            {
                flyweight.wrap(buffer, offset, length);
            }
            else
            {
                // (The flyweight checks an ids block identical to the last one it validated in bulk.)
                flyweight.wrap(framed, offset, length);
            }
            assertThat(valid).as("seed %d case %d: wrap accepts only what validation accepts (%s)", seed, c,
                hex(input)).isTrue();
            flyweight.wrap(TestClocks.bytes(target), 0, target.encodedLength());
        }
        catch (final MalformedClockException ex)
        {
            assertThat(valid).as("seed %d case %d: wrap refuses only what validation refuses (%s)", seed, c,
                hex(input)).isFalse();
            assertThat(accepted).as("seed %d case %d: wrap accepts what decode accepts (%s)", seed, c, hex(input))
                .isFalse();
            assertThat(flyweight.toString()).as("seed %d flyweight unchanged", seed).isEqualTo(flyweightBefore);
            assertThat(flyweight.length()).isEqualTo(flyweightLength);
        }
        catch (final RuntimeException ex)
        {
            fail("seed " + seed + " case " + c + ": wrap of " + hex(input) + " threw " + ex, ex);
        }

        // compareWith accepts exactly what wrap accepts (same message, same offset) and answers what compare
        // answers, on its fused path (same nodes and layout as the wrapped clock) and on the general one.
        final EncodedVectorClock comparer = new EncodedVectorClock().wrap(before, 0, before.length);
        Causality expected = null;
        String expectedError = null;
        try
        {
            expected = comparer.compare(direct ? new EncodedVectorClock().wrap(buffer, offset, length) :
                new EncodedVectorClock().wrap(framed, offset, length));
        }
        catch (final MalformedClockException ex)
        {
            expectedError = ex.getMessage() + " @" + ex.offset();
        }
        catch (final IllegalArgumentException ex)
        {
            expectedError = "IllegalArgumentException " + ex.getMessage();
        }
        final String comparerBefore = comparer.toString();
        try
        {
            final Causality got = direct ? comparer.compareWith(buffer, offset, length) :
                comparer.compareWith(framed, offset, length);
            assertThat(expectedError).as("seed %d case %d compareWith accepted %s", seed, c, hex(input)).isNull();
            assertThat(got).as("seed %d case %d compareWith of %s", seed, c, hex(input)).isEqualTo(expected);
        }
        catch (final MalformedClockException ex)
        {
            assertThat(ex.getMessage() + " @" + ex.offset()).as("seed %d case %d compareWith of %s", seed, c,
                hex(input)).isEqualTo(expectedError);
        }
        catch (final IllegalArgumentException ex)
        {
            assertThat("IllegalArgumentException " + ex.getMessage()).as("seed %d case %d", seed, c)
                .isEqualTo(expectedError);
        }
        catch (final RuntimeException ex)
        {
            fail("seed " + seed + " case " + c + ": compareWith of " + hex(input) + " threw " + ex, ex);
        }
        assertThat(comparer.toString()).as("seed %d comparer unchanged", seed).isEqualTo(comparerBefore);

        final String prefixBefore = prefix.toString();
        try
        {
            final int available = framed.length - offset;
            final int found = direct ? EncodedVectorClock.lengthOf(buffer, offset, available) :
                EncodedVectorClock.lengthOf(framed, offset, available);
            assertThat(found).as("seed %d", seed).isBetween(3, available);
            assertThat((direct ? prefix.wrapPrefix(buffer, offset, available) :
                prefix.wrapPrefix(framed, offset, available)).length()).isEqualTo(found);
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
        return accepted;
    }

    private static byte[] input(final SplittableRandom random, final NodeRegistry registry)
    {
        final int kind = random.nextInt(11);
        if (kind == 0)
        {
            final byte[] bytes = new byte[random.nextInt(24)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean())
            {
                bytes[0] = (byte)(0x31 + random.nextInt(3));
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
                // A count that lies: huge (up to 2^64 - 1, i.e. "negative"), with the body kept or dropped.
                final long count = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1 << random.nextInt(1, 23));
                return withCount(valid, count, random.nextBoolean());
            }
            case 7:
            {
                // Another layout byte (widths, pruned bit, reserved bits) over the same entries.
                final byte[] changed = valid.clone();
                changed[1] = (byte)random.nextInt(random.nextBoolean() ? 0x20 : 0x100);
                return changed;
            }
            case 8:
            {
                // An id or value field at an extreme: all ones (top bit set) or zero.
                final byte[] changed = valid.clone();
                if (changed.length > 4)
                {
                    final int at = 3 + random.nextInt(changed.length - 3);
                    final int run = 1 + random.nextInt(8);
                    final byte fill = random.nextBoolean() ? (byte)0xFF : 0;
                    for (int i = at; i < Math.min(changed.length, at + run); i++)
                    {
                        changed[i] = fill;
                    }
                }
                return changed;
            }
            case 10:
            {
                // A value field turned into a retired marker (flag only), with the layout's flag bit set: for a
                // node retired in the target's registry that is valid, for any other node decode refuses it.
                final byte[] changed = valid.clone();
                final int count = source.liveEntries();
                if (count > 0)
                {
                    final int layout = changed[1];
                    final int valueWidth = 1 << ((layout >>> 2) & 3);
                    final int at = TestClocks.valueOffset(changed, random.nextInt(count), count);
                    for (int i = 0; i < valueWidth; i++)
                    {
                        changed[at + i] = (byte)(i == valueWidth - 1 ? 0x80 : 0);
                    }
                    changed[1] = (byte)(layout | 0x10);
                }
                return changed;
            }
            default:
            {
                // Two valid encodings back to back: trailing bytes, or a prefix to find.
                final byte[] second = TestClocks.bytes(TestClocks.random(registry, random, true));
                final byte[] joined = Arrays.copyOf(valid, valid.length + second.length);
                System.arraycopy(second, 0, joined, valid.length, second.length);
                return joined;
            }
        }
    }

    /** The encoding with its count field replaced by {@code count} as an unsigned LEB128 varint (1-10 bytes). */
    private static byte[] withCount(final byte[] valid, final long count, final boolean keepBody)
    {
        int countLength = 1;
        while ((valid[1 + countLength] & 0x80) != 0)
        {
            countLength++;
        }
        final byte[] varint = new byte[10];
        int n = 0;
        long v = count;
        while ((v & ~0x7FL) != 0)
        {
            varint[n++] = (byte)((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        varint[n++] = (byte)v;
        final int bodyAt = 2 + countLength;
        final int body = keepBody ? valid.length - bodyAt : 0;
        final byte[] result = new byte[2 + n + body];
        result[0] = valid[0];
        result[1] = valid[1];
        System.arraycopy(varint, 0, result, 2, n);
        System.arraycopy(valid, bodyAt, result, 2 + n, body);
        return result;
    }
}
