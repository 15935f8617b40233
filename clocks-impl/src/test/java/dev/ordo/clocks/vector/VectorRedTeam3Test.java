package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.AllocationMeter;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Red-team round 3 against wire layout 3 and its fast paths (the remembered header and ids block of
 * {@link EncodedVectorClock}, the scratch-and-swap array decode, the bulk compares, the SWAR value checks).
 * Every acceptance is checked against the reference validation ({@link WireFormat#validate} over a heap
 * {@link ByteBuffer}, which takes none of the array fast paths); every randomized test prints its seed.
 */
class VectorRedTeam3Test
{
    private static final EntryKind[] KINDS =
        {EntryKind.COUNTERS, EntryKind.hybrid(HybridTimestampFormat.MILLIS), EntryKind.hybrid(HybridTimestampFormat.MICROS)};

    /** Reference acceptance: the generic validation over a read-only heap buffer (no array fast path). */
    private static boolean referenceAccepts(final byte[] bytes, final int offset, final int length)
    {
        final WireBytes in = new WireBytes();
        in.attach(ByteBuffer.wrap(bytes.clone()).asReadOnlyBuffer());
        try
        {
            WireFormat.validate(in, offset, length, true, null, null, null);
            return true;
        }
        catch (final MalformedClockException e)
        {
            return false;
        }
    }

    private static boolean wraps(final EncodedVectorClock flyweight, final byte[] bytes, final int offset,
        final int length)
    {
        final String before = flyweight.toString();
        try
        {
            flyweight.wrap(bytes, offset, length);
            return true;
        }
        catch (final MalformedClockException e)
        {
            assertThat(flyweight.toString()).as("a refused wrap leaves the flyweight as it was").isEqualTo(before);
            return false;
        }
    }

    /** Decodes by the reference path (read-only heap buffer): @return the state, or null if refused. */
    private static String referenceDecode(final NodeRegistry registry, final EntryKind kind, final byte[] bytes,
        final int offset, final int length)
    {
        final VectorClock clock = new VectorClock(registry, kind);
        try
        {
            clock.decode(ByteBuffer.wrap(bytes.clone()).asReadOnlyBuffer(), offset, length);
            return clock.toString();
        }
        catch (final MalformedClockException e)
        {
            return null;
        }
    }

    private static VectorClock clockOf(final NodeRegistry registry, final EntryKind kind, final long... values)
    {
        final VectorClock clock = new VectorClock(registry, kind);
        for (int i = 0; i < values.length; i++)
        {
            if (values[i] != 0)
            {
                clock.increment(i, values[i]);
            }
        }
        return clock;
    }

    private static NodeRegistry registry(final int n, final long idBase, final long idStep)
    {
        final NodeRegistry registry = new NodeRegistry();
        for (int i = 0; i < n; i++)
        {
            registry.register(idBase + i * idStep);
        }
        return registry;
    }

    private static int valuesAt(final byte[] bytes, final int offset)
    {
        return valuesAt(bytes, offset, bytes.length - offset);
    }

    private static int valuesAt(final byte[] bytes, final int offset, final int length)
    {
        final long info = WireFormat.header(bytes, offset, length, true, null);
        assertThat(info).isNotEqualTo(WireFormat.INVALID);
        return offset + WireFormat.headerLength(info) +
            WireFormat.count(info) * WireFormat.idWidth(WireFormat.layout(info));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The remembered header and ids block must not vouch for the values.

    @Test
    void rememberedPrefixShouldNotLetInvalidValuesThroughAtAnyWidthOrCount()
    {
        // value widths 1, 2, 4, 8 (8 only for values >= 2^31), counts 1..20 (blocks below and above 8 bytes)
        final long[] tops = {100, 30_000, 2_000_000_000L, 5_000_000_000L};
        int checked = 0;
        for (final EntryKind kind : KINDS)
        {
            for (final long top : tops)
            {
                for (int n = 1; n <= 20; n++)
                {
                    final NodeRegistry registry = registry(n, 5, 3);
                    final long[] values = new long[n];
                    for (int i = 0; i < n; i++)
                    {
                        values[i] = 1 + (top * (i + 1)) / n;       // the last one is the top: the width is canonical
                    }
                    final byte[] valid = TestClocks.bytes(clockOf(registry, kind, values));
                    final int width = WireFormat.valueWidth(valid[1] & 0xFF);
                    final int at = valuesAt(valid, 0);
                    for (int e = 0; e < n; e++)
                    {
                        for (final long raw : hostileRaws(width, kind))
                        {
                            final byte[] hostile = valid.clone();
                            WireBytes.put(hostile, at + e * width, width, raw);
                            final EncodedVectorClock flyweight = new EncodedVectorClock();
                            flyweight.wrap(valid, 0, valid.length);                 // remembers the prefix
                            final boolean expected = referenceAccepts(hostile, 0, hostile.length);
                            assertThat(wraps(flyweight, hostile, 0, hostile.length))
                                .as("%s n=%d width=%d entry %d raw %x", kind, n, width, e, raw).isEqualTo(expected);
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    private static long[] hostileRaws(final int width, final EntryKind kind)
    {
        final long flag = width == 8 ? Long.MIN_VALUE : 1L << (width * 8 - 1);
        final long all = width == 8 ? -1L : (1L << (width * 8)) - 1;
        return new long[] {
            0,                          // zero without flag
            flag,                       // retired marker (flag set, no layout bit 4)
            flag | 1,                   // pruned without layout bit 4
            all,                        // all ones
            1,                          // tiny: may make the width non-canonical
            flag - 1,                   // largest of the width
            Math.min(flag - 1, kind.maxValue() + 1) & (flag - 1), // just above the kind's largest (8-byte HLC)
            Long.MAX_VALUE & all,
        };
    }

    @Test
    void largeRememberedPrefixesShouldStillCheckEveryValueLane()
    {
        // 1024 hashed ids: a header and ids block of 8196 bytes, just within what a flyweight remembers; 1025
        // just beyond it. Value widths 1, 2, 4, 8; a hostile field at the first, a middle, the last entry.
        for (final int n : new int[] {1023, 1024, 1025})
        {
            final NodeRegistry registry = registry(n, 1L << 50, 977);
            for (final long top : new long[] {100, 30_000, 2_000_000_000L, 5_000_000_000L})
            {
                final long[] values = new long[n];
                for (int i = 0; i < n; i++)
                {
                    values[i] = 1 + (top * (i + 1)) / n;
                }
                final byte[] valid = TestClocks.bytes(clockOf(registry, EntryKind.COUNTERS, values));
                final int width = WireFormat.valueWidth(valid[1] & 0xFF);
                final int at = valuesAt(valid, 0);
                final EncodedVectorClock flyweight = new EncodedVectorClock().wrap(valid, 0, valid.length);
                final VectorClock target = new VectorClock(registry);
                target.decode(valid, 0, valid.length);
                for (final int e : new int[] {0, 1, 7, n / 2, n - 9, n - 2, n - 1})
                {
                    for (final long raw : hostileRaws(width, EntryKind.COUNTERS))
                    {
                        final byte[] hostile = valid.clone();
                        WireBytes.put(hostile, at + e * width, width, raw);
                        final boolean expected = referenceAccepts(hostile, 0, hostile.length);
                        assertThat(wraps(flyweight, hostile, 0, hostile.length))
                            .as("n=%d width=%d entry %d raw %x", n, width, e, raw).isEqualTo(expected);
                        final String reference = referenceDecode(registry, EntryKind.COUNTERS, hostile, 0,
                            hostile.length);
                        final String before = target.toString();
                        try
                        {
                            target.decode(hostile, 0, hostile.length);
                            assertThat(reference).as("n=%d width=%d entry %d raw %x", n, width, e, raw).isNotNull();
                            assertThat(target.toString()).isEqualTo(reference);
                        }
                        catch (final MalformedClockException ex)
                        {
                            assertThat(reference).as("n=%d width=%d entry %d raw %x", n, width, e, raw).isNull();
                            assertThat(target.toString()).isEqualTo(before);
                        }
                        flyweight.wrap(valid, 0, valid.length);
                        target.decode(valid, 0, valid.length);
                        assertThat(TestClocks.bytes(target)).isEqualTo(valid);
                    }
                }
            }
        }
    }

    @Test
    void idsDifferingOnlyInTheLastByteOfTheIdsBlockShouldBeValidatedAgain()
    {
        for (final long idStep : new long[] {1, 300, 70_000, 1L << 40})
        {
            final NodeRegistry registry = registry(6, 2, idStep);
            final byte[] valid = TestClocks.bytes(clockOf(registry, EntryKind.COUNTERS, 4, 5, 6, 7, 8, 9));
            final int lastIdByte = valuesAt(valid, 0) - 1;
            for (int v = 0; v < 256; v++)
            {
                final byte[] hostile = valid.clone();
                hostile[lastIdByte] = (byte)v;
                final EncodedVectorClock flyweight = new EncodedVectorClock().wrap(valid, 0, valid.length);
                final boolean accepted = wraps(flyweight, hostile, 0, hostile.length);
                assertThat(accepted).as("idStep %d last id byte %02x", idStep, v)
                    .isEqualTo(referenceAccepts(hostile, 0, hostile.length));
                if (accepted)
                {
                    assertThat(flyweight.nodeId(5)).isEqualTo(
                        WireBytes.get(hostile, lastIdByte + 1 - WireFormat.idWidth(hostile[1] & 0xFF),
                            WireFormat.idWidth(hostile[1] & 0xFF)));
                }
            }
        }
    }

    @Test
    void aReusedBufferMutatedAfterTheWrapShouldBeRefusedByMergeDecodeAndTheNextWrap()
    {
        final NodeRegistry registry = registry(12, 1, 1);
        final long[] vs = new long[12];
        Arrays.fill(vs, 1000);
        final byte[] buffer = new byte[64 + 7];
        final VectorClock source = clockOf(registry, EntryKind.COUNTERS, vs);
        final int length = source.encode(buffer, 7);
        final EncodedVectorClock flyweight = new EncodedVectorClock().wrap(buffer, 7, length);
        final int at = valuesAt(buffer, 7, length);
        final VectorClock target = clockOf(registry, EntryKind.COUNTERS, 1, 2, 3);
        final String before = target.toString();
        for (final long raw : new long[] {0, 0x8000, 0x8001, 0x7F})        // zero, retired, pruned, narrow
        {
            final byte[] saved = buffer.clone();
            for (int e = 0; e < 12; e++)
            {
                WireBytes.put(buffer, at + e * 2, 2, raw == 0x7F ? 0x7F : (e == 11 ? raw : 1000));
            }
            assertThatThrownBy(() -> target.merge(flyweight)).isInstanceOf(MalformedClockException.class);
            assertThat(target.toString()).isEqualTo(before);
            assertThatThrownBy(() -> target.decode(flyweight)).isInstanceOf(MalformedClockException.class);
            assertThat(target.toString()).isEqualTo(before);
            assertThatThrownBy(() -> target.decode(buffer, 7, length)).isInstanceOf(MalformedClockException.class);
            assertThat(target.toString()).isEqualTo(before);
            final EncodedVectorClock other = new EncodedVectorClock().wrap(saved, 7, length);
            assertThat(wraps(other, buffer, 7, length)).as("raw %x", raw).isFalse();
            assertThat(wraps(flyweight, buffer, 7, length)).as("raw %x", raw).isFalse();
            System.arraycopy(saved, 0, buffer, 0, buffer.length);
        }
        target.merge(flyweight);
        assertThat(target.toString()).isEqualTo(source.toString());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Hostile headers.

    @Test
    void hostileHeadersShouldBeRefusedByEveryEntryPoint()
    {
        final NodeRegistry registry = registry(3, 3, 4);
        final byte[] valid = TestClocks.bytes(clockOf(registry, EntryKind.COUNTERS, 5, 300, 7));
        final java.util.List<byte[]> hostile = new java.util.ArrayList<>();
        // a count near 2^63: a 10-byte varint
        final byte[] huge = new byte[valid.length + 9];
        huge[0] = valid[0];
        huge[1] = valid[1];
        for (int i = 2; i < 11; i++)
        {
            huge[i] = (byte)0xFF;
        }
        huge[11] = 0x7F;
        hostile.add(huge);
        // counts that claim more than the bytes left, and 2^20 + 1
        for (final byte[] count : new byte[][] {{4}, {(byte)0x80, 1}, {(byte)0x81, (byte)0x80, (byte)0x40},
            {(byte)0xFF, (byte)0xFF, 0x7F}, {(byte)0x81, (byte)0x80, 0x40}, {(byte)0x83, 0}})
        {
            final byte[] b = new byte[valid.length - 1 + count.length];
            b[0] = valid[0];
            b[1] = valid[1];
            System.arraycopy(count, 0, b, 2, count.length);
            System.arraycopy(valid, 3, b, 2 + count.length, valid.length - 3);
            hostile.add(b);
        }
        // every layout byte but the valid one (widths that lie, reserved bits, bit 4)
        for (int layout = 0; layout < 256; layout++)
        {
            if (layout != (valid[1] & 0xFF))
            {
                final byte[] b = valid.clone();
                b[1] = (byte)layout;
                hostile.add(b);
            }
        }
        // format bytes of layout 1, 2, unknown versions and kinds
        for (final int format : new int[] {0x00, 0x01, 0x02, 0x03, 0x21, 0x22, 0x23, 0x30, 0x34, 0x3F, 0x41, 0xB1,
            0xFF})
        {
            final byte[] b = valid.clone();
            b[0] = (byte)format;
            hostile.add(b);
        }
        // truncation at every byte, trailing garbage
        for (int length = 0; length < valid.length; length++)
        {
            hostile.add(Arrays.copyOf(valid, length));
        }
        for (final int garbage : new int[] {0, 1, 0x31, 0xFF})
        {
            final byte[] b = Arrays.copyOf(valid, valid.length + 1);
            b[valid.length] = (byte)garbage;
            hostile.add(b);
        }
        final EncodedVectorClock flyweight = new EncodedVectorClock().wrap(valid, 0, valid.length);
        final VectorClock target = clockOf(registry, EntryKind.COUNTERS, 9, 9, 9);
        for (final byte[] b : hostile)
        {
            final String what = WireFormat.hex(b.length > 0 ? b[0] & 0xFF : 0) + " " + Arrays.toString(b);
            final boolean expected = referenceAccepts(b, 0, b.length);
            assertThat(expected).as("the reference refuses %s", what).isFalse();
            assertThat(wraps(flyweight, b, 0, b.length)).as(what).isFalse();
            for (final int shift : new int[] {0, 5})
            {
                final byte[] shifted = new byte[b.length + shift + 3];
                System.arraycopy(b, 0, shifted, shift, b.length);
                final ByteBuffer direct = ByteBuffer.allocateDirect(shifted.length);
                direct.put(0, shifted);
                final ByteBuffer heapSlice = ByteBuffer.wrap(new byte[shifted.length + 2]).slice(2, shifted.length);
                heapSlice.put(0, shifted);
                for (final ByteBuffer buffer : new ByteBuffer[] {direct, heapSlice})
                {
                    assertThatThrownBy(() -> new EncodedVectorClock().wrap(buffer, shift, b.length))
                        .as(what).isInstanceOf(MalformedClockException.class);
                    assertThatThrownBy(() -> target.decode(buffer, shift, b.length))
                        .as(what).isInstanceOf(MalformedClockException.class);
                }
                assertThatThrownBy(() -> target.decode(shifted, shift, b.length))
                    .as(what).isInstanceOf(MalformedClockException.class);
            }
            assertThat(target.toString()).isEqualTo(clockOf(registry, EntryKind.COUNTERS, 9, 9, 9).toString());
        }
        // the last good wrap is intact and a later valid decode is exact
        assertThat(flyweight.toBytes()).isEqualTo(valid);
        target.decode(valid, 0, valid.length);
        assertThat(TestClocks.bytes(target)).isEqualTo(valid);
    }

    @Test
    void hostileBoundsShouldBeMalformedClockExceptionsOnEveryEntryPoint()
    {
        final NodeRegistry registry = registry(3, 3, 4);
        final byte[] valid = TestClocks.bytes(clockOf(registry, EntryKind.COUNTERS, 5, 300, 7));
        final EncodedVectorClock flyweight = new EncodedVectorClock().wrap(valid, 0, valid.length);
        final VectorClock target = clockOf(registry, EntryKind.COUNTERS, 1, 1, 1);
        final ByteBuffer direct = ByteBuffer.allocateDirect(valid.length);
        direct.put(0, valid);
        final ByteBuffer shortLimit = ByteBuffer.wrap(valid.clone()).limit(valid.length - 1);
        final int[][] bounds = {{-1, valid.length}, {0, -1}, {0, Integer.MAX_VALUE}, {Integer.MAX_VALUE, valid.length},
            {1, valid.length}, {Integer.MIN_VALUE, valid.length}, {valid.length, 0}, {0, valid.length + 1}};
        for (final int[] b : bounds)
        {
            final String what = Arrays.toString(b);
            assertThat(wraps(flyweight, valid, b[0], b[1])).as(what).isFalse();
            assertThatThrownBy(() -> flyweight.wrapPrefix(valid, b[0], b[1])).as(what)
                .isInstanceOf(MalformedClockException.class);
            assertThatThrownBy(() -> target.decode(valid, b[0], b[1])).as(what)
                .isInstanceOf(MalformedClockException.class);
            assertThatThrownBy(() -> EncodedVectorClock.lengthOf(valid, b[0], b[1])).as(what)
                .isInstanceOf(MalformedClockException.class);
            for (final ByteBuffer buffer : new ByteBuffer[] {direct, ByteBuffer.wrap(valid)})
            {
                assertThatThrownBy(() -> flyweight.wrap(buffer, b[0], b[1])).as(what)
                    .isInstanceOf(MalformedClockException.class);
                assertThatThrownBy(() -> target.decode(buffer, b[0], b[1])).as(what)
                    .isInstanceOf(MalformedClockException.class);
            }
        }
        assertThatThrownBy(() -> flyweight.wrap(shortLimit, 0, valid.length))
            .isInstanceOf(MalformedClockException.class);
        assertThatThrownBy(() -> target.decode(shortLimit, 0, valid.length))
            .isInstanceOf(MalformedClockException.class);
        assertThat(flyweight.toBytes()).isEqualTo(valid);
        assertThat(target.toString()).isEqualTo(clockOf(registry, EntryKind.COUNTERS, 1, 1, 1).toString());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Randomized differentials.

    @Test
    void mutationsAfterARememberedWrapShouldBeAcceptedExactlyWhenTheReferenceAccepts()
    {
        final long seed = Seeds.seed("mutationsAfterARememberedWrapShouldBeAcceptedExactlyWhenTheReferenceAccepts");
        final SplittableRandom random = new SplittableRandom(seed);
        int accepted = 0;
        int refused = 0;
        for (int round = 0; round < 3000; round++)
        {
            final EntryKind kind = KINDS[random.nextInt(KINDS.length)];
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(40), random);
            if (random.nextInt(4) == 0)
            {
                TestClocks.retireSome(registry, random);
            }
            final VectorClock clock = randomOfKind(registry, kind, random);
            final byte[] valid = TestClocks.bytes(clock);
            final int offset = random.nextInt(4);
            final byte[] buffer = new byte[offset + valid.length + random.nextInt(3)];
            System.arraycopy(valid, 0, buffer, offset, valid.length);
            final EncodedVectorClock flyweight = new EncodedVectorClock().wrap(buffer, offset, valid.length);
            // mutate: mostly the values block (where the remembered prefix matches), sometimes anywhere
            final int count = flyweight.entryCount();
            final int valuesStart = count == 0 ? offset : valuesAt(buffer, offset, valid.length);
            final int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++)
            {
                final int p = random.nextInt(4) != 0 && valuesStart < offset + valid.length ?
                    valuesStart + random.nextInt(offset + valid.length - valuesStart) :
                    offset + random.nextInt(valid.length);
                buffer[p] = (byte)(random.nextInt(3) == 0 ? 0 : random.nextInt(3) == 0 ? buffer[p] ^ 0x80 :
                    random.nextInt(256));
            }
            final boolean expected = referenceAccepts(buffer, offset, valid.length);
            final boolean actual = wraps(flyweight, buffer, offset, valid.length);
            assertThat(actual).as("seed %d round %d: %s", seed, round, Arrays.toString(buffer)).isEqualTo(expected);
            // decode into a clock that has already decoded (scratch in use): same verdict as the reference
            final VectorClock target = TestClocks.copy(clock);
            target.decode(valid, 0, valid.length);
            final String before = target.toString();
            final String reference = referenceDecode(registry, kind, buffer, offset, valid.length);
            try
            {
                target.decode(buffer, offset, valid.length);
                assertThat(reference).as("seed %d round %d: decode accepted what the reference refuses", seed, round)
                    .isNotNull();
                assertThat(target.toString()).as("seed %d round %d", seed, round).isEqualTo(reference);
            }
            catch (final MalformedClockException e)
            {
                assertThat(reference).as("seed %d round %d: decode refused what the reference accepts", seed, round)
                    .isNull();
                assertThat(target.toString()).as("seed %d round %d: a refused decode changes nothing", seed, round)
                    .isEqualTo(before);
            }
            // then a valid decode of another clock must be exact (scratch left by the failure is not trusted)
            final VectorClock next = randomOfKind(registry, kind, random);
            final byte[] nextBytes = TestClocks.bytes(next);
            target.decode(nextBytes, 0, nextBytes.length);
            assertThat(TestClocks.bytes(target)).as("seed %d round %d", seed, round).isEqualTo(nextBytes);
            assertThat(target.toString()).isEqualTo(next.toString());
            if (actual)
            {
                accepted++;
            }
            else
            {
                refused++;
            }
        }
        assertThat(accepted).as("seed %d", seed).isGreaterThan(30);
        assertThat(refused).as("seed %d", seed).isGreaterThan(300);
    }

    private static void checkEncoded(final EncodedVectorClock x, final EncodedVectorClock y, final Causality expected,
        final String what)
    {
        final long uncertain = x.uncertainComparisonCount();
        final Causality actual = x.compare(y);
        if (actual != expected)
        {
            assertThat(actual).as(what).isEqualTo(Causality.CONCURRENT);
            assertThat(x.hasPrunedEntries() || y.hasPrunedEntries()).as(what).isTrue();
            assertThat(x.uncertainComparisonCount()).as(what).isEqualTo(uncertain + 1);
        }
    }

    private static VectorClock randomOfKind(final NodeRegistry registry, final EntryKind kind,
        final SplittableRandom random)
    {
        final VectorClock counters = TestClocks.random(registry, random, random.nextInt(3) == 0);
        if (kind == EntryKind.COUNTERS)
        {
            return counters;
        }
        // the same shape with values clamped into the kind's range
        final VectorClock clock = new VectorClock(registry, kind);
        for (int i = 0; i < registry.size(); i++)
        {
            final long v = counters.get(i);
            if (v != 0 && registry.finalValue(i) == 0)
            {
                clock.increment(i, Math.min(v, kind.maxValue()));
            }
        }
        return clock;
    }

    @Test
    void fastComparesShouldAgreeWithInMemoryComparesOnEveryKindOfBuffer()
    {
        final long seed = Seeds.seed("fastComparesShouldAgreeWithInMemoryComparesOnEveryKindOfBuffer");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 4000; round++)
        {
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(random.nextBoolean() ? 8 : 80),
                random);
            if (random.nextInt(4) == 0)
            {
                TestClocks.retireSome(registry, random);
            }
            final VectorClock a = TestClocks.random(registry, random, random.nextInt(4) == 0);
            final VectorClock b = random.nextInt(3) == 0 ? TestClocks.copy(a) :
                TestClocks.random(registry, random, random.nextInt(4) == 0);
            if (random.nextBoolean())
            {
                // related histories: b is a with a few entries raised (the bulk-mismatch paths)
                a.copyTo(b);
                for (int k = random.nextInt(3); k >= 0; k--)
                {
                    final int node = random.nextInt(registry.size());
                    final long raised = b.get(node) + 1 + random.nextInt(random.nextBoolean() ? 3 : 100_000);
                    if (!b.isPruned(node) && raised > b.get(node) && registry.finalValue(node) == 0)
                    {
                        b.increment(node, raised);
                    }
                }
            }
            final Causality expected = a.compare(b);
            final byte[] ea = TestClocks.bytes(a);
            final byte[] eb = TestClocks.bytes(b);
            final int oa = random.nextInt(9);
            final int ob = random.nextInt(9);
            final byte[] buffer = new byte[oa + ea.length + ob + eb.length + 5];
            System.arraycopy(ea, 0, buffer, oa, ea.length);
            final int startB = oa + ea.length + ob;
            System.arraycopy(eb, 0, buffer, startB, eb.length);
            final int sliceAt = random.nextInt(4);
            final byte[] backing = new byte[buffer.length + sliceAt];
            System.arraycopy(buffer, 0, backing, sliceAt, buffer.length);
            final ByteBuffer heap = ByteBuffer.wrap(backing).slice(sliceAt, buffer.length);
            final ByteBuffer direct = ByteBuffer.allocateDirect(buffer.length);
            direct.put(0, buffer);
            final EncodedVectorClock[] as = {
                new EncodedVectorClock().wrap(buffer, oa, ea.length),
                new EncodedVectorClock().wrap(heap, oa, ea.length),
                new EncodedVectorClock().wrap(direct, oa, ea.length)};
            final EncodedVectorClock[] bs = {
                new EncodedVectorClock().wrap(buffer, startB, eb.length),
                new EncodedVectorClock().wrap(heap, startB, eb.length),
                new EncodedVectorClock().wrap(direct, startB, eb.length)};
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    // Bytes against bytes cannot resolve a retired marker (docs/vector-clocks.md, "What can
                    // still answer CONCURRENT"): then CONCURRENT, counted as uncertain, is the honest answer;
                    // an ordered answer must always be the in-memory one.
                    checkEncoded(as[i], bs[j], expected, "seed " + seed + " round " + round + " " + a + " vs " + b);
                    checkEncoded(bs[j], as[i], b.compare(a), "seed " + seed + " round " + round + " " + b + " vs " + a);
                }
                assertThat(a.compare(bs[i])).as("seed %d round %d buffer %d", seed, round, i).isEqualTo(expected);
                final VectorClock merged = TestClocks.copy(a);
                merged.merge(bs[i]);
                final VectorClock reference = TestClocks.copy(a);
                reference.merge(b);
                assertThat(merged.toString()).as("seed %d round %d buffer %d", seed, round, i)
                    .isEqualTo(reference.toString());
            }
        }
    }

    @Test
    void bytesScribbledAfterTheWrapShouldNeverBeReadOutsideTheWrappedRange()
    {
        final long seed = Seeds.seed("bytesScribbledAfterTheWrapShouldNeverBeReadOutsideTheWrappedRange");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 2000; round++)
        {
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(50), random);
            final byte[] ea = TestClocks.bytes(TestClocks.random(registry, random, random.nextBoolean()));
            final byte[] eb = TestClocks.bytes(TestClocks.random(registry, random, random.nextBoolean()));
            // each encoding alone in an array of exactly its length: any read outside the range throws
            final byte[] a = ea.clone();
            final byte[] b = eb.clone();
            final EncodedVectorClock fa = new EncodedVectorClock().wrap(a, 0, a.length);
            final EncodedVectorClock fb = new EncodedVectorClock().wrap(b, 0, b.length);
            for (int m = random.nextInt(8); m >= 0; m--)
            {
                final byte[] target = random.nextBoolean() ? a : b;
                target[random.nextInt(target.length)] = (byte)random.nextInt(256);
            }
            final VectorClock clock = TestClocks.random(registry, random, false);
            final String before = clock.toString();
            assertThat(fa.compare(fb)).as("seed %d round %d", seed, round).isNotNull();
            assertThat(fb.compare(fa)).as("seed %d round %d", seed, round).isNotNull();
            assertThat(clock.compare(fa)).as("seed %d round %d", seed, round).isNotNull();
            assertThat(fa.toString()).isNotNull();
            final boolean valid = referenceAccepts(a, 0, a.length);
            try
            {
                clock.merge(fa);
            }
            catch (final MalformedClockException e)
            {
                assertThat(clock.toString()).as("seed %d round %d", seed, round).isEqualTo(before);
            }
            if (!valid)
            {
                assertThat(clock.toString()).as("seed %d round %d: merged invalid bytes", seed, round)
                    .isEqualTo(before);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Zero allocation on the fast paths.

    @Test
    void rememberedWrapDecodeEncodeAndCompareShouldNotAllocate() throws Exception
    {
        final NodeRegistry registry = registry(16, 1, 1L << 40);
        final long[] x = new long[16];
        final long[] y = new long[16];
        for (int i = 0; i < 16; i++)
        {
            x[i] = 100_000 + i;
            y[i] = 100_000 + 16 - i;
        }
        final VectorClock a = clockOf(registry, EntryKind.COUNTERS, x);
        final VectorClock b = clockOf(registry, EntryKind.COUNTERS, y);
        final byte[] buffer = new byte[512];
        final int la = a.encode(buffer, 3);
        final int ob = 3 + la + 1;
        final int lb = b.encode(buffer, ob);
        final EncodedVectorClock fa = new EncodedVectorClock().wrap(buffer, 3, la);
        final EncodedVectorClock fb = new EncodedVectorClock().wrap(buffer, ob, lb);
        final VectorClock target = new VectorClock(registry);
        final byte[] out = new byte[512];
        final long[] sink = new long[1];
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                // alternating encodings of the same nodes: the remembered-prefix path
                fa.wrap(buffer, (i & 1) == 0 ? 3 : ob, la);
                sink[0] += fa.compare(fb).ordinal();
                target.decode(buffer, (i & 1) == 0 ? 3 : ob, la);
                sink[0] += target.encode(out, i & 7);
                target.merge(fb);
                sink[0] += target.compare(fb).ordinal();
            }
        })).isZero();
        assertThat(sink[0]).isNotZero();
    }
}
