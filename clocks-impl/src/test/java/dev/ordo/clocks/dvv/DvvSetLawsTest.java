package dev.ordo.clocks.dvv;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The laws of the DVV paper, on states drawn from random seeded histories: sync is a join (commutative,
 * associative, idempotent, absorbing), an update dominates what its context saw and nothing else, and two
 * updates from the same context at different replicas both survive a sync as siblings.
 */
class DvvSetLawsTest
{
    private static final int TRIALS = 300;

    @Test
    void syncShouldBeCommutativeAssociativeIdempotentAndAbsorbing()
    {
        final long seed = Seeds.seed("DvvSetLawsTest.sync");
        final Random random = new Random(seed);
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final DvvSet<String>[] states = randomStates(random);
            final DvvSet<String> a = states[0];
            final DvvSet<String> b = states[1];
            final DvvSet<String> c = states[2];
            final String where = "seed " + seed + " trial " + trial;
            assertThat(join(a, b)).as(where + " commutative").isEqualTo(join(b, a));
            assertThat(join(join(a, b), c)).as(where + " associative").isEqualTo(join(a, join(b, c)));
            assertThat(join(a, a)).as(where + " idempotent").isEqualTo(a);
            assertThat(join(a, join(a, b))).as(where + " absorbing").isEqualTo(join(a, b));
            assertThat(join(a, b).context().compare(a.context())).as(where + " context grows")
                .isIn(Causality.AFTER, Causality.EQUAL);
        }
    }

    @Test
    void updateShouldReplaceExactlyWhatItsContextSawAndSurviveEverySyncWithStatesThatDidNotSeeIt()
    {
        final long seed = Seeds.seed("DvvSetLawsTest.update");
        final Random random = new Random(seed);
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final DvvSet<String>[] states = randomStates(random);
            final String where = "seed " + seed + " trial " + trial;
            final DvvSet<String> a = copy(states[0]);
            final VersionVector read = a.context();
            final List<String> before = a.values();
            a.update(read, 3, "fresh");
            assertThat(a.values()).as(where + " a write that saw every sibling replaces them").containsExactly("fresh");
            assertThat(a.context().compare(read)).as(where).isEqualTo(Causality.AFTER);
            for (final DvvSet<String> other : states)
            {
                final DvvSet<String> joined = join(a, other);
                assertThat(joined.values()).as(where + " the new write survives").contains("fresh");
                for (final String replaced : before)
                {
                    assertThat(joined.values()).as(where + " what it replaced never comes back")
                        .doesNotContain(replaced);
                }
            }
        }
    }

    @Test
    void concurrentWritesFromTheSameContextShouldBothSurviveAsSiblings()
    {
        final long seed = Seeds.seed("DvvSetLawsTest.concurrent");
        final Random random = new Random(seed);
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final DvvSet<String>[] states = randomStates(random);
            final DvvSet<String> x = copy(states[0]);
            final DvvSet<String> y = copy(states[0]);
            final VersionVector read = states[0].context();
            x.update(read, 3, "x");
            y.update(read, 17, "y");
            final DvvSet<String> joined = join(x, y);
            assertThat(joined.values()).as("seed " + seed + " trial " + trial).containsExactlyInAnyOrder("x", "y");
            assertThat(join(y, x)).isEqualTo(joined);
            joined.reconcile(DvvWorld::mergeSorted, 1L << 40);
            assertThat(joined.values()).containsExactly("x+y");
            assertThat(join(joined, x).values()).as("the resolution saw x").containsExactly("x+y");
        }
    }

    @SuppressWarnings("unchecked")
    private static DvvSet<String>[] randomStates(final Random random)
    {
        final DvvWorld world = new DvvWorld(random, 3);
        final int steps = random.nextInt(40);
        for (int i = 0; i < steps; i++)
        {
            world.step();
        }
        return new DvvSet[] { world.replicas[0], world.replicas[1], world.replicas[2] };
    }

    static DvvSet<String> copy(final DvvSet<String> source)
    {
        final DvvSet<String> copy = new DvvSet<>();
        copy.copyFrom(source);
        return copy;
    }

    static DvvSet<String> join(final DvvSet<String> a, final DvvSet<String> b)
    {
        final DvvSet<String> joined = copy(a);
        joined.sync(b);
        return joined;
    }
}
