package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retiring a departed node at its final value (issue 14 part 3): clocks that saw the final state keep their
 * exact order, clocks that did not still compare honestly, and the wire carries a compact marker.
 */
class RetirementTest
{
    private static final int NODES = 8;
    private static final int STEPS = 40_000;
    private static final int DEPARTS_AT = 10_000;
    private static final int RETIRED_AT = 12_000;
    private static final int PAIRS = 60_000;

    /** One event of the simulation: who, the true history, and what each scheme holds. */
    private record Event(int node, long[] truth, VectorClock retiring, byte[] retiringBytes, VectorClock legacy)
    {
    }

    @Test
    void retiringADepartedNodeOnceShouldKeepTheExactOrderOfPairsThatSawItsFinalState()
    {
        final long seed = Seeds.seed("retiringADepartedNodeOnceShouldKeepTheExactOrderOfPairsThatSawItsFinalState");
        final SplittableRandom random = new SplittableRandom(seed);
        final NodeRegistry registry = new NodeRegistry();
        final NodeRegistry legacyRegistry = new NodeRegistry();
        for (int n = 0; n < NODES; n++)
        {
            registry.register("node-" + n);
            legacyRegistry.register("node-" + n);
        }
        final int departed = NODES - 1;
        final long[][] truth = new long[NODES][NODES];
        final VectorClock[] clocks = new VectorClock[NODES];
        final VectorClock[] legacy = new VectorClock[NODES];
        final List<List<Object[]>> inboxes = new ArrayList<>();
        for (int n = 0; n < NODES; n++)
        {
            clocks[n] = new VectorClock(registry);
            legacy[n] = new VectorClock(legacyRegistry);
            inboxes.add(new ArrayList<>());
        }
        final VectorClock received = new VectorClock(registry);
        final VectorClock legacyReceived = new VectorClock(legacyRegistry);
        final List<Event> events = new ArrayList<>();
        final byte[] scratch = new byte[1024];
        for (int step = 0; step < STEPS; step++)
        {
            if (step == RETIRED_AT)
            {
                // The documented use, once: retire the departed node at its final value (every replica agrees
                // on it: it is the number of events the node made). The legacy scheme prunes its entry.
                registry.retire(departed, truth[departed][departed]);
                for (final VectorClock clock : legacy)
                {
                    clock.prune((id, value, age, live) -> id == NodeRegistry.idOf("node-" + departed));
                }
            }
            final int active = step < DEPARTS_AT ? NODES : NODES - 1;
            final int n = random.nextInt(active);
            final int action = random.nextInt(3);
            if (action == 2 && !inboxes.get(n).isEmpty())
            {
                // Receive a random pending message (reordering): merge its bytes, then the receive event.
                final Object[] message = inboxes.get(n).remove(random.nextInt(inboxes.get(n).size()));
                final long[] sent = (long[])message[0];
                for (int i = 0; i < NODES; i++)
                {
                    truth[n][i] = Math.max(truth[n][i], sent[i]);
                }
                final byte[] bytes = (byte[])message[1];
                received.decode(bytes, 0, bytes.length);
                clocks[n].merge(received);
                final byte[] legacyBytes = (byte[])message[2];
                legacyReceived.decode(legacyBytes, 0, legacyBytes.length);
                legacy[n].merge(legacyReceived);
            }
            truth[n][n]++;
            clocks[n].increment(n);
            legacy[n].increment(n);
            final int length = clocks[n].encode(scratch, 0);
            final byte[] bytes = java.util.Arrays.copyOf(scratch, length);
            events.add(new Event(n, truth[n].clone(), TestClocks.copy(clocks[n]), bytes, TestClocks.copy(legacy[n])));
            if (action == 1)
            {
                int to = random.nextInt(active - 1);
                to = to >= n ? to + 1 : to;
                inboxes.get(to).add(new Object[] { truth[n].clone(), bytes, TestClocks.bytes(legacy[n]) });
            }
        }
        assertThat(truth[departed][departed]).as("seed %d: the departed node made events", seed).isPositive();

        final EncodedVectorClock left = new EncodedVectorClock();
        final EncodedVectorClock right = new EncodedVectorClock();
        final int[] exact = new int[4];
        final int[] falseOrders = new int[4];
        int ordered = 0;
        int orderedAfterRetirement = 0;
        int exactAfterRetirement = 0;
        int legacyExactAfterRetirement = 0;
        for (int p = 0; p < PAIRS; p++)
        {
            final int i = random.nextInt(events.size());
            // Half the pairs are near each other in time (mostly ordered), half anywhere.
            final int j = random.nextBoolean() ? random.nextInt(events.size()) :
                Math.min(events.size() - 1, i + random.nextInt(200));
            final Event a = events.get(i);
            final Event b = events.get(j);
            final Causality truthAnswer = relation(a.truth(), b.truth());
            final Causality[] answers = {
                a.retiring().compare(b.retiring()),
                a.retiring().compare(right.wrap(b.retiringBytes(), 0, b.retiringBytes().length)),
                left.wrap(a.retiringBytes(), 0, a.retiringBytes().length).compare(right),
                a.legacy().compare(b.legacy()),
            };
            for (int s = 0; s < answers.length; s++)
            {
                assertThat(answers[s]).as("seed %d scheme %d pair %d/%d truth %s", seed, s, i, j, truthAnswer)
                    .isIn(truthAnswer, Causality.CONCURRENT);
                if (answers[s] != truthAnswer && answers[s] != Causality.CONCURRENT)
                {
                    falseOrders[s]++;
                }
            }
            if (truthAnswer != Causality.CONCURRENT)
            {
                ordered++;
                for (int s = 0; s < answers.length; s++)
                {
                    exact[s] += answers[s] == truthAnswer ? 1 : 0;
                }
                if (i >= RETIRED_AT && j >= RETIRED_AT)
                {
                    orderedAfterRetirement++;
                    exactAfterRetirement += answers[0] == truthAnswer ? 1 : 0;
                    legacyExactAfterRetirement += answers[3] == truthAnswer ? 1 : 0;
                }
            }
        }
        System.out.printf(
            "seed %d: %d truly ordered pairs of %d (%d both after the retirement); exact answers: in memory %d, " +
            "clock vs bytes %d, bytes vs bytes %d, legacy pruning %d; both after retirement: in memory %d, " +
            "legacy pruning %d%n",
            seed, ordered, PAIRS, orderedAfterRetirement, exact[0], exact[1], exact[2], exact[3],
            exactAfterRetirement, legacyExactAfterRetirement);
        assertThat(falseOrders).as("seed %d: never a false order", seed).containsOnly(0);
        assertThat(ordered).as("seed %d", seed).isGreaterThan(PAIRS / 4);
        assertThat(orderedAfterRetirement).as("seed %d", seed).isGreaterThan(PAIRS / 10);
        assertThat(exact[0]).as("seed %d: in memory, >= 99%% exact", seed).isGreaterThanOrEqualTo(ordered * 99 / 100);
        assertThat(exact[1]).as("seed %d: clock vs bytes, >= 99%% exact", seed)
            .isGreaterThanOrEqualTo(ordered * 99 / 100);
        assertThat(exactAfterRetirement).as("seed %d", seed).isGreaterThanOrEqualTo(orderedAfterRetirement * 99 / 100);

        // Every recorded clock equals itself and a copy of itself, and an increment is after it.
        for (final Event e : events)
        {
            final VectorClock clock = e.retiring();
            final VectorClock copy = TestClocks.copy(clock);
            assertThat(clock.compare(clock)).as("seed %d", seed).isEqualTo(Causality.EQUAL);
            assertThat(copy.compare(clock)).as("seed %d", seed).isEqualTo(Causality.EQUAL);
            assertThat(clock.compare(right.wrap(e.retiringBytes(), 0, e.retiringBytes().length)))
                .as("seed %d", seed).isEqualTo(Causality.EQUAL);
            assertThat(left.wrap(e.retiringBytes(), 0, e.retiringBytes().length).compare(right))
                .as("seed %d", seed).isEqualTo(Causality.EQUAL);
            copy.increment(e.node());
            assertThat(copy.compare(clock)).as("seed %d", seed).isEqualTo(Causality.AFTER);
            assertThat(clock.compare(copy)).as("seed %d", seed).isEqualTo(Causality.BEFORE);
            assertThat(e.legacy().compare(e.legacy())).as("seed %d", seed).isEqualTo(Causality.EQUAL);
        }
    }

    @Test
    void aFinalEntryShouldEncodeAsACompactMarkerAndDecodeExactly()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int n3 = registry.register(3);
        final int n7 = registry.register(7);
        final VectorClock clock = new VectorClock(registry);
        clock.increment(n3, 5);
        clock.increment(n7, 100_000);
        assertThat(hex(clock)).as("before retirement: 4-byte values").startsWith("31 08 02");

        registry.retire(n7, 100_000);
        // 1-byte ids, 1-byte values, flag bit; node 7 is a flag without value bits.
        assertThat(hex(clock)).isEqualTo("31 10 02 03 07 05 80");
        assertThat(clock.encodedLength()).isEqualTo(7);
        final byte[] bytes = TestClocks.bytes(clock);
        final VectorClock decoded = new VectorClock(registry);
        decoded.decode(bytes, 0, bytes.length);
        assertThat(decoded.get(n7)).isEqualTo(100_000);
        assertThat(decoded.isPruned(n7)).isFalse();
        assertThat(decoded.compare(clock)).isEqualTo(Causality.EQUAL);
        assertThat(decoded.toString()).isEqualTo("VectorClock{3=5, 7=100000}");
        final EncodedVectorClock encoded = new EncodedVectorClock().wrap(bytes, 0, bytes.length);
        assertThat(encoded.isRetired(7)).isTrue();
        assertThat(encoded.isPruned(7)).isFalse();
        assertThat(encoded.get(7)).isZero();
        assertThat(encoded.toString()).isEqualTo("EncodedVectorClock{COUNTERS, 3=5, 7=final(retired)}");
        final VectorClock merged = new VectorClock(registry);
        merged.merge(encoded);
        assertThat(merged.get(n7)).isEqualTo(100_000);
        assertThat(clock.compare(encoded)).isEqualTo(Causality.EQUAL);

        // An entry below the final value has not seen the final state: exact, and before.
        final VectorClock behind = new VectorClock(registry);
        behind.increment(n3, 5);
        behind.increment(n7, 99_999);
        assertThat(hex(behind)).isEqualTo("31 08 02 03 07 05 00 00 00 9f 86 01 00");
        assertThat(behind.compare(clock)).isEqualTo(Causality.BEFORE);
        assertThat(behind.compare(encoded)).isEqualTo(Causality.BEFORE);
        assertThat(clock.compare(behind)).isEqualTo(Causality.AFTER);
        // Bytes against bytes know no registry: a marker is at least any value, so this order is unprovable.
        final EncodedVectorClock behindEncoded = new EncodedVectorClock().wrap(TestClocks.bytes(behind), 0,
            behind.encodedLength());
        assertThat(behindEncoded.compare(encoded)).isEqualTo(Causality.CONCURRENT);
        assertThat(behindEncoded.uncertainComparisonCount()).isEqualTo(1);
        assertThat(encoded.compare(new EncodedVectorClock().wrap(bytes, 0, bytes.length)))
            .isEqualTo(Causality.EQUAL);
        // ... but settled by any other entry: here 3 is larger on the marker's side too.
        behind.reset();
        behind.increment(n7, 99_999);
        assertThat(new EncodedVectorClock().wrap(TestClocks.bytes(behind), 0, behind.encodedLength())
            .compare(encoded)).isEqualTo(Causality.BEFORE);
    }

    @Test
    void aMarkerForANodeNotRetiredHereShouldBeRefusedAndChangeNothing()
    {
        final NodeRegistry sender = new NodeRegistry();
        sender.register(3);
        final int departed = sender.register(7);
        final VectorClock clock = new VectorClock(sender);
        clock.increment(departed, 40);
        sender.retire(departed, 40);
        final byte[] bytes = TestClocks.bytes(clock);

        final NodeRegistry receiver = new NodeRegistry();
        final int three = receiver.register(3);
        final int seven = receiver.register(7);
        final VectorClock target = new VectorClock(receiver);
        target.increment(three, 2);
        target.increment(seven, 39);
        final EncodedVectorClock encoded = new EncodedVectorClock().wrap(bytes, 0, bytes.length);
        assertThatThrownBy(() -> target.decode(bytes, 0, bytes.length))
            .isInstanceOf(MalformedClockException.class)
            .hasMessageContaining("retired marker for node 7")
            .hasMessageContaining("NodeRegistry.retire");
        assertThatThrownBy(() -> target.merge(encoded)).isInstanceOf(MalformedClockException.class);
        assertThatThrownBy(() -> target.decode(encoded)).isInstanceOf(MalformedClockException.class);
        assertThat(target.toString()).isEqualTo("VectorClock{3=2, 7=39}");
        // Comparing needs no final value to stay honest: 7 is at least 39 there, 3 is larger here.
        assertThat(target.compare(encoded)).isEqualTo(Causality.CONCURRENT);

        receiver.retire(seven, 40);
        target.merge(encoded);
        assertThat(target.toString()).isEqualTo("VectorClock{3=2, 7=40}");

        // A sender that has not retired the node yet sends the exact final value: accepted, and it
        // re-encodes as the marker (canonical for this registry).
        final NodeRegistry late = new NodeRegistry();
        late.register(7);
        final VectorClock lateClock = new VectorClock(late);
        lateClock.increment(0, 40);
        final byte[] exactFinal = TestClocks.bytes(lateClock);
        final VectorClock fresh = new VectorClock(receiver);
        fresh.decode(exactFinal, 0, exactFinal.length);
        assertThat(fresh.get(seven)).isEqualTo(40);
        assertThat(hex(fresh)).isEqualTo("31 10 01 07 80");
    }

    @Test
    void retireShouldBeIdempotentAndRefuseWhatCannotBeAFinalValue()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int x = registry.register("x");
        assertThat(registry.hasRetiredNodes()).isFalse();
        assertThat(registry.finalValue(x)).isZero();
        registry.retire(x, 12);
        registry.retire(x, 12);
        assertThat(registry.finalValue(x)).isEqualTo(12);
        assertThat(registry.finalValue(5)).isZero();
        assertThat(registry.hasRetiredNodes()).isTrue();
        assertThatThrownBy(() -> registry.retire(x, 13)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("already retired at 12");
        assertThatThrownBy(() -> registry.retire(x + 1, 1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not registered");
        final int y = registry.register("y");
        assertThatThrownBy(() -> registry.retire(y, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(">= 1");
        assertThat(registry.finalValue(y)).isZero();
    }

    /**
     * Found by CI (VectorRedTeam3Test, seed 4604916513692535953): a pruned lower bound against an exact entry equal
     * to the retired node's final value. The final entry is at least every value any clock holds for that node,
     * so the pruned side is at most it: with every other entry smaller, the order is BEFORE. The encodings (the
     * final value travels as a retired marker) answered BEFORE while the clocks answered CONCURRENT.
     */
    @Test
    void aPrunedBoundAgainstAFinalEntryShouldCompareAsTheEncodingsDo()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int retired = registry.register(18L);
        final int shared = registry.register(274L);
        final int other = registry.register(243L);
        registry.retire(retired, 1_080_534L);
        final VectorClock a = new VectorClock(registry);
        a.increment(retired, 1);
        a.increment(shared, 1_644_789L);
        a.prune((id, value, age, live) -> id == 18L);
        final VectorClock b = new VectorClock(registry);
        b.increment(retired, 1_080_534L);
        b.increment(shared, 1_644_789L);
        b.increment(other, 5);
        assertThat(a.isPruned(retired)).isTrue();

        final byte[] bytesA = TestClocks.bytes(a);
        final byte[] bytesB = TestClocks.bytes(b);
        final EncodedVectorClock encodedA = new EncodedVectorClock().wrap(bytesA, 0, bytesA.length);
        final EncodedVectorClock encodedB = new EncodedVectorClock().wrap(bytesB, 0, bytesB.length);
        assertThat(encodedA.compare(encodedB)).isEqualTo(Causality.BEFORE);
        assertThat(a.compare(b)).as("clocks as encodings").isEqualTo(Causality.BEFORE);
        assertThat(b.compare(a)).isEqualTo(Causality.AFTER);
        assertThat(a.compare(encodedB)).isEqualTo(Causality.BEFORE);
        // Not the final value: the pruned bound may be above it, so the honest answer stays CONCURRENT.
        final VectorClock c = new VectorClock(registry);
        c.increment(retired, 1_000_000L);
        c.increment(shared, 1_644_789L);
        c.increment(other, 5);
        assertThat(a.compare(c)).isEqualTo(Causality.CONCURRENT);
    }

    @Test
    void pruningShouldLeaveEntriesAtTheirFinalValueExact()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int x = registry.register("x");
        final int y = registry.register("y");
        final VectorClock clock = new VectorClock(registry);
        clock.increment(x, 9);
        clock.increment(y, 4);
        registry.retire(x, 9);
        assertThat(clock.prune(PruningPolicy.keepAtMost(0))).isEqualTo(1);
        assertThat(clock.isPruned(x)).isFalse();
        assertThat(clock.isPruned(y)).isTrue();
        assertThat(clock.get(x)).isEqualTo(9);
    }

    @Test
    void valuesShouldListMarkersAndKeepThemThroughWithout()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int a = registry.register(1);
        final int b = registry.register(2);
        final int c = registry.register(3);
        final VectorClock clock = new VectorClock(registry);
        clock.increment(a, 3);
        clock.increment(b, 70_000);
        clock.increment(c);
        registry.retire(b, 70_000);
        final VectorClockValue value = VectorClockValue.of(clock);
        assertThat(value.entries()).containsExactly(
            new VectorClockValue.Entry(1, 3, false, false),
            new VectorClockValue.Entry(2, 0, false, true),
            new VectorClockValue.Entry(3, 1, false, false));
        final VectorClockValue without = value.without(3);
        assertThat(without.toString()).isEqualTo("VectorClockValue{COUNTERS, 1=3, 2=final(retired)}");
        assertThat(value.compare(without)).isEqualTo(Causality.AFTER);
        final VectorClock loaded = new VectorClock(registry);
        without.copyTo(loaded);
        assertThat(loaded.get(b)).isEqualTo(70_000);
    }

    private static Causality relation(final long[] a, final long[] b)
    {
        boolean lt = false;
        boolean gt = false;
        for (int i = 0; i < a.length; i++)
        {
            lt |= a[i] < b[i];
            gt |= a[i] > b[i];
        }
        return lt ? (gt ? Causality.CONCURRENT : Causality.BEFORE) : (gt ? Causality.AFTER : Causality.EQUAL);
    }

    private static String hex(final VectorClock clock)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte b : TestClocks.bytes(clock))
        {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }
}
