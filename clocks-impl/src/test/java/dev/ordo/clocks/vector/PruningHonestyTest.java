package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pruning must never turn concurrent updates into a false order (Riak's riak_core#613, riak_kv#1864).
 */
class PruningHonestyTest
{
    @Test
    void shouldAnswerConcurrentWhereNaivePruningReportsAFalseBefore()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int x = registry.register("x");
        final int y = registry.register("y");

        // Replica A: x wrote 5 times (an update nobody else has seen), then saw y's first write.
        final VectorClock a = new VectorClock(registry);
        for (int i = 0; i < 5; i++)
        {
            a.increment(x);
        }
        a.increment(y);
        // Replica B, concurrently: saw x's first 4 writes, y wrote twice.
        final VectorClock b = new VectorClock(registry);
        for (int i = 0; i < 4; i++)
        {
            b.increment(x);
        }
        b.increment(y);
        b.increment(y);
        assertThat(a.compare(b)).isEqualTo(Causality.CONCURRENT);

        // A's size policy prunes x, its oldest entry.
        assertThat(a.prune(PruningPolicy.keepAtMost(1))).isEqualTo(1);
        assertThat(a.isPruned(x)).isTrue();

        // Naive pruning (Riak, Pekko's prune): dropping x leaves {y=1} <= {x=4, y=2}, a false BEFORE that
        // would let B's write silently overwrite A's.
        final VectorClock naive = new VectorClock(registry);
        naive.increment(y);
        assertThat(naive.compare(b)).as("what naive pruning answers").isEqualTo(Causality.BEFORE);

        assertThat(a.compare(b)).isEqualTo(Causality.CONCURRENT);
        assertThat(b.compare(a)).isEqualTo(Causality.CONCURRENT);
        assertThat(a.uncertainComparisonCount()).isEqualTo(1);
        assertThat(b.uncertainComparisonCount()).isEqualTo(1);
        assertThat(a.prunedEntryCount()).isEqualTo(1);

        // The same on the wire: the pruned flag travels, and the byte-level compare is just as honest.
        final EncodedVectorClock encodedA = wrap(a);
        final EncodedVectorClock encodedB = wrap(b);
        assertThat(encodedA.hasPrunedEntries()).isTrue();
        assertThat(encodedA.compare(encodedB)).isEqualTo(Causality.CONCURRENT);
        assertThat(encodedA.uncertainComparisonCount()).isEqualTo(1);
        assertThat(b.compare(encodedA)).isEqualTo(Causality.CONCURRENT);
        final VectorClock decoded = new VectorClock(registry);
        decoded.decode(encodedA);
        assertThat(decoded.isPruned(x)).isTrue();
        assertThat(decoded.compare(b)).isEqualTo(Causality.CONCURRENT);

        // Merging keeps the uncertainty: merged x is only known to be >= 4, so even "merged is after b"
        // (true: it contains A's fifth x write) cannot be proved, and equality must not be claimed.
        final VectorClock merged = TestClocks.copy(b);
        merged.merge(a);
        assertThat(merged.isPruned(x)).isTrue();
        assertThat(merged.get(x)).isEqualTo(4);
        assertThat(merged.compare(b)).isEqualTo(Causality.CONCURRENT);
    }

    @Test
    void shouldStillProveOrdersThatDoNotDependOnAPrunedEntry()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int x = registry.register("x");
        final int y = registry.register("y");
        final VectorClock a = new VectorClock(registry);
        a.increment(x, 3);
        a.increment(y);
        a.prune((nodeId, value, age, live) -> nodeId == NodeRegistry.idOf("x"));

        // x pruned (true value >= 1), y = 1. Against an empty clock A is after whatever x really was.
        assertThat(a.compare(new VectorClock(registry))).isEqualTo(Causality.AFTER);
        // Against {y=2}: x only makes A more "after"; y says before: truly concurrent either way.
        final VectorClock b = new VectorClock(registry);
        b.increment(y, 2);
        assertThat(a.compare(b)).isEqualTo(Causality.CONCURRENT);
        // Against {x=1, y=2} the answer depends on x: BEFORE if x is 1, CONCURRENT if more. Not provable.
        b.increment(x);
        assertThat(a.compare(b)).isEqualTo(Causality.CONCURRENT);
        assertThat(a.uncertainComparisonCount()).isEqualTo(1);
        // A clock whose pruned lower bound is above the other's exact value is provably after on that entry.
        final VectorClock c = new VectorClock(registry);
        c.increment(y);
        final VectorClock d = TestClocks.copy(a);
        d.merge(c);
        assertThat(d.compare(c)).isEqualTo(Causality.AFTER);
    }

    @Test
    void prunedComparisonsShouldNeverContradictTheUnprunedTruth()
    {
        final long seed = Seeds.seed("prunedComparisonsShouldNeverContradictTheUnprunedTruth");
        final SplittableRandom random = new SplittableRandom(seed);
        long uncertain = 0;
        for (int t = 0; t < 5_000; t++)
        {
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(8), random);
            final VectorClock a = TestClocks.random(registry, random, false);
            final VectorClock b = random.nextBoolean() ?
                TestClocks.copy(a) : TestClocks.random(registry, random, false);
            if (random.nextBoolean())
            {
                b.increment(random.nextInt(registry.size()));
            }
            final Causality truth = a.compare(b);
            final VectorClock prunedA = TestClocks.copy(a);
            final VectorClock prunedB = TestClocks.copy(b);
            prunedA.prune((id, value, age, live) -> random.nextInt(3) == 0);
            if (random.nextBoolean())
            {
                prunedB.prune((id, value, age, live) -> random.nextInt(3) == 0);
            }
            final Causality answer = prunedA.compare(prunedB);
            assertThat(answer).as("seed %d truth %s for %s vs %s", seed, truth, prunedA, prunedB)
                .isIn(truth, Causality.CONCURRENT);
            assertThat(wrap(prunedA).compare(wrap(prunedB))).as("seed %d on bytes", seed).isEqualTo(answer);
            uncertain += prunedA.uncertainComparisonCount();
            if (answer != truth)
            {
                assertThat(prunedA.uncertainComparisonCount()).as("seed %d every downgrade is counted", seed)
                    .isEqualTo(1);
            }
        }
        assertThat(uncertain).as("seed %d", seed).isPositive();
    }

    @Test
    void policiesShouldSelectByAgeAndSizeOldestFirstAndSpareTheLocalNode()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int self = registry.register(10);
        final int[] others = { registry.register(20), registry.register(30), registry.register(40) };
        final VectorClock clock = new VectorClock(registry);
        clock.increment(self);
        for (final int other : others)
        {
            clock.increment(other);
        }
        for (int i = 0; i < 5; i++)
        {
            clock.increment(others[2]);
        }
        // self is the oldest entry but spared; 20 and 30 go, keeping at most two live entries.
        assertThat(clock.prune(PruningPolicy.keepAtMost(2).sparing(10))).isEqualTo(2);
        assertThat(clock.isPruned(self)).isFalse();
        assertThat(clock.isPruned(others[0])).isTrue();
        assertThat(clock.isPruned(others[1])).isTrue();
        assertThat(clock.isPruned(others[2])).isFalse();
        assertThat(clock.get(others[0])).isEqualTo(1);

        // Age: node 40 changed last 0 changes ago, node 10 eight changes ago.
        assertThat(clock.prune(PruningPolicy.olderThan(8))).isEqualTo(1);
        assertThat(clock.isPruned(self)).isTrue();
        assertThat(clock.prune(PruningPolicy.olderThan(1).or(PruningPolicy.keepAtMost(5)))).isEqualTo(0);
        assertThat(clock.prune(PruningPolicy.olderThan(0).and(PruningPolicy.keepAtMost(0)))).isEqualTo(1);
        assertThat(clock.prunedEntries()).isEqualTo(4);
        assertThat(clock.prunedEntryCount()).isEqualTo(4);
        clock.reset();
        assertThat(clock.prunedEntries()).isZero();
        assertThat(clock.liveEntries()).isZero();
    }

    private static EncodedVectorClock wrap(final VectorClock clock)
    {
        return new EncodedVectorClock().wrap(TestClocks.bytes(clock), 0, clock.encodedLength());
    }
}
