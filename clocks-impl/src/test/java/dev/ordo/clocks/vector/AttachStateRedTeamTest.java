package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.Seeds;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Red team (attach state): random sequences of wraps of the same few flyweights over every home of the bytes
 * (one reused array per flyweight rewritten in place, fresh arrays at offsets, heap buffers with offsets and
 * limits, slices, duplicates, read-only and direct buffers; wrap and wrapPrefix), with malformed wraps in
 * between. After every step each flyweight must behave as a fresh flyweight over a copy of the bytes it last
 * accepted: bytes, length, compare with the others, compareWith, decode, merge, and a clock's compare.
 */
class AttachStateRedTeamTest
{
    private static final int SLOTS = 3;
    private static final long[] TOPS = {40_000, 2_000_000_000L, 100, 30_000, 5_000_000_000L, 1_000_000, 70_000};

    /** More homes (the Agrona test's): view {@code v} of {@code array[0, limit)}, encoding at {@code abs}. */
    interface Views
    {
        int count();

        /** @return the target, its index of the encoding, and whether it reads {@code array} in place. */
        Object[] make(int v, byte[] array, int limit, int abs, SplittableRandom random);
    }

    @Test
    void everyFlyweightShouldActAsAFreshOneOverTheBytesItLastAccepted()
    {
        run("AttachStateRedTeamTest.everyFlyweightShouldActAsAFreshOneOverTheBytesItLastAccepted", null);
    }

    static void run(final String name, final Views extra)
    {
        final long seed = Seeds.seed(name);
        final SplittableRandom random = new SplittableRandom(seed);
        final NodeRegistry registry = new NodeRegistry();
        // Node sets of equal sizes and id widths that differ in one id, and a large one (above DIRECT_COUNT).
        final int[][] sets = new int[7][];
        for (int i = 1; i <= 80; i++)
        {
            registry.register(i * 3L);
        }
        final int big = registry.register(1L << 40);
        sets[0] = new int[]{0, 1, 2, 3};
        sets[1] = new int[]{0, 1, 2, 4};
        sets[2] = new int[]{5, 6, 7, 8};
        sets[3] = new int[]{0, 1};
        sets[4] = new int[]{0, 1, 2, 3, 4, 5, 6};
        sets[5] = new int[70];
        for (int i = 0; i < 70; i++)
        {
            sets[5][i] = i;
        }
        sets[6] = new int[]{0, 1, 2, big};
        final EncodedVectorClock[] flyweights = new EncodedVectorClock[SLOTS];
        final byte[][] own = new byte[SLOTS][];
        final byte[][] model = new byte[SLOTS][];
        final Object[] home = new Object[SLOTS];
        final int[] at = new int[SLOTS];
        final Object[] agrona = new Object[SLOTS];
        for (int f = 0; f < SLOTS; f++)
        {
            flyweights[f] = new EncodedVectorClock();
            own[f] = new byte[2400];
        }
        int accepted = 0;
        int refused = 0;
        for (int step = 0; step < 12_000; step++)
        {
            final int f = random.nextInt(SLOTS);
            final String as = "seed " + seed + " step " + step + " slot " + f;
            // Mostly the same-length node sets that differ in one id: what the pair cache must tell apart.
            final int[] set = sets[random.nextBoolean() ? random.nextInt(2) : random.nextInt(sets.length)];
            final VectorClock clock = clock(registry, set, random);
            byte[] encoding = TestClocks.bytes(clock);
            final boolean mutate = random.nextInt(4) == 0;
            if (mutate)
            {
                encoding = encoding.clone();
                for (int m = 1 + random.nextInt(2); m > 0; m--)
                {
                    final int p = random.nextInt(encoding.length);
                    encoding[p] = (byte)(random.nextInt(3) == 0 ? 0 : random.nextInt(3) == 0 ? 0x80 : random.nextInt(256));
                }
            }
            final int len = encoding.length;
            final boolean prefixWrap = random.nextInt(5) == 0;
            final int slack = prefixWrap ? random.nextInt(4) : 0;
            // Where the bytes go: the slot's own array (in place over the current wrap when valid, else the
            // other half), or a fresh array.
            final byte[] array;
            final int abs;
            final int how = random.nextInt(6);
            if (how <= 2)
            {
                array = own[f];
                final boolean inPlace = !mutate && home[f] == array && random.nextBoolean();
                if (inPlace)
                {
                    abs = at[f];
                }
                else
                {
                    final int half = home[f] == array && at[f] < 1200 ? 1200 : 0;
                    abs = half + (random.nextInt(3) == 0 ? 0 : random.nextInt(8));
                }
            }
            else
            {
                abs = random.nextInt(3) == 0 ? 0 : random.nextInt(8);
                array = new byte[abs + len + slack + (random.nextBoolean() ? 0 : random.nextInt(9))];
            }
            System.arraycopy(encoding, 0, array, abs, len);
            final int max = Math.min(len + slack, array.length - abs);
            for (int i = len; i < max; i++)
            {
                array[abs + i] = (byte)random.nextInt(256);
            }
            final int view = random.nextInt(7 + (extra == null ? 0 : 2 * extra.count()));
            final Object target;
            final int index;
            boolean aliases = view <= 5;
            final int limit = random.nextBoolean() ? array.length : abs + max;
            switch (view)
            {
                case 0, 1, 2 -> {
                    target = array;
                    index = abs;
                }
                case 3 -> {
                    final ByteBuffer heap = ByteBuffer.wrap(array, 0, limit);
                    target = random.nextBoolean() ? heap : heap.duplicate();
                    index = abs;
                }
                case 4 -> {
                    final int cut = random.nextInt(abs + 1);
                    target = ByteBuffer.wrap(array, cut, limit - cut).slice();
                    index = abs - cut;
                }
                case 5 -> {
                    target = ByteBuffer.wrap(array, 0, limit).asReadOnlyBuffer();
                    index = abs;
                }
                case 6 -> {
                    final ByteBuffer direct = ByteBuffer.allocateDirect(limit);
                    direct.put(0, array, 0, limit);
                    target = direct;
                    index = abs;
                }
                default -> {
                    final Object[] made = extra.make((view - 7) % extra.count(), array, limit, abs, random);
                    target = made[0];
                    index = (Integer)made[1];
                    aliases = (Boolean)made[2];
                }
            }
            final int wrapLength = prefixWrap ? max : len;
            final Throwable expected = catchThrowable(() -> wrap(new EncodedVectorClock(), target, index, wrapLength, prefixWrap));
            final Throwable actual = catchThrowable(() -> wrap(flyweights[f], target, index, wrapLength, prefixWrap));
            if (expected == null)
            {
                assertThat(actual).as(as).isNull();
                accepted++;
                final int encodedLength = flyweights[f].length();
                model[f] = Arrays.copyOfRange(array, abs, abs + encodedLength);
                home[f] = aliases ? array : null;
                at[f] = abs;
                assertThat(flyweights[f].offset()).as(as).isEqualTo(index);
                agrona[f] = target instanceof DirectBuffer ? target : null;
            }
            else
            {
                refused++;
                assertThat(actual).as(as).isInstanceOf(expected.getClass()).hasMessage(expected.getMessage());
                if (home[f] == array && abs == at[f])
                {
                    model[f] = null;                          // rewritten in place under a refused wrap
                }
            }
            assertThat(flyweights[f].buffer()).as(as).isSameAs(agrona[f]);
            check(flyweights, model, registry, random, as);
        }
        assertThat(accepted).as("seed %d", seed).isGreaterThan(3_000);
        assertThat(refused).as("seed %d", seed).isGreaterThan(500);
    }

    private static void check(
        final EncodedVectorClock[] flyweights, final byte[][] model, final NodeRegistry registry,
        final SplittableRandom random, final String as)
    {
        for (int f = 0; f < SLOTS; f++)
        {
            if (model[f] == null)
            {
                continue;
            }
            final EncodedVectorClock a = flyweights[f];
            assertThat(a.toBytes()).as(as + " bytes of " + f).isEqualTo(model[f]);
            assertThat(a.length()).as(as).isEqualTo(model[f].length);
            final EncodedVectorClock freshA = fresh(model[f]);
            final VectorClock decoded = new VectorClock(registry, freshA.kind());
            final Throwable unknown = catchThrowable(() -> decoded.decode(freshA));
            if (unknown != null)
            {
                // A node id this registry does not know (a mutated id): decode and merge refuse alike.
                assertThat(catchThrowable(() -> new VectorClock(registry, a.kind()).decode(a))).as(as)
                    .hasMessageStartingWith(unknown.getMessage().replaceAll(" \\(at buffer offset \\d+\\)$", ""));
            }
            else
            {
                final VectorClock viaFlyweight = new VectorClock(registry, a.kind());
                viaFlyweight.decode(a);
                assertThat(TestClocks.bytes(viaFlyweight)).as(as + " decode " + f).isEqualTo(TestClocks.bytes(decoded));
                final VectorClock merged = new VectorClock(registry, a.kind());
                merged.merge(a);
                assertThat(TestClocks.bytes(merged)).as(as + " merge " + f).isEqualTo(TestClocks.bytes(decoded));
            }
            for (int gg = 0; gg < SLOTS; gg++)
            {
                final int g = gg;
                if (model[g] == null)
                {
                    continue;
                }
                final EncodedVectorClock freshB = fresh(model[g]);
                final Throwable expectedError = catchThrowable(() -> freshA.compare(freshB));
                final String pair = as + " compare " + f + " with " + g;
                if (expectedError != null)
                {
                    assertThat(catchThrowable(() -> a.compare(flyweights[g]))).as(pair)
                        .hasMessage(expectedError.getMessage());
                    continue;
                }
                final Causality expected = freshA.compare(freshB);
                assertThat(a.compare(flyweights[g])).as(pair).isEqualTo(expected);
                final byte[] other = new byte[model[g].length + 2];
                System.arraycopy(model[g], 0, other, 1, model[g].length);
                assertThat(a.compareWith(other, 1, model[g].length)).as(pair + " (compareWith)").isEqualTo(expected);
                final VectorClock otherDecoded = new VectorClock(registry, freshB.kind());
                if (unknown == null && catchThrowable(() -> otherDecoded.decode(freshB)) == null)
                {
                    assertThat(otherDecoded.compare(a)).as(pair + " (clock)").isEqualTo(otherDecoded.compare(decoded));
                    assertThat(expected).as(pair + " (decoded clocks)").isEqualTo(decoded.compare(otherDecoded));
                }
            }
        }
    }

    private static EncodedVectorClock fresh(final byte[] bytes)
    {
        return new EncodedVectorClock().wrap(ByteBuffer.wrap(bytes.clone()).asReadOnlyBuffer(), 0, bytes.length);
    }

    private static void wrap(
        final EncodedVectorClock flyweight, final Object target, final int index, final int length, final boolean prefix)
    {
        if (target instanceof byte[] array)
        {
            if (prefix)
            {
                flyweight.wrapPrefix(array, index, length);
            }
            else
            {
                flyweight.wrap(array, index, length);
            }
        }
        else if (target instanceof DirectBuffer buffer)
        {
            if (prefix)
            {
                flyweight.wrapPrefix(buffer, index, length);
            }
            else
            {
                flyweight.wrap(buffer, index, length);
            }
        }
        else if (prefix)
        {
            flyweight.wrapPrefix((ByteBuffer)target, index, length);
        }
        else
        {
            flyweight.wrap((ByteBuffer)target, index, length);
        }
    }

    private static VectorClock clock(final NodeRegistry registry, final int[] set, final SplittableRandom random)
    {
        final EntryKind kind = random.nextInt(10) == 0 ? EntryKind.HLC_MICROS : EntryKind.COUNTERS;
        final VectorClock clock = new VectorClock(registry, kind);
        final long top = TOPS[random.nextInt(TOPS.length)];
        final long base = top / 2 + random.nextLong(top / 2);
        for (final int i : set)
        {
            clock.increment(i, random.nextInt(4) == 0 ? 1 + random.nextLong(top) : base + random.nextInt(3));
        }
        if (random.nextInt(8) == 0)
        {
            clock.prune(PruningPolicy.keepAtMost(Math.max(1, set.length - 1)));
        }
        return clock;
    }
    /** Raw 4-byte value fields at the edges of what an unpruned 4-byte layout holds. */
    private static final long[] EDGES4 = {0, 1, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000, 0x80_0000, 0x7FFF_FFFFL,
        0x8000_0000L, 0x8000_0001L, 0xFFFF_FFFFL, 0x0100_0000L};

    /**
     * The value-only checks of a flyweight primed with the known prefix of an unpruned 4-byte (COUNTERS) or
     * 8-byte (HLC_MILLIS) layout, and the fused compareWith, must judge every edge value as full validation
     * judges it (a fresh flyweight over a read-only buffer), with the same message.
     */
    @Test
    void edgeValuesUnderAKnownPrefixShouldBeJudgedAsFullValidationJudgesThem()
    {
        final long seed = Seeds.seed("AttachStateRedTeamTest.edgeValuesUnderAKnownPrefixShouldBeJudgedAsFullValidationJudgesThem");
        final SplittableRandom random = new SplittableRandom(seed);
        final long max = EntryKind.HLC_MILLIS.maxValue();
        final long[] edges8 = {0, 1, max - 1, max, max + 1, Long.MAX_VALUE, 1L << 63, (1L << 63) | 1, (1L << 63) | max,
            (1L << 63) | (max + 1), -1L, 0x8000_0000L};
        final EncodedVectorClock primed = new EncodedVectorClock();
        final EncodedVectorClock peer = new EncodedVectorClock();
        int accepted = 0;
        for (int t = 0; t < 6_000; t++)
        {
            final boolean hlc = t % 3 == 2;
            final int n = 2 + random.nextInt(t % 5 == 0 ? 20 : 4);
            final long[] edges = hlc ? edges8 : EDGES4;
            final int width = hlc ? 8 : 4;
            final byte[] bytes = new byte[3 + n + n * width];
            bytes[0] = (byte)(hlc ? 0x32 : 0x31);
            bytes[1] = (byte)(hlc ? 0x0C : 0x08);
            bytes[2] = (byte)n;
            for (int e = 0; e < n; e++)
            {
                bytes[3 + e] = (byte)(2 * e + 1);
                WireBytes.put(bytes, 3 + n + e * width, width, hlc ? 1L << 40 : 1 << 20);
            }
            primed.wrap(bytes.clone(), 0, bytes.length);       // the known prefix: these ids, this layout
            peer.wrap(bytes.clone(), 0, bytes.length);
            primed.compare(peer);                               // the pair cache learns them
            for (int e = 0; e < n; e++)
            {
                if (random.nextInt(3) != 0)
                {
                    WireBytes.put(bytes, 3 + n + e * width, width, edges[random.nextInt(edges.length)]);
                }
            }
            if (random.nextInt(4) == 0)
            {
                bytes[1] |= WireFormat.PRUNED_PRESENT;
            }
            final String as = "seed " + seed + " trial " + t + " bytes " + Arrays.toString(bytes);
            final Throwable expected = catchThrowable(() -> fresh(bytes));
            final Throwable viaWith = catchThrowable(() -> peer.compareWith(bytes, 0, bytes.length));
            final Throwable actual = catchThrowable(() -> primed.wrap(bytes, 0, bytes.length));
            if (expected == null)
            {
                accepted++;
                assertThat(actual).as(as).isNull();
                assertThat(viaWith).as(as).isNull();
                final EncodedVectorClock reference = fresh(bytes);
                final EncodedVectorClock peerReference = fresh(peer.toBytes());
                assertThat(primed.compare(peer)).as(as).isEqualTo(reference.compare(peerReference));
                assertThat(peer.compare(primed)).as(as).isEqualTo(peerReference.compare(reference));
                assertThat(peer.compareWith(bytes, 0, bytes.length)).as(as).isEqualTo(peerReference.compare(reference));
            }
            else
            {
                assertThat(actual).as(as).isInstanceOf(MalformedClockException.class).hasMessage(expected.getMessage());
                assertThat(viaWith).as(as).isInstanceOf(MalformedClockException.class).hasMessage(expected.getMessage());
            }
        }
        assertThat(accepted).as("seed %d", seed).isGreaterThan(300);
    }
    /**
     * Around the known prefix's size limit (1024 8-byte ids fit, 1025 do not) and the count varint's width
     * (127, 128 entries), with node sets that differ only in their last id: two flyweights re-wrapping in place
     * in one receive array each must compare as fresh ones do.
     */
    @Test
    void rewrapsAroundTheKnownPrefixLimitShouldCompareAsFreshFlyweightsDo()
    {
        final long seed = Seeds.seed("AttachStateRedTeamTest.rewrapsAroundTheKnownPrefixLimitShouldCompareAsFreshFlyweightsDo");
        final SplittableRandom random = new SplittableRandom(seed);
        final NodeRegistry registry = new NodeRegistry();
        for (int i = 0; i < 1026; i++)
        {
            registry.register((1L << 40) + 7L * i);
        }
        final int[] sizes = {127, 128, 1023, 1024, 1025};
        final EncodedVectorClock[] flyweights = {new EncodedVectorClock(), new EncodedVectorClock()};
        final byte[][] receive = {new byte[20_000], new byte[20_000]};
        final byte[][] model = new byte[2][];
        for (int step = 0; step < 300; step++)
        {
            final int f = random.nextInt(2);
            final int n = sizes[random.nextInt(sizes.length)];
            final VectorClock clock = new VectorClock(registry);
            final long base = 100_000 + random.nextInt(3);
            for (int i = 0; i < n - 1; i++)
            {
                clock.increment(i, random.nextInt(50) == 0 ? base + 1 : base);
            }
            clock.increment(random.nextBoolean() ? n - 1 : n, base);   // the last id differs or not
            final byte[] encoding = TestClocks.bytes(clock);
            final int at = random.nextInt(3);
            System.arraycopy(encoding, 0, receive[f], at, encoding.length);
            flyweights[f].wrap(receive[f], at, encoding.length);
            model[f] = encoding;
            if (model[1 - f] != null)
            {
                final String as = "seed " + seed + " step " + step;
                final Causality expected = fresh(model[0]).compare(fresh(model[1]));
                assertThat(flyweights[0].compare(flyweights[1])).as(as).isEqualTo(expected);
                assertThat(flyweights[1].compare(flyweights[0])).as(as).isEqualTo(fresh(model[1]).compare(fresh(model[0])));
                assertThat(flyweights[0].compareWith(model[1], 0, model[1].length)).as(as).isEqualTo(expected);
            }
        }
    }
}
