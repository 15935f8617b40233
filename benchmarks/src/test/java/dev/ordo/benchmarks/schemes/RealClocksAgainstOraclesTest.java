package dev.ordo.benchmarks.schemes;

import dev.ordo.clocks.testing.Seeds;
import dev.ordo.clocks.vector.NodeRegistry;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulation's vector-clock and bounded-clock schemes run on Ordo's real {@code VectorClock} and
 * {@code ErrorBoundedClock}; the simple versions ({@link SimVectorClock}, {@link SimBoundedClock}) are
 * independent oracles: both must classify every pair of random vectors alike, merge to the same counters, and
 * give the same intervals.
 */
class RealClocksAgainstOraclesTest
{
    @Test
    void realVectorClockShouldAgreeWithTheSimpleOracle()
    {
        final long seed = Seeds.seed("real vs simple vector clock");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 2_000; round++)
        {
            final int replicas = 1 + random.nextInt(8);
            final OrdoVectorClockOps real = new OrdoVectorClockOps(new NodeRegistry(), replicas);
            final SimVectorClock simple = new SimVectorClock(replicas);
            final long[] a = randomVector(random, replicas);
            final long[] b = random.nextInt(4) == 0 ? a.clone() : randomVector(random, replicas);
            if (java.util.Arrays.equals(a, b))
            {
                b[random.nextInt(replicas)]++;
            }
            assertThat(real.compare(a, b)).as("seed %d: %s vs %s", seed, a, b).isEqualTo(simple.compare(a, b));

            real.merge(a);
            simple.merge(a);
            real.merge(b);
            simple.merge(b);
            final int writer = random.nextInt(replicas);
            assertThat(real.incrementAndSnapshot(writer)).as("seed %d", seed)
                .containsExactly(simple.incrementAndSnapshot(writer));
            assertThat(real.encodedBytes(a)).isBetween(2, 2 + 2 * replicas + 10 * replicas);
        }
    }

    @Test
    void realBoundedClockShouldGiveTheSimpleOraclesIntervals()
    {
        final long seed = Seeds.seed("real vs simple bounded clock");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 10_000; round++)
        {
            final long epsilonUs = random.nextLong(0, 2_000_000);
            final long localUs = 1_795_000_000_000_000L + random.nextLong(-10_000_000, 10_000_000);
            final OrdoIntervalClock real = new OrdoIntervalClock(epsilonUs);
            final SimBoundedClock simple = new SimBoundedClock(epsilonUs);
            assertThat(real.earliestUs(localUs)).as("seed %d", seed).isEqualTo(simple.earliestUs(localUs));
            assertThat(real.latestUs(localUs)).as("seed %d", seed).isEqualTo(simple.latestUs(localUs));
        }
    }

    private static long[] randomVector(final SplittableRandom random, final int replicas)
    {
        final long[] v = new long[replicas];
        for (int i = 0; i < replicas; i++)
        {
            v[i] = random.nextInt(3) == 0 ? 0 : random.nextInt(1, 6);
        }
        return v;
    }
}
