package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.Seeds;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static dev.ordo.clocks.vector.TestClocks.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Red-team guards for {@link EncodedVectorClock#compareWith}: for any bytes, offsets and lengths it answers and
 * throws exactly what {@code compare(new EncodedVectorClock().wrap(bytes, offset, length))} answers and throws
 * (same exception type, message and offset), throws nothing else, and leaves the flyweight unchanged. The
 * encodings are written by hand here (independently of the encoder), in all three kinds, every id and value width,
 * with pruned entries and retired markers, and the candidates are built to reach the fused same-nodes path
 * (header and ids of the wrapped encoding) with values that are valid or invalid in every way validation knows:
 * a zero field at every position, a flag bit, values that all fit a narrower width, boundary values. Seeds are
 * printed; {@code -Dordo.cmpWith.cases=N} runs more cases.
 */
class CompareWithRedTeamTest
{
    private static final EntryKind[] KINDS = EntryKind.values();
    private static final long[] VALUE_TOPS = {0x7F, 0x7FFF, 0x7FFF_FFFFL, Long.MAX_VALUE};
    private static final long[] ID_TOPS = {0xFF, 0xFFFF, 0xFFFF_FFFFL, Long.MAX_VALUE};

    /** An encoding written by hand: format byte, canonical layout, count, ids block, values block. */
    static byte[] encode(final EntryKind kind, final long[] ids, final long[] values, final boolean[] flags)
    {
        final int n = ids.length;
        long valueBits = 0;
        boolean anyFlag = false;
        for (int e = 0; e < n; e++)
        {
            valueBits |= values[e];
            anyFlag |= flags[e];
        }
        final int layout = n == 0 ? 0 :
            widthCode(n == 0 ? 0 : ids[n - 1], 8) | widthCode(valueBits, 7) << 2 | (anyFlag ? 0x10 : 0);
        return encodeWithLayout(kind, layout, ids, values, flags);
    }

    /** An encoding in a given layout, canonical or not; values as given (no range check). */
    static byte[] encodeWithLayout(
        final EntryKind kind, final int layout, final long[] ids, final long[] values, final boolean[] flags)
    {
        final int n = ids.length;
        final int idWidth = 1 << (layout & 3);
        final int valueWidth = 1 << ((layout >>> 2) & 3);
        final int countLength = n < 128 ? 1 : n < 1 << 14 ? 2 : 3;
        final byte[] out = new byte[2 + countLength + n * (idWidth + valueWidth)];
        out[0] = kind.formatByte();
        out[1] = (byte)layout;
        int p = 2;
        int c = n;
        while (c >= 0x80)
        {
            out[p++] = (byte)(c & 0x7F | 0x80);
            c >>>= 7;
        }
        out[p++] = (byte)c;
        for (int e = 0; e < n; e++)
        {
            put(out, p + e * idWidth, idWidth, ids[e]);
        }
        p += n * idWidth;
        for (int e = 0; e < n; e++)
        {
            put(out, p + e * valueWidth, valueWidth, values[e] | (flags[e] ? 1L << (8 * valueWidth - 1) : 0));
        }
        return out;
    }

    private static int widthCode(final long max, final int bitsPerByte)
    {
        // ids: smallest of 1, 2, 4, 8 bytes that holds max; values: the same below the top (flag) bit.
        for (int code = 0; code < 3; code++)
        {
            final int bits = (1 << code) * 8 - (8 - bitsPerByte);
            if (max < 1L << bits)
            {
                return code;
            }
        }
        return 3;
    }

    private static void put(final byte[] out, final int at, final int width, final long value)
    {
        for (int i = 0; i < width; i++)
        {
            out[at + i] = (byte)(value >>> 8 * i);
        }
    }

    /** A random valid clock: ids ascending below 2^63, values 1..top, some flagged (pruned or retired as 0). */
    private static Object[] randomClock(final SplittableRandom random, final EntryKind kind, final int n,
        final long idTop, final long valueTop, final boolean mayFlag)
    {
        final long[] ids = new long[n];
        final long span = Math.max(n, idTop);
        long id = random.nextLong(Math.max(1, span / Math.max(1, 2L * n)));
        for (int e = 0; e < n; e++)
        {
            ids[e] = id;
            id += 1 + random.nextLong(Math.max(1, (span - id) / Math.max(1, 2L * (n - e))));
            if (id < 0)
            {
                id = Long.MAX_VALUE;
            }
        }
        if (n > 0 && ids[n - 1] < 0)
        {
            throw new AssertionError();
        }
        final long[] values = new long[n];
        final boolean[] flags = new boolean[n];
        for (int e = 0; e < n; e++)
        {
            values[e] = random.nextInt(4) == 0 ? valueTop : 1 + random.nextLong(valueTop);
            if (mayFlag && random.nextInt(6) == 0)
            {
                flags[e] = true;
                if (random.nextInt(3) == 0)
                {
                    values[e] = 0; // a retired marker
                }
            }
        }
        return new Object[] {ids, values, flags, kind};
    }

    /** The wrapped flyweight's bytes in one of several homes, with the encoding at a nonzero position. */
    private static EncodedVectorClock wrapInHome(
        final EncodedVectorClock into, final byte[] encoding, final int home, final int shift)
    {
        final byte[] framed = new byte[shift + encoding.length + 5];
        System.arraycopy(encoding, 0, framed, shift, encoding.length);
        switch (home)
        {
            case 0:
                return into.wrap(framed, shift, encoding.length);
            case 1:
            {
                // A heap buffer slice: array offset != 0, indices relative to the slice.
                final ByteBuffer slice = ByteBuffer.wrap(framed, 1, framed.length - 1).slice();
                return into.wrap(slice, shift - 1 + 0, encoding.length);
            }
            case 2:
            {
                final ByteBuffer direct = ByteBuffer.allocateDirect(framed.length);
                direct.put(framed).clear();
                return into.wrap(direct, shift, encoding.length);
            }
            case 3:
            {
                // A heap buffer slice, wrapped from the end of the array.
                final ByteBuffer slice = ByteBuffer.wrap(framed, shift, framed.length - shift).slice();
                return into.wrap(slice, 0, encoding.length);
            }
            default:
            {
                final ByteBuffer readOnly = ByteBuffer.wrap(framed).asReadOnlyBuffer();
                return into.wrap(readOnly, shift, encoding.length);
            }
        }
    }

    /** What compare(new wrap(...)) says: the answer's name, or the exception's type, message and offset. */
    private static String reference(final EncodedVectorClock wrapped, final Object buffer, final int offset,
        final int length)
    {
        try
        {
            final EncodedVectorClock other = new EncodedVectorClock();
            if (buffer instanceof byte[])
            {
                other.wrap((byte[])buffer, offset, length);
            }
            else if (buffer instanceof ByteBuffer)
            {
                other.wrap((ByteBuffer)buffer, offset, length);
            }
            else if (buffer instanceof DirectBuffer)
            {
                other.wrap((DirectBuffer)buffer, offset, length);
            }
            else
            {
                other.wrap((byte[])null, offset, length);
            }
            return wrapped.compare(other).name();
        }
        catch (final MalformedClockException ex)
        {
            return "Malformed " + ex.getMessage() + " @" + ex.offset();
        }
        catch (final IllegalArgumentException ex)
        {
            return "IAE " + ex.getMessage();
        }
        catch (final RuntimeException ex)
        {
            return "UNEXPECTED " + ex;
        }
    }

    private static String viaCompareWith(final EncodedVectorClock wrapped, final Object buffer, final int offset,
        final int length)
    {
        try
        {
            final Causality c;
            if (buffer instanceof ByteBuffer)
            {
                c = wrapped.compareWith((ByteBuffer)buffer, offset, length);
            }
            else if (buffer instanceof DirectBuffer)
            {
                c = wrapped.compareWith((DirectBuffer)buffer, offset, length);
            }
            else
            {
                c = wrapped.compareWith((byte[])buffer, offset, length);
            }
            return c.name();
        }
        catch (final MalformedClockException ex)
        {
            return "Malformed " + ex.getMessage() + " @" + ex.offset();
        }
        catch (final IllegalArgumentException ex)
        {
            return "IAE " + ex.getMessage();
        }
        catch (final RuntimeException ex)
        {
            return "UNEXPECTED " + ex;
        }
    }

    private static void check(final long seed, final int c, final EncodedVectorClock wrapped, final Object buffer,
        final int offset, final int length, final String what)
    {
        final String before = wrapped.toString();
        final boolean isWrapped = !before.equals("EncodedVectorClock{unwrapped}");
        final int wrappedOffset = isWrapped ? wrapped.offset() : -1;
        final String expected = reference(wrapped, buffer, offset, length);
        final String got = viaCompareWith(wrapped, buffer, offset, length);
        if (!got.equals(expected) || got.startsWith("UNEXPECTED"))
        {
            fail("seed " + seed + " case " + c + " (" + what + ") offset " + offset + " length " + length +
                " wrapped " + before + ": compareWith gave [" + got + "], wrap+compare [" + expected + "]" +
                (buffer instanceof byte[] ? " bytes " + hex((byte[])buffer) : ""));
        }
        assertThat(wrapped.toString()).as("seed %d case %d unchanged", seed, c).isEqualTo(before);
        if (wrappedOffset >= 0)
        {
            assertThat(wrapped.offset()).isEqualTo(wrappedOffset);
        }
    }

    /** Values of the candidate in the wrapped encoding's value width, valid or invalid in a chosen way. */
    private static void mutateValues(final SplittableRandom random, final long[] values, final boolean[] flags,
        final int valueWidth, final long kindMax)
    {
        final int n = values.length;
        final long fieldMax = valueWidth == 8 ? Long.MAX_VALUE : (1L << (8 * valueWidth - 1)) - 1;
        // First some ordinary differences (either direction), kept in range.
        for (int k = random.nextInt(4); k > 0; k--)
        {
            final int e = random.nextInt(n);
            values[e] = Math.max(1, Math.min(fieldMax, values[e] + random.nextInt(7) - 3));
        }
        final int pos = random.nextInt(3) == 0 ? 0 : random.nextInt(2) == 0 ? n - 1 : random.nextInt(n);
        switch (random.nextInt(12))
        {
            case 0: // a zero field
                values[pos] = 0;
                flags[pos] = false;
                break;
            case 1: // a flag bit where the layout has none
                flags[pos] = true;
                break;
            case 2: // a flagged zero (a retired marker) where the layout has no pruned bit
                flags[pos] = true;
                values[pos] = 0;
                break;
            case 3: // all values fit a narrower width
                for (int e = 0; e < n; e++)
                {
                    values[e] = 1 + random.nextLong(valueWidth <= 1 ? 0x7F : (1L << (4 * valueWidth - 1)) - 1);
                    flags[e] = false;
                }
                break;
            case 4: // all values fit exactly one width less, at its top
                for (int e = 0; e < n; e++)
                {
                    values[e] = valueWidth == 1 ? 1 : (1L << (4 * valueWidth - 1)) - 1;
                    flags[e] = false;
                }
                break;
            case 5: // boundaries of the width: the top value, the smallest that needs it
                values[pos] = random.nextBoolean() ? fieldMax : valueWidth == 1 ? 1 : 1L << (4 * valueWidth - 1);
                break;
            case 6: // 2^15 and 2^31 - 1 and 2^31 (the flag of 4-byte fields)
                values[pos] = new long[] {1L << 15, (1L << 31) - 1, 1L << 31, (1L << 15) - 1}[random.nextInt(4)];
                break;
            case 7: // above the kind's largest (8 bytes only: flagless 2^63 - 1 is every kind's largest)
                values[pos] = kindMax;
                if (random.nextBoolean())
                {
                    flags[pos] = true;
                }
                break;
            case 8: // two zeros, adjacent lanes of one word
                values[pos] = 0;
                values[Math.min(n - 1, pos + 1)] = 0;
                break;
            default:
                break;
        }
    }

    @Test
    void compareWithShouldAnswerAndThrowExactlyAsWrapThenCompare()
    {
        final long seed = Seeds.seed("CompareWithRedTeamTest.compareWithShouldAnswerAndThrowExactlyAsWrapThenCompare");
        final SplittableRandom random = new SplittableRandom(seed);
        final int cases = Integer.getInteger("ordo.cmpWith.cases", 150_000);
        final EncodedVectorClock wrapped = new EncodedVectorClock();
        int fastShaped = 0;
        for (int c = 0; c < cases; c++)
        {
            final EntryKind kind = KINDS[random.nextInt(KINDS.length)];
            final int n = random.nextInt(5) == 0 ? random.nextInt(4) :
                random.nextInt(4) == 0 ? 60 + random.nextInt(8) : 1 + random.nextInt(20);
            final long idTop = ID_TOPS[random.nextInt(ID_TOPS.length)];
            final long valueTop = VALUE_TOPS[random.nextInt(VALUE_TOPS.length)];
            final boolean mayFlag = random.nextInt(4) == 0;
            final Object[] clock = randomClock(random, kind, n, idTop, valueTop, mayFlag);
            final long[] ids = (long[])clock[0];
            final long[] values = (long[])clock[1];
            final boolean[] flags = (boolean[])clock[2];
            final byte[] x = encode(kind, ids, values, flags);
            final int home = random.nextInt(6) < 3 ? 0 : random.nextInt(5);
            wrapInHome(wrapped, x, home, 1 + random.nextInt(9));

            // The candidate: mostly the same nodes in the same layout (the fused path), values mutated.
            byte[] y;
            final int shape = random.nextInt(10);
            if (shape < 6 && n > 0)
            {
                final long[] v = values.clone();
                final boolean[] f = flags.clone();
                mutateValues(random, v, f, 1 << ((x[1] >>> 2) & 3), kind.maxValue());
                y = encodeWithLayout(kind, x[1], ids, v, f);
                fastShaped++;
            }
            else if (shape < 8)
            {
                // Another valid clock, maybe of another kind.
                final EntryKind otherKind = random.nextInt(8) == 0 ? KINDS[random.nextInt(KINDS.length)] : kind;
                final Object[] other = randomClock(random, otherKind, random.nextInt(70),
                    ID_TOPS[random.nextInt(4)], VALUE_TOPS[random.nextInt(4)], random.nextInt(4) == 0);
                y = encode(otherKind, (long[])other[0], (long[])other[1], (boolean[])other[2]);
            }
            else
            {
                y = x.clone();
            }
            // Random byte damage now and then, anywhere.
            if (random.nextInt(3) == 0 && y.length > 0)
            {
                for (int k = 1 + random.nextInt(3); k > 0; k--)
                {
                    y[random.nextInt(y.length)] ^= (byte)(1 << random.nextInt(8));
                }
            }
            // Frame it at a shifted offset, sometimes with lies about offset and length.
            final int pre = random.nextInt(9);
            final byte[] framed = new byte[pre + y.length + random.nextInt(9)];
            System.arraycopy(y, 0, framed, pre, y.length);
            int offset = pre;
            int length = y.length;
            switch (random.nextInt(16))
            {
                case 0: length += random.nextInt(3) - 1; break;
                case 1: offset += random.nextInt(3) - 1; break;
                case 2: offset = -1 - random.nextInt(3); break;
                case 3: length = -1 - random.nextInt(3); break;
                case 4: offset = Integer.MAX_VALUE - random.nextInt(3); break;
                case 5: length = Integer.MAX_VALUE - random.nextInt(3); break;
                case 6: offset = Integer.MAX_VALUE - length + 1 + random.nextInt(3); break;
                case 7: offset = Integer.MIN_VALUE + random.nextInt(3); break;
                default: break;
            }
            final int target = random.nextInt(12);
            if (target == 0)
            {
                final ByteBuffer buffer = random.nextBoolean() ? ByteBuffer.wrap(framed) :
                    ByteBuffer.allocateDirect(framed.length).put(framed).clear();
                check(seed, c, wrapped, buffer, offset, length, "ByteBuffer");
            }
            else
            {
                check(seed, c, wrapped, framed, offset, length, "byte[] home " + home);
            }
        }
        assertThat(fastShaped).isGreaterThan(cases / 3);
    }

    /**
     * The wrapped bytes' own array as the candidate: the same range (EQUAL), overlapping ranges, a range that
     * starts inside it.
     */
    @Test
    void compareWithOnTheWrappedArrayShouldMatchWrapThenCompare()
    {
        final long seed = Seeds.seed("CompareWithRedTeamTest.compareWithOnTheWrappedArray");
        final SplittableRandom random = new SplittableRandom(seed);
        final EncodedVectorClock wrapped = new EncodedVectorClock();
        for (int c = 0; c < 5_000; c++)
        {
            final EntryKind kind = KINDS[random.nextInt(KINDS.length)];
            final int n = random.nextInt(70);
            final Object[] clock = randomClock(random, kind, n, ID_TOPS[random.nextInt(4)],
                VALUE_TOPS[random.nextInt(4)], random.nextInt(4) == 0);
            final byte[] x = encode(kind, (long[])clock[0], (long[])clock[1], (boolean[])clock[2]);
            final int shift = random.nextInt(9);
            final byte[] framed = new byte[shift + 2 * x.length + 9];
            System.arraycopy(x, 0, framed, shift, x.length);
            // A second copy right behind it, so shifted ranges reach into valid bytes.
            System.arraycopy(x, 0, framed, shift + x.length, x.length);
            wrapped.wrap(framed, shift, x.length);
            check(seed, c, wrapped, framed, shift, x.length, "same range");
            if ((x[1] & WireFormat.PRUNED_PRESENT) == 0)
            {
                assertThat(wrapped.compareWith(framed, shift, x.length)).isEqualTo(Causality.EQUAL);
            }
            check(seed, c, wrapped, framed, shift + x.length, x.length, "copy behind");
            final int delta = random.nextInt(2 * x.length + 1) - x.length;
            check(seed, c, wrapped, framed, shift + delta, x.length + random.nextInt(3) - 1, "overlapping");
        }
    }

    /** Nothing wrapped: wrap+compare reports malformed bytes first (the argument is evaluated first). */
    @Test
    void anUnwrappedFlyweightShouldThrowWhatWrapThenCompareThrows()
    {
        final EncodedVectorClock unwrapped = new EncodedVectorClock();
        final byte[] valid = encode(EntryKind.COUNTERS, new long[] {1, 2}, new long[] {3, 4}, new boolean[2]);
        final byte[] zero = encode(EntryKind.COUNTERS, new long[] {1, 2}, new long[] {3, 0}, new boolean[2]);
        final byte[] empty = encode(EntryKind.HLC_MICROS, new long[0], new long[0], new boolean[0]);
        for (final Object buffer : new Object[] {valid, zero, empty, new byte[] {0x31}, new byte[0], null,
            ByteBuffer.wrap(zero), ByteBuffer.allocateDirect(zero.length).put(zero).clear()})
        {
            final int length = buffer instanceof byte[] ? ((byte[])buffer).length : buffer == null ? 3 : zero.length;
            check(0, 0, unwrapped, buffer, 0, length, "unwrapped");
            check(0, 0, unwrapped, buffer, -1, length, "unwrapped, bad offset");
        }
    }

    /**
     * compareFlags' direct path (same nodes and layout, up to 64 entries) and the bulk path above it agree with
     * the in-memory compare at 63, 64 and 65 entries, with differences at the first, last and boundary entries.
     */
    @Test
    void theDirectCompareShouldMatchTheInMemoryCompareAroundSixtyFourEntries()
    {
        final long seed = Seeds.seed("CompareWithRedTeamTest.theDirectCompareAroundSixtyFour");
        final SplittableRandom random = new SplittableRandom(seed);
        final EncodedVectorClock left = new EncodedVectorClock();
        final EncodedVectorClock right = new EncodedVectorClock();
        for (int t = 0; t < 6_000; t++)
        {
            final int n = WireFormat.DIRECT_COUNT - 1 + t % 3;
            final NodeRegistry registry = new NodeRegistry();
            for (int i = 0; registry.size() < n; i++)
            {
                registry.register(random.nextBoolean() ? i + 1L : 1_000_000L * (i + 1));
            }
            final long top = VALUE_TOPS[random.nextInt(VALUE_TOPS.length)] / 2;
            final VectorClock a = new VectorClock(registry);
            final VectorClock b = new VectorClock(registry);
            for (int i = 0; i < n; i++)
            {
                final long v = 1 + random.nextLong(top);
                a.increment(i, v);
                b.increment(i, v);
            }
            final int[] spots = {0, n - 1, 31, 32, 33, 62, 63, 64, random.nextInt(n)};
            for (int k = random.nextInt(3); k >= 0; k--)
            {
                final int at = Math.min(n - 1, spots[random.nextInt(spots.length)]);
                final VectorClock ahead = random.nextBoolean() ? a : b;
                ahead.increment(at, ahead.get(at) + 1 + random.nextInt(3));
            }
            final byte[] bytesA = TestClocks.bytes(a);
            final byte[] bytesB = TestClocks.bytes(b);
            final int offA = random.nextInt(9);
            final int offB = random.nextInt(9);
            final byte[] bufA = new byte[offA + bytesA.length];
            final byte[] bufB = new byte[offB + bytesB.length];
            System.arraycopy(bytesA, 0, bufA, offA, bytesA.length);
            System.arraycopy(bytesB, 0, bufB, offB, bytesB.length);
            left.wrap(bufA, offA, bytesA.length);
            right.wrap(bufB, offB, bytesB.length);
            final Causality expected = a.compare(b);
            assertThat(left.compare(right)).as("seed %d trial %d n %d", seed, t, n).isEqualTo(expected);
            assertThat(right.compare(left)).as("seed %d trial %d n %d", seed, t, n).isEqualTo(expected.reversed());
            assertThat(left.compareWith(bufB, offB, bytesB.length)).as("seed %d trial %d", seed, t)
                .isEqualTo(expected);
            assertThat(right.compareWith(ByteBuffer.wrap(bufA), offA, bytesA.length)).as("seed %d t %d", seed, t)
                .isEqualTo(expected.reversed());
        }
    }

    /** Every zero-lane position of the fused 4-byte pass, counts 1 to 9, each refused with wrap's message. */
    @Test
    void aZeroFieldAnywhereInTheFusedPassShouldBeRefusedAsWrapRefusesIt()
    {
        for (int n = 1; n <= 9; n++)
        {
            final long[] ids = new long[n];
            final long[] values = new long[n];
            for (int e = 0; e < n; e++)
            {
                ids[e] = 10 + e;
                values[e] = (1L << 15) + e;
            }
            for (final EntryKind kind : KINDS)
            {
                final byte[] x = encode(kind, ids, values, new boolean[n]);
                final EncodedVectorClock wrapped = new EncodedVectorClock().wrap(x, 0, x.length);
                for (int e = 0; e < n; e++)
                {
                    final long[] v = values.clone();
                    v[e] = 0;
                    final byte[] y = encodeWithLayout(kind, x[1], ids, v, new boolean[n]);
                    check(0, n * 100 + e, wrapped, y, 0, y.length, "zero at " + e + " of " + n);
                    assertThat(viaCompareWith(wrapped, y, 0, y.length)).startsWith("Malformed zero value");
                    final boolean[] f = new boolean[n];
                    f[e] = true;
                    final byte[] flagged = encodeWithLayout(kind, x[1], ids, values, f);
                    check(0, n * 100 + e, wrapped, flagged, 0, flagged.length, "flag at " + e + " of " + n);
                    assertThat(viaCompareWith(wrapped, flagged, 0, flagged.length)).startsWith("Malformed layout");
                }
            }
        }
    }
}
