package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.AllocationMeter;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static dev.ordo.clocks.vector.TestClocks.checkDecode;
import static dev.ordo.clocks.vector.TestClocks.hex;
import static dev.ordo.clocks.vector.TestClocks.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Red team of commit 9126c43: the clock's cached view of the registry snapshot (viewMembers, viewOrder,
 * viewIdBytes, viewIdWidthCode, viewLastId) used by decode(byte[]) and compare(EncodedVectorClock), and the
 * two-values-a-word zero check of decodeEvery4. The reference is decode(ByteBuffer), which goes through
 * WireFormat.validate + apply. Every check compares: error and message, complete clock state (get, isPruned,
 * prunedEntries, encode on both the array and the ByteBuffer path), later compare/merge results, and what
 * prune picks afterwards (decode must count as a change of every decoded entry, as the reference does).
 */
class ViewCacheRedTeamTest
{
    private static final int COUNTERS_FORMAT = 0x31;

    // ---------------------------------------------------------------------------------------------------------
    // Hand-built encodings
    // ---------------------------------------------------------------------------------------------------------

    /** An encoding with every field given: no canonicality enforced. */
    private static byte[] build(final int format, final int layout, final int count, final long[] ids,
        final long[] raws)
    {
        final int idWidth = 1 << (layout & 3);
        final int valueWidth = 1 << ((layout >>> 2) & 3);
        final byte[] countBytes = varint(count);
        final byte[] out = new byte[2 + countBytes.length + ids.length * idWidth + raws.length * valueWidth];
        out[0] = (byte)format;
        out[1] = (byte)layout;
        System.arraycopy(countBytes, 0, out, 2, countBytes.length);
        int p = 2 + countBytes.length;
        for (final long id : ids)
        {
            put(out, p, idWidth, id);
            p += idWidth;
        }
        for (final long raw : raws)
        {
            put(out, p, valueWidth, raw);
            p += valueWidth;
        }
        return out;
    }

    private static byte[] varint(final int count)
    {
        final byte[] tmp = new byte[4];
        int n = 0;
        int c = count;
        while (c >= 0x80)
        {
            tmp[n++] = (byte)((c & 0x7F) | 0x80);
            c >>>= 7;
        }
        tmp[n++] = (byte)c;
        return Arrays.copyOf(tmp, n);
    }

    private static void put(final byte[] a, final int p, final int width, final long v)
    {
        for (int b = 0; b < width; b++)
        {
            a[p + b] = (byte)(v >>> (8 * b));
        }
    }

    private static long[] sortedIds(final NodeRegistry registry)
    {
        return registry.members().sorted().ids.clone();
    }

    private static int canonicalLayout(final long lastId, final long valueOr, final boolean flagged)
    {
        return WireFormat.layoutOf(1, lastId, valueOr, flagged);
    }

    /** Edge values of each width (bit patterns before the flag bit is added). */
    private static long edgeValue(final SplittableRandom random, final int valueCode)
    {
        switch (valueCode)
        {
            case 0:
                return new long[]{0, 1, 2, 0x7E, 0x7F, 0x80, 0xFF}[random.nextInt(7)];
            case 1:
                return new long[]{0, 1, 0x7F, 0x80, 0x7FFF, 0x8000, 0xFFFF, 0x100}[random.nextInt(8)];
            case 2:
                return new long[]{0, 1, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000, 0x7FFF_FFFFL, 0x8000_0000L,
                    0x8000_0001L, 0xFFFF_FFFEL, 0xFFFF_FFFFL, 0x0001_0001L, 0x1_0000_0000L >>> 1}[random.nextInt(13)];
            default:
                return new long[]{0, 1, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L,
                    Long.MAX_VALUE, Long.MIN_VALUE, -1L, Long.MAX_VALUE - 1}[random.nextInt(10)];
        }
    }

    /** A random value that needs exactly width code {@code valueCode} (so the layout is canonical). */
    private static long valueOfWidth(final SplittableRandom random, final int valueCode)
    {
        switch (valueCode)
        {
            case 0:
                return 1 + random.nextInt(0x7F);
            case 1:
                return 1 + random.nextInt(0x7FFF);
            case 2:
                return 1 + random.nextLong(0x7FFF_FFFFL);
            default:
                return 1 + random.nextLong(Long.MAX_VALUE - 1);
        }
    }

    /** A clock with an entry for each of the first {@code n} nodes, each a value of width code {@code valueCode}. */
    private static VectorClock everyNode(final NodeRegistry registry, final int n, final SplittableRandom random,
        final int valueCode)
    {
        final VectorClock clock = new VectorClock(registry);
        for (int i = 0; i < n; i++)
        {
            clock.increment(i, valueOfWidth(random, valueCode));
        }
        return clock;
    }

    /** A registry of {@code n} nodes whose largest id needs id width code {@code idCode}. */
    private static NodeRegistry registry(final SplittableRandom random, final int n, final int idCode,
        final boolean byName)
    {
        final NodeRegistry registry = new NodeRegistry();
        addNodes(registry, random, n, idCode, byName);
        return registry;
    }

    private static void addNodes(final NodeRegistry registry, final SplittableRandom random, final int add,
        final int idCode, final boolean byName)
    {
        final long bound = idCode == 0 ? 256 : idCode == 1 ? 65_536 : idCode == 2 ? 1L << 32 : Long.MAX_VALUE;
        final int target = registry.size() + add;
        int guard = 0;
        while (registry.size() < target && guard++ < 100_000)
        {
            if (byName && idCode == 3)
            {
                registry.register("n" + random.nextLong());
            }
            else
            {
                final long id = random.nextInt(5) == 0 ? bound - 1 - random.nextInt(3) : random.nextLong(bound);
                try
                {
                    if (byName)
                    {
                        registry.register("x" + id + "-" + random.nextInt(1000), id);
                    }
                    else
                    {
                        registry.register(id);
                    }
                }
                catch (final IllegalArgumentException taken)
                {
                    // id already taken under another name: try another
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Attack 1: hostile every-node encodings, every width, flags, zeros, offsets, lying lengths
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void hostileEveryNodeEncodingsShouldBeDecodedAsTheReferenceDecodesThem()
    {
        final long seed = Seeds.seed("ViewCacheRedTeamTest.hostileEveryNodeEncodings");
        final SplittableRandom random = new SplittableRandom(seed);
        int accepted = 0;
        int refused = 0;
        for (int trial = 0; trial < 120; trial++)
        {
            final int n = trial < 60 ? 1 + random.nextInt(12) : 1 + random.nextInt(200);
            final int idCode = random.nextInt(4);
            final NodeRegistry registry = registry(random, n, idCode, random.nextBoolean());
            if (random.nextInt(4) == 0)
            {
                TestClocks.retireSome(registry, random);
            }
            final VectorClock target = TestClocks.random(registry, random, true);
            final List<VectorClock> probes = List.of(
                TestClocks.random(registry, random, false), TestClocks.random(registry, random, true),
                TestClocks.copy(target));
            for (int c = 0; c < 40; c++)
            {
                final String what = "seed " + seed + " trial " + trial + " case " + c;
                final byte[] encoding = hostile(random, registry);
                final int pre = random.nextInt(4) == 0 ? random.nextInt(9) : 0;
                final int post = random.nextInt(4) == 0 ? random.nextInt(9) : 0;
                final byte[] home = new byte[pre + encoding.length + post];
                for (int i = 0; i < home.length; i++)
                {
                    home[i] = (byte)random.nextInt(256);
                }
                System.arraycopy(encoding, 0, home, pre, encoding.length);
                final int lie = random.nextInt(6) == 0 ? random.nextInt(5) - 2 : 0;
                final int len = Math.max(0, encoding.length + lie);
                if (checkDecode(what, target, home, pre, len, probes))
                {
                    accepted++;
                }
                else
                {
                    refused++;
                }
            }
        }
        System.out.println("[hostile] accepted " + accepted + " refused " + refused);
        assertThat(accepted).as("seed " + seed).isGreaterThan(300);
        assertThat(refused).as("seed " + seed).isGreaterThan(300);
    }

    /** An every-node encoding (mostly canonical) with one or two hostile edits. */
    private static byte[] hostile(final SplittableRandom random, final NodeRegistry registry)
    {
        final long[] ids = sortedIds(registry);
        final int n = ids.length;
        final int valueCode = random.nextInt(4);
        final long[] raws = new long[n];
        long or = 0;
        for (int k = 0; k < n; k++)
        {
            raws[k] = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : valueOfWidth(random, valueCode);
        }
        raws[random.nextInt(n)] = valueOfWidth(random, valueCode);     // the width is needed
        for (final long v : raws)
        {
            or |= v;
        }
        int layout = canonicalLayout(ids[n - 1], or, false);
        int count = n;
        long[] idsOut = ids;
        final int edits = random.nextInt(3);
        for (int e = 0; e < edits; e++)
        {
            switch (random.nextInt(9))
            {
                case 0: // an edge value (0, flag bit, max, ...) in a random position at the layout's width
                {
                    final int width = (layout >>> 2) & 3;
                    raws[random.nextInt(n)] = edgeValue(random, width);
                    break;
                }
                case 1: // zero in the last (odd count: the single trailing) position
                    raws[n - 1] = 0;
                    break;
                case 2: // flag bit set, with or without PRUNED_PRESENT
                {
                    final int vw = 8 << ((layout >>> 2) & 3);
                    final int k = random.nextInt(n);
                    raws[k] |= 1L << (vw - 1);
                    if (random.nextBoolean())
                    {
                        layout |= WireFormat.PRUNED_PRESENT;
                    }
                    break;
                }
                case 3: // a different id width code or value width code
                    layout = (layout & ~3) | random.nextInt(4);
                    break;
                case 4:
                    layout = (layout & ~0xC) | (random.nextInt(4) << 2);
                    break;
                case 5: // one id changed (another registered id, an unregistered one, or a single byte flipped)
                {
                    idsOut = idsOut.clone();
                    final int k = random.nextInt(n);
                    final int how = random.nextInt(3);
                    if (how == 0 && n > 1)
                    {
                        idsOut[k] = idsOut[random.nextInt(n)];
                    }
                    else if (how == 1)
                    {
                        idsOut[k] = idsOut[k] + 1;
                    }
                    else
                    {
                        idsOut[k] ^= 1L << (8 * random.nextInt(1 << (layout & 3)) + random.nextInt(8));
                    }
                    break;
                }
                case 6: // count lies (with the ids and values blocks as they are)
                    count = Math.max(0, n + random.nextInt(5) - 2);
                    break;
                case 7: // PRUNED_PRESENT set with no flag, or a reserved bit
                    layout |= random.nextBoolean() ? WireFormat.PRUNED_PRESENT : 0x20 << random.nextInt(3);
                    break;
                default: // zero in a random position (either half of a word)
                    raws[random.nextInt(n)] = 0;
                    break;
            }
        }
        final int vw = 1 << ((layout >>> 2) & 3);
        if (vw < 8)
        {
            for (int k = 0; k < n; k++)
            {
                raws[k] &= (1L << (8 * vw)) - 1;
            }
        }
        final byte[] encoding = build(COUNTERS_FORMAT, layout, count, idsOut, raws);
        if (random.nextInt(10) == 0)
        {
            encoding[random.nextInt(encoding.length)] ^= (byte)(1 << random.nextInt(8));
        }
        return encoding;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Attack 2: exhaustive 4-byte pairs: every combination of two edge words at every pair position
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void everyPairOfEdgeWordsShouldBeDecodedAsTheReferenceDecodesThem()
    {
        final long[] words = {0, 1, 2, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000, 0x7FFF_FFFFL, 0x8000_0000L, 0x8000_0001L,
            0xFFFF_FFFEL, 0xFFFF_FFFFL, 0x1_0001L};
        for (int n = 1; n <= 6; n++)
        {
            for (final boolean small : new boolean[]{true, false})
            {
                final NodeRegistry registry = new NodeRegistry();
                for (int i = 0; i < n; i++)
                {
                    if (small)
                    {
                        registry.register(n - i);              // indices not in id order
                    }
                    else
                    {
                        registry.register("pair-" + i);
                    }
                }
                final long[] ids = sortedIds(registry);
                final VectorClock target = new VectorClock(registry);
                target.increment(0, 5);
                final List<VectorClock> probes = List.of(target);
                for (int k = 0; k + 1 < Math.max(2, n) || k == 0; k++)
                {
                    for (final long lo : words)
                    {
                        for (final long hi : words)
                        {
                            for (final boolean flagged : new boolean[]{false, true})
                            {
                                final long[] raws = new long[n];
                                Arrays.fill(raws, 0x1_0000);
                                raws[k] = lo;
                                if (k + 1 < n)
                                {
                                    raws[k + 1] = hi;
                                }
                                final int layout = canonicalLayout(ids[n - 1], 0x1_0000, false) |
                                    (flagged ? WireFormat.PRUNED_PRESENT : 0);
                                final byte[] encoding = build(COUNTERS_FORMAT, layout, n, ids, raws);
                                checkDecode("n=" + n + " small=" + small + " k=" + k + " lo=" + Long.toHexString(lo) +
                                    " hi=" + Long.toHexString(hi) + " flagged=" + flagged, target, encoding, 0,
                                    encoding.length, probes);
                            }
                        }
                    }
                    if (n == 1)
                    {
                        break;
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Attack 3: a long-lived clock across registrations (by id, by name), retirements, old and new snapshots
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void aLongLivedClockShouldAgreeWithTheReferenceAcrossRegistrationsAndRetirements()
    {
        final long seed = Seeds.seed("ViewCacheRedTeamTest.longLivedAcrossRegistrations");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 30; trial++)
        {
            final NodeRegistry registry = new NodeRegistry();
            final int idCode = random.nextInt(4);
            final VectorClock longLived = new VectorClock(registry);     // created before any registration
            final VectorClock probe = new VectorClock(registry);
            final List<byte[]> older = new ArrayList<>();
            for (int round = 0; round < 40; round++)
            {
                final String what = "seed " + seed + " trial " + trial + " round " + round;
                final int action = random.nextInt(10);
                if (action < 4 || registry.size() == 0)
                {
                    addNodes(registry, random, 1 + random.nextInt(round == 0 ? 12 : 3),
                        random.nextInt(3) == 0 ? random.nextInt(4) : idCode, random.nextBoolean());
                }
                else if (action == 4)
                {
                    final int i = random.nextInt(registry.size());
                    if (registry.finalValue(i) == 0)
                    {
                        registry.retire(i, 1 + random.nextInt(5));
                    }
                }
                final int n = registry.size();
                // A source clock: every node (the fast path), or most of them.
                final VectorClock source = new VectorClock(registry);
                final int valueCode = random.nextInt(4);
                final boolean every = random.nextInt(3) != 0;
                for (int i = 0; i < n; i++)
                {
                    if (every || random.nextInt(4) != 0)
                    {
                        source.increment(i, valueOfWidth(random, valueCode));
                    }
                }
                if (random.nextInt(8) == 0)
                {
                    source.prune((id, value, age, live) -> random.nextInt(4) == 0);
                }
                final byte[] bytes = TestClocks.bytes(source);
                older.add(bytes);
                if (random.nextInt(5) == 0 && n > 0)
                {
                    probe.increment(random.nextInt(n));
                }
                // Sometimes a hostile edit of this round's encoding.
                final byte[] input;
                if (random.nextInt(3) == 0)
                {
                    input = bytes.clone();
                    final int count = source.liveEntries();
                    if (count > 0 && random.nextBoolean())
                    {
                        final int at = TestClocks.valueOffset(input, random.nextInt(count), count);
                        input[at] = 0;
                        for (int b = 1; b < (1 << ((input[1] >>> 2) & 3)); b++)
                        {
                            input[at + b] = 0;
                        }
                    }
                    else
                    {
                        input[random.nextInt(input.length)] ^= (byte)(1 << random.nextInt(8));
                    }
                }
                else
                {
                    // this round's encoding, or one made under an older snapshot
                    input = random.nextInt(3) == 0 ? older.get(random.nextInt(older.size())) : bytes;
                }
                checkDecode(what, longLived, input, 0, input.length, List.of(probe, source));
                // prune after decode: what it picks depends on decode counting as a change of every entry
                if (random.nextInt(6) == 0 && n > 0)
                {
                    final VectorClock reference = TestClocks.copy(longLived);
                    reference.decode(ByteBuffer.wrap(bytes), 0, bytes.length);
                    longLived.decode(bytes, 0, bytes.length);
                    final int j = random.nextInt(n);
                    longLived.increment(j);
                    reference.increment(j);
                    final int keep = random.nextInt(n + 1);
                    final int[] seen = new int[2];
                    final StringBuilder a = new StringBuilder();
                    final StringBuilder b = new StringBuilder();
                    longLived.prune((id, value, age, live) -> {
                        a.append(id).append('/').append(value).append(' ');
                        return seen[0]++ < keep;
                    });
                    reference.prune((id, value, age, live) -> {
                        b.append(id).append('/').append(value).append(' ');
                        return seen[1]++ < keep;
                    });
                    assertThat(a.toString()).as(what + ": prune order").isEqualTo(b.toString());
                    assertThat(state(longLived)).as(what + ": after prune").isEqualTo(state(reference));
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Attack 4: two registries with the same nodes in different orders; encodings cross between them
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void registriesWithTheSameNodesInDifferentOrdersShouldDecodeEachOthersEncodings()
    {
        final long seed = Seeds.seed("ViewCacheRedTeamTest.differentOrders");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 60; trial++)
        {
            final int n = 1 + random.nextInt(40);
            final NodeRegistry first = registry(random, n, random.nextInt(4), false);
            final long[] ids = new long[n];
            for (int i = 0; i < n; i++)
            {
                ids[i] = first.nodeId(i);
            }
            // shuffle into a second registry
            for (int i = n - 1; i > 0; i--)
            {
                final int j = random.nextInt(i + 1);
                final long t = ids[i];
                ids[i] = ids[j];
                ids[j] = t;
            }
            final NodeRegistry second = new NodeRegistry();
            final VectorClock early = new VectorClock(second);   // before registrations
            for (final long id : ids)
            {
                second.register(id);
            }
            final int valueCode = random.nextInt(4);
            final VectorClock source = everyNode(first, n, random, valueCode);
            final byte[] bytes = TestClocks.bytes(source);
            final String what = "seed " + seed + " trial " + trial;
            final VectorClock probe = TestClocks.random(second, random, false);
            checkDecode(what, early, bytes, 0, bytes.length, List.of(probe));
            for (int i = 0; i < n; i++)
            {
                assertThat(early.get(second.indexOf(first.nodeId(i)))).as(what).isEqualTo(source.get(i));
            }
            // and back, from the second registry's clock to a clock of the first
            final VectorClock back = new VectorClock(first);
            final byte[] again = TestClocks.bytes(early);
            assertThat(again).as(what + ": canonical").isEqualTo(bytes);
            checkDecode(what + " back", back, again, 0, again.length, List.of(source));
            assertThat(back.compare(source)).as(what).isEqualTo(Causality.EQUAL);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Attack 5: a failing decode right after a successful one; a failing decode of a clock that is too short
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void aFailingDecodeAfterASuccessfulOneShouldLeaveEverythingAsItWas()
    {
        final long seed = Seeds.seed("ViewCacheRedTeamTest.failAfterSuccess");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 200; trial++)
        {
            final String what = "seed " + seed + " trial " + trial;
            final int n = 1 + random.nextInt(20);
            final NodeRegistry registry = new NodeRegistry();
            final VectorClock clock = new VectorClock(registry);          // before registrations: too short
            addNodes(registry, random, n, random.nextInt(4), false);
            final int valueCode = random.nextInt(4);
            final VectorClock source = everyNode(registry, n, random, valueCode);
            final byte[] good = TestClocks.bytes(source);
            if (random.nextBoolean())
            {
                clock.decode(good, 0, good.length);                    // a success first (fast path)
                if (random.nextBoolean())
                {
                    clock.prune((id, value, age, live) -> random.nextInt(3) == 0);   // pruned entries
                }
                if (random.nextBoolean())
                {
                    clock.increment(random.nextInt(n));
                }
            }
            final byte[] bad = good.clone();
            final int width = 1 << ((bad[1] >>> 2) & 3);
            final int k = random.nextInt(3) == 0 ? n - 1 : random.nextInt(n);
            final int at = TestClocks.valueOffset(bad, k, n);
            if (random.nextBoolean())
            {
                Arrays.fill(bad, at, at + width, (byte)0);                // value 0
            }
            else
            {
                bad[at + width - 1] |= (byte)0x80;                       // the flag without PRUNED_PRESENT
            }
            final VectorClock probe = TestClocks.random(registry, random, false);
            checkDecode(what, clock, bad, 0, bad.length, List.of(probe, source));
            // the state must also prune as before: compare with a copy made by decoding what the clock had
            final VectorClock twin = TestClocks.copy(clock);
            final EncodedVectorClock encodedBad = new EncodedVectorClock();
            assertThat(catchThrowable(() -> encodedBad.wrap(bad, 0, bad.length))).as(what)
                .isInstanceOf(MalformedClockException.class);
            assertThat(state(twin)).as(what).isEqualTo(state(clock));
            // a success after the failure still agrees
            checkDecode(what + " then good", clock, good, 0, good.length, List.of(probe, source));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Attack 6: encoded compare (array, heap slice with array offset) across registrations
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void encodedCompareShouldEqualComparingWithTheDecodedClockAcrossRegistrations()
    {
        final long seed = Seeds.seed("ViewCacheRedTeamTest.encodedCompare");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 40; trial++)
        {
            final NodeRegistry registry = new NodeRegistry();
            final VectorClock mine = new VectorClock(registry);
            final int idCode = random.nextInt(4);
            for (int round = 0; round < 30; round++)
            {
                final String what = "seed " + seed + " trial " + trial + " round " + round;
                if (registry.size() == 0 || random.nextInt(3) == 0)
                {
                    addNodes(registry, random, 1 + random.nextInt(4), idCode, random.nextBoolean());
                }
                final int n = registry.size();
                final VectorClock theirs = new VectorClock(registry);
                final int valueCode = random.nextInt(4);
                for (int i = 0; i < n; i++)
                {
                    if (random.nextInt(8) != 0)
                    {
                        theirs.increment(i, valueOfWidth(random, valueCode));
                    }
                }
                // mine: sometimes equal, sometimes nearly equal, sometimes random
                final int shape = random.nextInt(4);
                if (shape == 0)
                {
                    mine.copyFrom(theirs);
                }
                else if (shape == 1)
                {
                    mine.copyFrom(theirs);
                    final int i = random.nextInt(n);
                    if (mine.get(i) < Long.MAX_VALUE - 1)
                    {
                        mine.increment(i);
                    }
                }
                else if (shape == 2)
                {
                    final byte[] b = TestClocks.bytes(theirs);
                    mine.decode(b, 0, b.length);
                }
                else
                {
                    final VectorClock r = TestClocks.random(registry, random, random.nextInt(4) == 0);
                    mine.copyFrom(r);
                }
                final byte[] bytes = TestClocks.bytes(theirs);
                final VectorClock decoded = new VectorClock(registry);
                decoded.decode(ByteBuffer.wrap(bytes), 0, bytes.length);
                final Causality expected = mine.compare(decoded);
                final int pre = random.nextInt(5);
                final byte[] home = new byte[pre + bytes.length + random.nextInt(5)];
                System.arraycopy(bytes, 0, home, pre, bytes.length);
                final EncodedVectorClock overArray = new EncodedVectorClock().wrap(home, pre, bytes.length);
                final ByteBuffer slice = ByteBuffer.wrap(home, pre, bytes.length).slice();
                final EncodedVectorClock overSlice = new EncodedVectorClock().wrap(slice, 0, bytes.length);
                final ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 2);
                direct.put(2, bytes);
                final EncodedVectorClock overDirect = new EncodedVectorClock().wrap(direct, 2, bytes.length);
                assertThat(mine.compare(overArray)).as(what + " array").isEqualTo(expected);
                assertThat(mine.compare(overSlice)).as(what + " slice").isEqualTo(expected);
                assertThat(mine.compare(overDirect)).as(what + " direct").isEqualTo(expected);
                // a registration between the wrap and the compare
                if (random.nextInt(4) == 0)
                {
                    addNodes(registry, random, 1, idCode, false);
                    final Causality after = mine.compare(decoded);
                    assertThat(mine.compare(overArray)).as(what + " array after registration").isEqualTo(after);
                    assertThat(mine.compare(overSlice)).as(what + " slice after registration").isEqualTo(after);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Attack 7: the registry grows on another thread while the owner decodes and compares in a loop
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void concurrentRegistrationsShouldNeverMakeTheArrayPathsDisagreeWithTheReference() throws Exception
    {
        final long seed = Seeds.seed("ViewCacheRedTeamTest.concurrentRegistrations");
        for (int run = 0; run < 3; run++)
        {
            final SplittableRandom random = new SplittableRandom(seed + run);
            final NodeRegistry registry = new NodeRegistry();
            for (int i = 0; i < 3; i++)
            {
                registry.register(i + 1L);
            }
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final long registrarSeed = random.nextLong();
            final Thread registrar = new Thread(() -> {
                final SplittableRandom r = new SplittableRandom(registrarSeed);
                try
                {
                    while (!stop.get() && registry.size() < 700)
                    {
                        final int kind = r.nextInt(3);
                        if (kind == 0)
                        {
                            registry.register(r.nextInt(60_000));
                        }
                        else if (kind == 1)
                        {
                            registry.register("c-" + r.nextLong());
                        }
                        else
                        {
                            registry.register(r.nextInt(200));
                        }
                        // bursts of registrations spread over the owner's whole loop
                        final int pause = r.nextInt(4) == 0 ? r.nextInt(40_000) : r.nextInt(200);
                        for (int spin = pause; spin > 0; spin--)
                        {
                            Thread.onSpinWait();
                        }
                    }
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
            }, "registrar");
            // A second owner thread with its own clocks: races the lazily built sorted views and id blocks.
            final long otherSeed = random.nextLong();
            final Thread otherOwner = new Thread(() -> {
                try
                {
                    ownerLoop("other owner seed " + seed + " run", registry, new SplittableRandom(otherSeed), stop,
                        1500);
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
            }, "other-owner");
            registrar.start();
            otherOwner.start();
            try
            {
                ownerLoop("seed " + seed + " run " + run, registry, random, stop, 3000);
            }
            finally
            {
                stop.set(true);
                registrar.join();
                otherOwner.join();
            }
            if (failure.get() != null)
            {
                throw new AssertionError("seed " + seed + " run " + run, failure.get());
            }
        }
    }

    private static void ownerLoop(final String name, final NodeRegistry registry, final SplittableRandom random,
        final AtomicBoolean stop, final int iterations)
    {
        final VectorClock longLived = new VectorClock(registry);
        final VectorClock probe = new VectorClock(registry);
        final VectorClock sameAsDecoded = new VectorClock(registry);
        final long deadline = System.nanoTime() + 700_000_000L;
        int grewDuring = 0;
        int it = 0;
        for (; it < iterations && !stop.get() && System.nanoTime() < deadline; it++)
        {
            final String what = name + " iteration " + it;
            final int n = registry.size();
            final int valueCode = random.nextInt(4);
            final VectorClock source = everyNode(registry, n, random, valueCode);
            final byte[] bytes = TestClocks.bytes(source);
            final boolean corrupt = random.nextInt(4) == 0;
            if (corrupt)
            {
                final int at = TestClocks.valueOffset(bytes, random.nextInt(n), n);
                bytes[at + (1 << ((bytes[1] >>> 2) & 3)) - 1] |= (byte)0x80;     // flag bit, no PRUNED_PRESENT
                if (random.nextBoolean())
                {
                    Arrays.fill(bytes, at, at + (1 << ((bytes[1] >>> 2) & 3)), (byte)0);
                }
            }
            final String before = hex(TestClocks.bytes(longLived));
            final VectorClock reference = new VectorClock(registry);
            final Throwable referenceError =
                catchThrowable(() -> reference.decode(ByteBuffer.wrap(bytes), 0, bytes.length));
            final Throwable arrayError = catchThrowable(() -> longLived.decode(bytes, 0, bytes.length));
            grewDuring += registry.size() != n ? 1 : 0;
            if (referenceError != null)
            {
                assertThat(corrupt).as(what + ": " + referenceError).isTrue();
                assertThat(arrayError).as(what).isInstanceOf(MalformedClockException.class)
                    .hasMessage(referenceError.getMessage());
                assertThat(hex(TestClocks.bytes(longLived))).as(what + ": unchanged").isEqualTo(before);
                continue;
            }
            assertThat(arrayError).as(what).isNull();
            for (int i = 0; i < n; i++)
            {
                if (longLived.get(i) != source.get(i) || reference.get(i) != source.get(i))
                {
                    assertThat(longLived.get(i)).as(what + " entry " + i).isEqualTo(source.get(i));
                    assertThat(reference.get(i)).as(what + " reference entry " + i).isEqualTo(source.get(i));
                }
            }
            if (!Arrays.equals(TestClocks.bytes(longLived), bytes))
            {
                assertThat(hex(TestClocks.bytes(longLived))).as(what).isEqualTo(hex(bytes));
            }
            final EncodedVectorClock encoded = new EncodedVectorClock().wrap(bytes, 0, bytes.length);
            if (random.nextInt(3) == 0)
            {
                probe.increment(random.nextInt(registry.size()));
            }
            assertThat(probe.compare(encoded)).as(what + ": probe").isEqualTo(probe.compare(reference));
            assertThat(longLived.compare(encoded)).as(what + ": self").isEqualTo(Causality.EQUAL);
            sameAsDecoded.decode(ByteBuffer.wrap(bytes), 0, bytes.length);
            assertThat(sameAsDecoded.compare(encoded)).as(what + ": buffer-decoded").isEqualTo(Causality.EQUAL);
        }
        System.out.println("[concurrent] " + name + ": " + it + " iterations, registry " + registry.size() +
            ", grew during a decode " + grewDuring + " times");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Attack 8: small shapes: empty registry, id 0, id 2^63 - 1, HLC kinds, one node
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void edgeRegistriesShouldBeDecodedAsTheReferenceDecodes()
    {
        final NodeRegistry registry = new NodeRegistry();
        final VectorClock clock = new VectorClock(registry);
        final byte[] empty = {(byte)COUNTERS_FORMAT, 0, 0};
        checkDecode("empty registry, empty clock", clock, empty, 0, 3, List.of());
        final byte[] one = build(COUNTERS_FORMAT, 0, 1, new long[]{0}, new long[]{1});
        checkDecode("empty registry, id 0", clock, one, 0, one.length, List.of());
        registry.register(0);
        checkDecode("id 0 registered", clock, one, 0, one.length, List.of());
        assertThat(clock.get(0)).isEqualTo(1);
        checkDecode("empty clock again", clock, empty, 0, 3, List.of());
        registry.register(Long.MAX_VALUE);
        for (final long v : new long[]{0, 1, 0x7F, 0x80, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, Long.MAX_VALUE,
            -1L, Long.MIN_VALUE})
        {
            for (int valueCode = 0; valueCode < 4; valueCode++)
            {
                for (final boolean flagged : new boolean[]{false, true})
                {
                    final int layout = 3 | valueCode << 2 | (flagged ? WireFormat.PRUNED_PRESENT : 0);
                    final byte[] two = build(COUNTERS_FORMAT, layout, 2, new long[]{0, Long.MAX_VALUE},
                        new long[]{v, 5});
                    checkDecode("0 and 2^63-1, v=" + v + " code " + valueCode, clock, two, 0, two.length,
                        List.of());
                    final byte[] swapped = build(COUNTERS_FORMAT, layout, 2, new long[]{0, Long.MAX_VALUE},
                        new long[]{5, v});
                    checkDecode("0 and 2^63-1 swapped, v=" + v + " code " + valueCode, clock, swapped, 0,
                        swapped.length, List.of());
                }
            }
        }
        // HLC kinds: the fast path is per kind
        for (final EntryKind kind : EntryKind.values())
        {
            final VectorClock hybrid = new VectorClock(registry, kind);
            final VectorClock source = new VectorClock(registry, kind);
            source.increment(0, 0x1234_5678L);
            source.increment(1, 0x7FFF_FFFFL);
            final byte[] bytes = new byte[source.encodedLength()];
            source.encode(bytes, 0);
            checkDecode(kind + " valid", hybrid, bytes, 0, bytes.length, List.of(source));
            final byte[] wrongKind = bytes.clone();
            wrongKind[0] = (byte)(0x30 | (kind.ordinal() + 1) % 3 + 1);
            checkDecode(kind + " wrong kind", hybrid, wrongKind, 0, wrongKind.length, List.of(source));
            final byte[] zero = bytes.clone();
            Arrays.fill(zero, zero.length - 4, zero.length, (byte)0);
            checkDecode(kind + " zero", hybrid, zero, 0, zero.length, List.of(source));
        }
    }

    /**
     * An encoding of as many nodes as the registry has, at the registry's id width, but of other nodes (another
     * registry's, or the registry's with one id swapped for a neighbour), and offsets and lengths out of range.
     */
    @Test
    void sameCountOtherNodesAndOutOfRangeArgumentsShouldBeRefusedAsTheReferenceRefusesThem()
    {
        final long seed = Seeds.seed("ViewCacheRedTeamTest.sameCountOtherNodes");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 200; trial++)
        {
            final String what = "seed " + seed + " trial " + trial;
            final int n = 1 + random.nextInt(30);
            final int idCode = random.nextInt(4);
            final NodeRegistry mine = registry(random, n, idCode, false);
            final NodeRegistry theirs = random.nextBoolean() ? registry(random, n, idCode, false) : new NodeRegistry();
            if (theirs.size() == 0)
            {
                // the same ids, one replaced by an unregistered neighbour
                final int replaced = random.nextInt(n);
                for (int i = 0; i < n; i++)
                {
                    long id = mine.nodeId(i);
                    if (i == replaced)
                    {
                        final long bound = idCode == 3 ? Long.MAX_VALUE : 1L << (8 << idCode);
                        final long original = id;
                        for (long step = 1; mine.indexOf(id) != NodeRegistry.UNKNOWN; step++)
                        {
                            final long up = original + step;
                            final long down = original - step;
                            id = up >= 0 && up < bound && mine.indexOf(up) == NodeRegistry.UNKNOWN ? up :
                                 down >= 0 ? down : up;
                        }
                    }
                    theirs.register(id);
                }
            }
            final int valueCode = random.nextInt(4);
            final VectorClock source = everyNode(theirs, n, random, valueCode);
            final byte[] bytes = TestClocks.bytes(source);
            final VectorClock target = TestClocks.random(mine, random, true);
            checkDecode(what, target, bytes, 0, bytes.length, List.of(TestClocks.random(mine, random, false)));
            final VectorClock everyNode = everyNode(mine, n, random, valueCode);
            final byte[] good = TestClocks.bytes(everyNode);
            for (final int[] offLen : new int[][]{{-1, good.length}, {1, good.length}, {0, good.length + 1},
                {0, Integer.MAX_VALUE}, {good.length, 0}, {good.length + 1, 0}, {Integer.MIN_VALUE, 3},
                {0, -1}, {0, 2}, {0, 0}})
            {
                checkDecode(what + " off/len " + offLen[0] + "/" + offLen[1], target, good, offLen[0], offLen[1],
                    List.of());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Attack 9: the view must not make the hot paths allocate (after the registry stops changing)
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void decodeAndEncodedCompareShouldNotAllocateAfterARegistration() throws Exception
    {
        final NodeRegistry registry = new NodeRegistry();
        for (int i = 0; i < 9; i++)
        {
            registry.register("alloc-" + i);
        }
        final VectorClock clock = new VectorClock(registry);
        final VectorClock source = new VectorClock(registry);
        for (int i = 0; i < 9; i++)
        {
            source.increment(i, 40_000 + i);
        }
        byte[] warm = TestClocks.bytes(source);
        clock.decode(warm, 0, warm.length);
        registry.register("alloc-late");          // the view is now stale
        source.increment(9, 70_000);
        final byte[] bytes = TestClocks.bytes(source);
        final EncodedVectorClock encoded = new EncodedVectorClock().wrap(bytes, 0, bytes.length);
        final long[] sink = new long[1];
        final long allocated = AllocationMeter.allocatedBytes(200_000, iterations -> {
            for (int i = 0; i < iterations; i++)
            {
                clock.decode(bytes, 0, bytes.length);
                sink[0] += clock.compare(encoded).ordinal();
            }
        });
        assertThat(allocated).isZero();
        assertThat(clock.compare(source)).isEqualTo(Causality.EQUAL);
    }
}
