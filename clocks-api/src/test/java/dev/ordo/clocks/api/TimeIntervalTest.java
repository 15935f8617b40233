package dev.ordo.clocks.api;

import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeIntervalTest
{
    @Test
    void exactlyOneOrderHoldsAndBeforeMirrorsAfter()
    {
        final long seed = Seeds.seed("TimeIntervalTest.exactlyOneOrderHoldsAndBeforeMirrorsAfter");
        final SplittableRandom random = new SplittableRandom(seed);
        final TimeInterval a = new TimeInterval();
        final TimeInterval b = new TimeInterval();
        for (int i = 0; i < 100_000; i++)
        {
            randomInterval(random, a);
            randomInterval(random, b);
            final IntervalOrder ab = a.order(b);
            final IntervalOrder ba = b.order(a);
            final int holding = (a.isCertainlyBefore(b) ? 1 : 0) + (a.isCertainlyAfter(b) ? 1 : 0) +
                (a.overlaps(b) ? 1 : 0);
            assertThat(holding).as("seed %d: %s vs %s", seed, a, b).isEqualTo(1);
            assertThat(ab == IntervalOrder.BEFORE).as("seed %d", seed).isEqualTo(ba == IntervalOrder.AFTER);
            assertThat(ab == IntervalOrder.OVERLAPPING).as("seed %d", seed).isEqualTo(ba == IntervalOrder.OVERLAPPING);
            assertThat(ab).as("seed %d", seed)
                .isEqualTo(TimeInterval.order(a.earliestNs(), a.latestNs(), b.earliestNs(), b.latestNs()));
            // BEFORE means every instant of a precedes every instant of b.
            if (ab == IntervalOrder.BEFORE)
            {
                assertThat(a.latestNs()).as("seed %d", seed).isLessThan(b.earliestNs());
            }
        }
    }

    @Test
    void shouldBeTransitiveWhenCertainlyBefore()
    {
        final long seed = Seeds.seed("TimeIntervalTest.shouldBeTransitiveWhenCertainlyBefore");
        final SplittableRandom random = new SplittableRandom(seed);
        final TimeInterval a = new TimeInterval();
        final TimeInterval b = new TimeInterval();
        final TimeInterval c = new TimeInterval();
        for (int i = 0; i < 100_000; i++)
        {
            randomInterval(random, a);
            randomInterval(random, b);
            randomInterval(random, c);
            if (a.isCertainlyBefore(b) && b.isCertainlyBefore(c))
            {
                assertThat(a.isCertainlyBefore(c)).as("seed %d", seed).isTrue();
            }
        }
    }

    @Test
    void unboundedIntervalShouldOverlapEverythingAndPromiseNothing()
    {
        final TimeInterval unknown = new TimeInterval().setUnbounded(42, ClockStatus.UNKNOWN);
        final TimeInterval point = new TimeInterval(5, 5, ClockStatus.SYNCHRONIZED);
        assertThat(unknown.isBounded()).isFalse();
        assertThat(unknown.order(point)).isEqualTo(IntervalOrder.OVERLAPPING);
        assertThat(unknown.isAfter(Long.MIN_VALUE)).isFalse();
        assertThat(unknown.isBefore(Long.MAX_VALUE)).isFalse();
        assertThat(unknown.widthNs()).isEqualTo(Long.MAX_VALUE);
        assertThat(unknown.readingNs()).isEqualTo(42);
    }

    @Test
    void afterAndBeforeShouldBeStrict()
    {
        final TimeInterval interval = new TimeInterval(100, 200, ClockStatus.SYNCHRONIZED);
        assertThat(interval.isAfter(99)).isTrue();
        assertThat(interval.isAfter(100)).isFalse();
        assertThat(interval.isBefore(201)).isTrue();
        assertThat(interval.isBefore(200)).isFalse();
        assertThat(interval.contains(100)).isTrue();
        assertThat(interval.contains(200)).isTrue();
        assertThat(interval.readingNs()).isEqualTo(150);
        assertThat(interval.widthNs()).isEqualTo(100);
    }

    @Test
    void shouldRejectInvertedIntervalNamingValuesAndStayUnchanged()
    {
        final TimeInterval interval = new TimeInterval(100, 200, ClockStatus.SYNCHRONIZED);
        assertThatThrownBy(() -> interval.set(300, 200, ClockStatus.SYNCHRONIZED))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("earliestNs=300")
            .hasMessageContaining("latestNs=200");
        assertThatThrownBy(() -> interval.set(100, 200, 250, ClockStatus.SYNCHRONIZED))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readingNs=250");
        assertThatThrownBy(() -> interval.set(100, 200, null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("status=null");
        assertThat(interval.earliestNs()).isEqualTo(100);
        assertThat(interval.latestNs()).isEqualTo(200);
    }

    @Test
    void midpointShouldNotOverflow()
    {
        assertThat(new TimeInterval(Long.MAX_VALUE - 2, Long.MAX_VALUE, ClockStatus.SYNCHRONIZED).readingNs())
            .isEqualTo(Long.MAX_VALUE - 1);
        assertThat(new TimeInterval(Long.MIN_VALUE, Long.MIN_VALUE + 2, ClockStatus.SYNCHRONIZED).readingNs())
            .isEqualTo(Long.MIN_VALUE + 1);
    }

    @Test
    void statusCodesShouldMatchClockBound()
    {
        assertThat(ClockStatus.UNKNOWN.code()).isEqualTo(0);
        assertThat(ClockStatus.SYNCHRONIZED.code()).isEqualTo(1);
        assertThat(ClockStatus.FREE_RUNNING.code()).isEqualTo(2);
        assertThat(ClockStatus.DISRUPTED.code()).isEqualTo(3);
        for (final ClockStatus status : ClockStatus.values())
        {
            assertThat(ClockStatus.fromCode(status.code())).isEqualTo(status);
        }
        assertThat(ClockStatus.fromCode(4)).isEqualTo(ClockStatus.UNKNOWN);
        assertThat(ClockStatus.fromCode(-1)).isEqualTo(ClockStatus.UNKNOWN);
    }

    private static void randomInterval(final SplittableRandom random, final TimeInterval out)
    {
        final long start = random.nextLong(1_000);
        final long width = random.nextInt(10) == 0 ? 0 : random.nextLong(200);
        out.set(start, start + width, ClockStatus.SYNCHRONIZED);
    }

    @Test
    void shouldPrintReadableInstantsAndTheHalfWidth()
    {
        final TimeInterval interval = new TimeInterval(1_700_000_000_000_000_000L, 1_700_000_000_002_000_000L,
            ClockStatus.SYNCHRONIZED);
        org.assertj.core.api.Assertions.assertThat(interval.toString())
            .isEqualTo("[2023-11-14T22:13:20Z, 2023-11-14T22:13:20.002Z] (±1000000 ns) SYNCHRONIZED");
        org.assertj.core.api.Assertions.assertThat(new TimeInterval().toString()).isEqualTo("[unbounded] UNKNOWN");
    }
    /**
     * Attack: an interval wider than Long.MAX_VALUE ns (both ends finite) used to print a negative half-width,
     * "(±-1 ns)", because the width overflowed before it was halved.
     */
    @Test
    void theHalfWidthOfAVeryWideIntervalShouldPrintWithoutOverflow()
    {
        final TimeInterval wide = new TimeInterval(Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, ClockStatus.FREE_RUNNING);
        org.assertj.core.api.Assertions.assertThat(wide.toString()).contains("(±9223372036854775806 ns)");
        org.assertj.core.api.Assertions.assertThat(wide.toValue().toString()).isEqualTo(wide.toString());
    }
}
