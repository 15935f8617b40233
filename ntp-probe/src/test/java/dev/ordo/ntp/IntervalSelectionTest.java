package dev.ordo.ntp;

import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntervalSelectionTest
{
    @Test
    void threeAgreeingServersShouldIntersectAndAnOutlierShouldBeAFalseticker()
    {
        final IntervalSelection s = IntervalSelection.select(
            new long[]{100, 120, 90, 5_000}, new long[]{30, 30, 30, 30});
        assertThat(s.found()).isTrue();
        assertThat(s.falsetickers()).isEqualTo(1);
        assertThat(s.lowNs()).isEqualTo(90);
        assertThat(s.highNs()).isEqualTo(120);
        assertThat(s.truechimer()).containsExactly(true, true, true, false);
    }

    @Test
    void twoDisagreeingServersShouldHaveNoMajority()
    {
        final IntervalSelection s = IntervalSelection.select(new long[]{0, 1_000}, new long[]{10, 10});
        assertThat(s.found()).isFalse();
    }

    @Test
    void oneServerShouldBeItsOwnInterval()
    {
        final IntervalSelection s = IntervalSelection.select(new long[]{-7}, new long[]{3});
        assertThat(s.found()).isTrue();
        assertThat(s.lowNs()).isEqualTo(-10);
        assertThat(s.highNs()).isEqualTo(-4);
    }

    @Test
    void emptyInputShouldFindNothingAndBadInputShouldBeNamed()
    {
        assertThat(IntervalSelection.select(new long[0], new long[0]).found()).isFalse();
        assertThatThrownBy(() -> IntervalSelection.select(new long[]{1}, new long[]{-2}))
            .hasMessageContaining("-2 ns");
        assertThatThrownBy(() -> IntervalSelection.select(new long[]{1}, new long[0]))
            .hasMessageContaining("1 vs 0");
    }

    @Test
    void intersectionShouldContainTheTruthWhenFewerThanHalfTheServersLie()
    {
        final long seed = Seeds.seed("marzullo contains truth");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 20_000; round++)
        {
            final int n = random.nextInt(1, 9);
            final int liars = random.nextInt(0, (n + 1) / 2);
            final long truth = random.nextLong(-1_000_000, 1_000_000);
            final long[] offsets = new long[n];
            final long[] bounds = new long[n];
            for (int i = 0; i < n; i++)
            {
                bounds[i] = random.nextLong(1, 100_000);
                offsets[i] = i < liars ?
                    random.nextLong(-3_000_000, 3_000_000) : truth + random.nextLong(-bounds[i], bounds[i] + 1);
            }
            final IntervalSelection s = IntervalSelection.select(offsets, bounds);
            if (!s.found())
            {
                continue;
            }
            // Under the algorithm's own assumption (at most s.falsetickers() liars), the truth is inside.
            if (liars <= s.falsetickers())
            {
                assertThat(truth).as("seed %d, round %d", seed, round).isBetween(s.lowNs(), s.highNs());
                for (int i = liars; i < n; i++)
                {
                    assertThat(s.truechimer()[i]).as("seed %d, honest server %d", seed, i).isTrue();
                }
            }
        }
    }

    @Test
    void honestServersAloneShouldAlwaysBeSelectedWithoutFalsetickers()
    {
        final long seed = Seeds.seed("honest servers always agree");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 20_000; round++)
        {
            final int n = random.nextInt(1, 9);
            final long truth = random.nextLong(-1_000_000, 1_000_000);
            final long[] offsets = new long[n];
            final long[] bounds = new long[n];
            for (int i = 0; i < n; i++)
            {
                bounds[i] = random.nextLong(1, 100_000);
                offsets[i] = truth + random.nextLong(-bounds[i], bounds[i] + 1);
            }
            final IntervalSelection s = IntervalSelection.select(offsets, bounds);
            assertThat(s.found()).as("seed %d, round %d", seed, round).isTrue();
            assertThat(truth).as("seed %d, round %d", seed, round).isBetween(s.lowNs(), s.highNs());
        }
    }
}
