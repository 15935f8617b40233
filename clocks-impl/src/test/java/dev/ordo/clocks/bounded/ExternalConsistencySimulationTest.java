package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.TimeInterval;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spanner's external consistency, by simulation: if T2 starts after T1's commit wait finished (in true
 * time), T2's timestamp is larger than T1's. Nodes' clocks err by up to their own bounds (a per-node bias
 * plus jitter, drawn from a seeded random), and every interval is checked to contain true time.
 */
class ExternalConsistencySimulationTest
{
    private static final int NODES = 5;
    private static final int TRANSACTIONS = 20_000;

    @Test
    void commitWaitShouldMakeTimestampsRespectRealTimeOrder() throws Exception
    {
        final long seed = Seeds.seed("ExternalConsistencySimulationTest.commitWait");
        assertThat(simulate(seed, true)).as("seed %d: order violations", seed).isZero();
    }

    @Test
    void skippingCommitWaitShouldBreakRealTimeOrder() throws Exception
    {
        final long seed = Seeds.seed("ExternalConsistencySimulationTest.noCommitWait");
        assertThat(simulate(seed, false)).as("seed %d: order violations", seed).isPositive();
    }

    private static long simulate(final long seed, final boolean commitWait) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final SimulatedWorld world = new SimulatedWorld(1_700_000_000_000_000_000L);
        final ErrorBoundedClock[] nodes = new ErrorBoundedClock[NODES];
        for (int i = 0; i < NODES; i++)
        {
            final long boundNs = 100_000 + random.nextLong(5_000_000); // 0.1 .. 5.1 ms
            final long biasNs = random.nextLong(-boundNs, boundNs + 1);
            final SplittableRandom jitter = random.split();
            nodes[i] = world.node((trueNs) ->
            {
                final long errorNs = biasNs + jitter.nextLong(-boundNs / 4, boundNs / 4 + 1);
                return Math.max(-boundNs, Math.min(boundNs, errorNs)); // the truth stays within the bound
            }, new FixedErrorBound(boundNs));
        }

        final TimeInterval interval = new TimeInterval();
        long violations = 0;
        for (int i = 0; i < TRANSACTIONS; i++)
        {
            final ErrorBoundedClock first = nodes[random.nextInt(NODES)];
            first.now(interval);
            assertThat(interval.contains(world.trueNs)).as("seed %d: %s at true %d", seed, interval, world.trueNs)
                .isTrue();
            final long s1 = interval.latestNs();
            if (commitWait)
            {
                first.commitWait(s1);
                assertThat(world.trueNs).as("seed %d: commit wait ends after s1 in true time", seed).isGreaterThan(s1);
            }
            // T1 is visible from here on; T2 starts now or later, on any node.
            world.advance(random.nextInt(4) == 0 ? 0 : random.nextLong(2_000_000));
            final ErrorBoundedClock second = nodes[random.nextInt(NODES)];
            second.now(interval);
            assertThat(interval.contains(world.trueNs)).as("seed %d: %s at true %d", seed, interval, world.trueNs)
                .isTrue();
            final long s2 = interval.latestNs();
            if (s2 <= s1)
            {
                violations++;
            }
        }
        return violations;
    }
}
