package dev.ordo.clocks.itc;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interval tree clocks against the definition: random runs of participants that fork, record events, exchange
 * anonymous stamps (peek + join) and retire by joining, while the test tracks every stamp's causal history as an
 * explicit set of events. For every pair of stamps seen, {@code compare} must equal the set relation; every stamp
 * must round-trip through the wire format (whose decoder accepts only normalized trees); and joining all
 * participants back must give back the whole id.
 */
class ItcStampModelTest
{
    private record Participant(ItcStamp stamp, BitSet history)
    {
    }

    @Test
    void compareShouldMatchCausalHistoriesAndStampsShouldStayNormalized()
    {
        final long seed = Seeds.seed("ItcStampModelTest");
        final Random random = new Random(seed);
        for (int run = 0; run < 60; run++)
        {
            final List<Participant> live = new ArrayList<>();
            final List<Participant> seen = new ArrayList<>();
            live.add(new Participant(ItcStamp.seed(), new BitSet()));
            int events = 0;
            for (int step = 0; step < 120; step++)
            {
                final int op = random.nextInt(10);
                final int i = random.nextInt(live.size());
                final Participant p = live.get(i);
                if (op < 4)
                {
                    final BitSet h = (BitSet)p.history.clone();
                    h.set(events++);
                    final ItcStamp next = p.stamp.event();
                    assertThat(next.compare(p.stamp)).isEqualTo(Causality.AFTER);
                    live.set(i, new Participant(next, h));
                }
                else if (op < 6 && live.size() < 10)
                {
                    final ItcStamp.Fork fork = p.stamp.fork();
                    live.set(i, new Participant(fork.left(), p.history));
                    live.add(new Participant(fork.right(), (BitSet)p.history.clone()));
                }
                else if (op < 8 && live.size() > 1)
                {
                    final int j = (i + 1 + random.nextInt(live.size() - 1)) % live.size();
                    final Participant q = live.get(j);
                    final BitSet h = (BitSet)q.history.clone();
                    h.or(p.history);
                    live.set(j, new Participant(q.stamp.join(p.stamp.peek()), h)); // a message p -> q
                }
                else if (live.size() > 1)
                {
                    final int j = (i + 1 + random.nextInt(live.size() - 1)) % live.size();
                    final Participant q = live.get(j);
                    final BitSet h = (BitSet)q.history.clone();
                    h.or(p.history);
                    live.set(j, new Participant(q.stamp.join(p.stamp), h));           // p retires into q
                    live.remove(i);
                }
                seen.addAll(live);
            }
            final String where = "seed " + seed + " run " + run;
            for (int k = 0; k < 400; k++)
            {
                final Participant a = seen.get(random.nextInt(seen.size()));
                final Participant b = seen.get(random.nextInt(seen.size()));
                assertThat(a.stamp.compare(b.stamp)).as(where + ": " + a.stamp + " vs " + b.stamp)
                    .isEqualTo(relation(a.history, b.history));
            }
            for (final Participant p : live)
            {
                final byte[] wire = new byte[p.stamp.encodedLength()];
                assertThat(p.stamp.encode(wire, 0)).isEqualTo(wire.length);
                assertThat(ItcStamp.decode(wire, 0, wire.length)).as(where).isEqualTo(p.stamp);
            }
            ItcStamp all = live.get(0).stamp;
            for (int k = 1; k < live.size(); k++)
            {
                all = all.join(live.get(k).stamp);
            }
            final byte[] wire = new byte[all.encodedLength()];
            all.encode(wire, 0);
            assertThat(wire[1]).as(where + ": the ids add up to the whole interval: " + all).isEqualTo((byte)1);
            assertThat(all.event().toString()).as("with the whole id, an event collapses the tree").matches("\\(1, \\d+\\)");
        }
    }

    @Test
    void joinShouldBeCommutativeAssociativeAndIdempotentAndForkThenJoinTheIdentity()
    {
        final long seed = Seeds.seed("ItcStampModelTest.laws");
        final Random random = new Random(seed);
        for (int trial = 0; trial < 300; trial++)
        {
            final ItcStamp[] three = randomDisjointStamps(random);
            final ItcStamp a = three[0];
            final ItcStamp b = three[1];
            final ItcStamp c = three[2];
            assertThat(a.join(b)).isEqualTo(b.join(a));
            assertThat(a.join(b).join(c)).isEqualTo(a.join(b.join(c)));
            assertThat(a.join(a.peek())).isEqualTo(a);
            final ItcStamp.Fork fork = a.fork();
            assertThat(fork.left().join(fork.right())).as("seed " + seed).isEqualTo(a);
            assertThat(fork.left().compare(a)).isEqualTo(Causality.EQUAL);
        }
    }

    /** Three stamps with disjoint ids and unrelated histories, from one seed. */
    static ItcStamp[] randomDisjointStamps(final Random random)
    {
        final ItcStamp.Fork first = ItcStamp.seed().fork();
        final ItcStamp.Fork second = first.right().fork();
        final ItcStamp[] stamps = { first.left(), second.left(), second.right() };
        for (int step = 0; step < 30; step++)
        {
            final int i = random.nextInt(3);
            final int j = random.nextInt(3);
            if (random.nextBoolean())
            {
                stamps[i] = stamps[i].event();
            }
            else if (i != j)
            {
                stamps[i] = stamps[i].join(stamps[j].peek());
            }
        }
        return stamps;
    }

    private static Causality relation(final BitSet a, final BitSet b)
    {
        final BitSet aNotB = (BitSet)a.clone();
        aNotB.andNot(b);
        final BitSet bNotA = (BitSet)b.clone();
        bNotA.andNot(a);
        return aNotB.isEmpty() ? (bNotA.isEmpty() ? Causality.EQUAL : Causality.BEFORE) :
            bNotA.isEmpty() ? Causality.AFTER : Causality.CONCURRENT;
    }
}
