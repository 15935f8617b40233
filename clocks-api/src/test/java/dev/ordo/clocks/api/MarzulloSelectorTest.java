package dev.ordo.clocks.api;

import dev.ordo.clocks.testing.AllocationMeter;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarzulloSelectorTest
{
    @Test
    void intersectionShouldContainTheTruthWhenAtMostTheAllowedFalsetickersLie()
    {
        final long seed = Seeds.seed("MarzulloSelector contains truth");
        final SplittableRandom random = new SplittableRandom(seed);
        final MarzulloSelector selector = new MarzulloSelector(16);
        for (int round = 0; round < 20_000; round++)
        {
            final int n = random.nextInt(1, 17);
            final int liars = random.nextInt(0, (n + 1) / 2);
            final long truth = random.nextLong(-1_000_000, 1_000_000);
            final long[] offsets = new long[n];
            final long[] bounds = new long[n];
            for (int i = 0; i < n; i++)
            {
                bounds[i] = random.nextLong(0, 100_000);
                offsets[i] = i < liars ?
                    random.nextLong(-3_000_000, 3_000_000) : truth + random.nextLong(-bounds[i], bounds[i] + 1);
            }
            if (!selector.select(offsets, bounds, n))
            {
                assertThat(liars).as("seed %d round %d: honest majority always agrees", seed, round).isPositive();
                continue;
            }
            assertThat(selector.lowNs()).isLessThanOrEqualTo(selector.highNs());
            if (liars <= selector.falsetickers())
            {
                assertThat(truth).as("seed %d, round %d", seed, round).isBetween(selector.lowNs(), selector.highNs());
                for (int i = liars; i < n; i++)
                {
                    assertThat(selector.agrees(offsets[i], bounds[i])).as("seed %d, honest %d", seed, i).isTrue();
                }
            }
        }
    }

    @Test
    void sweepShouldMatchABruteForceCountOfCoveringIntervals()
    {
        final long seed = Seeds.seed("MarzulloSelector brute force");
        final SplittableRandom random = new SplittableRandom(seed);
        final MarzulloSelector selector = new MarzulloSelector(9);
        for (int round = 0; round < 5_000; round++)
        {
            final int n = random.nextInt(1, 10);
            final long[] offsets = new long[n];
            final long[] bounds = new long[n];
            for (int i = 0; i < n; i++)
            {
                offsets[i] = random.nextLong(-50, 50);
                bounds[i] = random.nextLong(0, 20);
            }
            final boolean found = selector.select(offsets, bounds, n);
            // brute force over integer points: the smallest f with a point covered n - f times
            int bestF = -1;
            long low = 0;
            long high = 0;
            for (int f = 0; 2 * f < n && bestF < 0; f++)
            {
                long lo = Long.MAX_VALUE;
                long hi = Long.MIN_VALUE;
                for (long x = -80; x <= 80; x++)
                {
                    int cover = 0;
                    for (int i = 0; i < n; i++)
                    {
                        cover += Math.abs(x - offsets[i]) <= bounds[i] ? 1 : 0;
                    }
                    if (cover >= n - f)
                    {
                        lo = Math.min(lo, x);
                        hi = Math.max(hi, x);
                    }
                }
                if (lo <= hi)
                {
                    bestF = f;
                    low = lo;
                    high = hi;
                }
            }
            assertThat(found).as("seed %d round %d", seed, round).isEqualTo(bestF >= 0);
            if (found)
            {
                assertThat(new long[]{selector.lowNs(), selector.highNs(), selector.falsetickers()})
                    .as("seed %d round %d", seed, round).containsExactly(low, high, bestF);
            }
        }
    }

    @Test
    void touchingIntervalsShouldOverlapAndExtremeValuesShouldSaturate()
    {
        final MarzulloSelector selector = new MarzulloSelector(2);
        assertThat(selector.select(new long[]{0, 20}, new long[]{10, 10}, 2)).isTrue();
        assertThat(selector.lowNs()).isEqualTo(10);
        assertThat(selector.highNs()).isEqualTo(10);
        assertThat(selector.select(new long[]{Long.MAX_VALUE, Long.MIN_VALUE}, new long[]{5, 5}, 1)).isTrue();
        assertThat(selector.highNs()).isEqualTo(Long.MAX_VALUE);
        assertThat(selector.select(new long[0], new long[0], 0)).isFalse();
        assertThatThrownBy(() -> selector.select(new long[]{1, 2, 3}, new long[]{1, 1, 1}, 3))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> selector.select(new long[]{1}, new long[]{-1}, 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative bound");
        assertThat(selector.found()).isFalse();
    }

    @Test
    void selectionShouldNotAllocate() throws Exception
    {
        final MarzulloSelector selector = new MarzulloSelector(8);
        final long[] offsets = {0, 10, 20, 5_000, -3, 7, 12, 9};
        final long[] bounds = {15, 15, 15, 1, 15, 15, 15, 15};
        final long bytes = AllocationMeter.allocatedBytes(AllocationMeter.MILLION / 10, iterations ->
        {
            for (int i = 0; i < iterations; i++)
            {
                offsets[0] = i & 7;
                selector.select(offsets, bounds, 8);
            }
        });
        assertThat(bytes).isZero();
    }

    @Test
    void offsetArithmeticShouldBoundTheTruthWhateverTheAsymmetry()
    {
        final long seed = Seeds.seed("OffsetArithmetic bound");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 100_000; round++)
        {
            final long trueOffset = random.nextLong(-10_000_000_000L, 10_000_000_000L); // peer minus host
            final long t1 = 1_800_000_000_000_000_000L + random.nextLong(1_000_000_000L);
            final long outbound = random.nextLong(0, 5_000_000);
            final long hold = random.nextLong(0, 5_000_000);
            final long inbound = random.nextLong(0, 5_000_000);
            final long t2 = t1 + outbound + trueOffset;
            final long t3 = t2 + hold;
            final long t4 = t1 + outbound + hold + inbound;
            final long offset = OffsetArithmetic.offsetNs(t1, t2, t3, t4);
            final long delay = OffsetArithmetic.delayNs(t1, t2, t3, t4);
            assertThat(delay).isEqualTo(outbound + inbound);
            final long bound = OffsetArithmetic.boundNs(delay, OffsetArithmetic.dispersionNs(0, 0, t4 - t1));
            assertThat(Math.abs(offset - trueOffset)).as("seed %d round %d", seed, round).isLessThanOrEqualTo(bound);
        }
        assertThat(OffsetArithmetic.frequencyErrorNs(1_000_000_000L, 15)).isEqualTo(15_000);
        assertThat(OffsetArithmetic.frequencyErrorNs(1, 15)).isEqualTo(1);
        assertThat(OffsetArithmetic.frequencyErrorNs(Long.MAX_VALUE, 1_000_000)).isEqualTo(Long.MAX_VALUE);
        assertThat(OffsetArithmetic.midpointNs(-3, 4)).isZero();
        assertThat(OffsetArithmetic.midpointNs(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }
}
