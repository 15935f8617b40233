package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.BoundedClock;
import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBounds;
import dev.ordo.clocks.api.IntervalOrder;
import dev.ordo.clocks.api.TimeInterval;
import dev.ordo.clocks.api.TimeIntervalValue;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 11: java.time forms of the bounded clock (builders on InstantSource/Clock, Instant, Duration, values). */
class JavaTimeFormsTest
{
    private static final Instant T = Instant.parse("2026-12-02T02:00:00.123456789Z");
    private static final long T_NS = 1_796_176_800_123_456_789L;

    @Test
    void builderOnAFixedClockShouldGiveIntervalsAroundItsInstant()
    {
        final ErrorBoundedClock clock = ErrorBoundedClock.builder(FixedErrorBound.of(Duration.ofMillis(2)))
            .realTimeClock(Clock.fixed(T, ZoneOffset.UTC))
            .build();
        final TimeInterval interval = clock.now(new TimeInterval());
        assertThat(interval.readingNs()).isEqualTo(T_NS);
        assertThat(interval.earliest()).isEqualTo(T.minusMillis(2));
        assertThat(interval.latest()).isEqualTo(T.plusMillis(2));

        final TimeIntervalValue value = clock.now();
        assertThat(value).isEqualTo(interval.toValue());
        assertThat(value).isEqualTo(new TimeIntervalValue(T_NS - 2_000_000, T_NS + 2_000_000, T_NS, ClockStatus.SYNCHRONIZED));
        assertThat(value.hashCode()).isEqualTo(interval.toValue().hashCode());
        assertThat(value.earliest()).isEqualTo(T.minusMillis(2));
        assertThat(value.latest()).isEqualTo(T.plusMillis(2));
        assertThat(value.reading()).isEqualTo(T);
        assertThat(value.toString()).isEqualTo(interval.toString());
        assertThat(new TimeInterval().set(value).toValue()).isEqualTo(value);

        final InstantSource view = clock.asInstantSource();
        assertThat(view.instant()).isEqualTo(T);
        assertThat(view.millis()).isEqualTo(T.toEpochMilli());
    }

    @Test
    void builderOnAnOffsetClockShouldFollowTheOffset()
    {
        final Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        final BoundedClock clock = ErrorBoundedClock.builder(new FixedErrorBound(1_000)).realTimeClock(ahead).build();
        final Instant before = Instant.now().plus(Duration.ofHours(1));
        final TimeIntervalValue value = clock.now();
        assertThat(value.reading()).isBetween(before, Instant.now().plus(Duration.ofHours(1)));
        assertThat(clock.asInstantSource().instant()).isAfterOrEqualTo(value.reading());
    }

    @Test
    void defaultInterfaceFormsShouldAgreeWithThePrimitiveOnes() throws Exception
    {
        final ErrorBoundedClock inner = ErrorBoundedClock.builder(new FixedErrorBound(500))
            .realTimeClock(Clock.fixed(T, ZoneOffset.UTC)).build();
        final BoundedClock viaDefaults = new BoundedClock()
        {
            @Override
            public TimeInterval now(final TimeInterval out)
            {
                return inner.now(out);
            }

            @Override
            public boolean after(final long timeNs)
            {
                return inner.after(timeNs);
            }

            @Override
            public boolean before(final long timeNs)
            {
                return inner.before(timeNs);
            }

            @Override
            public long commitWait(final long timeNs) throws InterruptedException
            {
                return inner.commitWait(timeNs);
            }

            @Override
            public long commitWait(final long timeNs, final long timeoutNs) throws InterruptedException
            {
                return inner.commitWait(timeNs, timeoutNs);
            }
        };
        assertThat(viaDefaults.now()).isEqualTo(inner.now());
        assertThat(viaDefaults.asInstantSource().instant()).isEqualTo(T);
        // The fixed clock never moves, so a target after its latest can never certainly pass.
        assertThat(viaDefaults.commitWait(T_NS + 1_000, Duration.ofMillis(20))).isEqualTo(BoundedClock.TIMED_OUT);
        assertThat(viaDefaults.commitWait(T_NS - 1_000, Duration.ZERO)).isZero();
        assertThatThrownBy(() -> viaDefaults.commitWait(T_NS, Duration.ofNanos(-1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThat(viaDefaults.commitWait(T_NS - 1_000, Duration.ofSeconds(Long.MAX_VALUE))).as("saturates").isZero();
    }

    @Test
    void unboundedValuesShouldUseInstantMinAndMaxAndOrderLikeIntervals()
    {
        final ErrorBoundedClock unknown = ErrorBoundedClock.builder((m) -> ErrorBounds.UNKNOWN)
            .realTimeClock(Clock.fixed(T, ZoneOffset.UTC)).build();
        final TimeIntervalValue value = unknown.now();
        assertThat(value.isBounded()).isFalse();
        assertThat(value.status()).isEqualTo(ClockStatus.UNKNOWN);
        assertThat(value.earliest()).isEqualTo(Instant.MIN);
        assertThat(value.latest()).isEqualTo(Instant.MAX);
        assertThat(value.reading()).isEqualTo(T);
        assertThat(new TimeInterval().earliest()).isEqualTo(Instant.MIN);

        final TimeIntervalValue a = new TimeIntervalValue(100, 200, 150, ClockStatus.SYNCHRONIZED);
        final TimeIntervalValue b = new TimeIntervalValue(201, 300, 250, ClockStatus.SYNCHRONIZED);
        assertThat(a.order(b)).isEqualTo(IntervalOrder.BEFORE);
        assertThat(b.order(a)).isEqualTo(IntervalOrder.AFTER);
        assertThat(a.order(value)).isEqualTo(IntervalOrder.OVERLAPPING);
        assertThat(a.contains(100)).isTrue();
        assertThat(a.isAfter(99)).isTrue();
        assertThat(a.isBefore(201)).isTrue();
        assertThat(a.widthNs()).isEqualTo(100);
        assertThatThrownBy(() -> new TimeIntervalValue(5, 4, 4, ClockStatus.SYNCHRONIZED))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("earliestNs=5");
        assertThatThrownBy(() -> new TimeIntervalValue(1, 4, 2, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void instantsOutsideTheNanosecondRangeShouldSaturate()
    {
        assertThat(ErrorBoundedClock.epochNs(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
        assertThat(ErrorBoundedClock.epochNs(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
        assertThat(ErrorBoundedClock.epochNs(T)).isEqualTo(T_NS);
        assertThat(ErrorBoundedClock.epochNs(Instant.ofEpochSecond(-1, 5))).isEqualTo(-999_999_995L);
    }
    /**
     * Attack: instants inside the {@code long} range but in its last (or first) second, e.g. 2262-04-11T23:47:16Z,
     * used to saturate to Long.MAX_VALUE (Long.MIN_VALUE): a reading up to 0.85 s ahead of the real-time clock, so
     * an interval with a smaller bound did not contain the clock's own instant.
     */
    @Test
    void everyInstantInsideTheNanosecondRangeShouldConvertExactly()
    {
        for (final long epochNs : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE - 854_775_807L,
            Long.MAX_VALUE - 854_775_808L, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MIN_VALUE + 145_224_192L,
            Long.MIN_VALUE + 145_224_191L, -1, 0, 1})
        {
            final Instant instant = Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L),
                Math.floorMod(epochNs, 1_000_000_000L));
            assertThat(ErrorBoundedClock.epochNs(instant)).as("%s", instant).isEqualTo(epochNs);
        }
        assertThat(ErrorBoundedClock.epochNs(Instant.ofEpochSecond(9_223_372_036L, 854_775_808))).isEqualTo(Long.MAX_VALUE);
        assertThat(ErrorBoundedClock.epochNs(Instant.ofEpochSecond(-9_223_372_037L, 145_224_191)))
            .isEqualTo(Long.MIN_VALUE);
        final Instant lastSecond = Instant.ofEpochSecond(9_223_372_036L, 0);
        final ErrorBoundedClock clock = ErrorBoundedClock.builder(new FixedErrorBound(1_000))
            .realTimeClock(java.time.Clock.fixed(lastSecond, java.time.ZoneOffset.UTC)).build();
        assertThat(clock.now().contains(9_223_372_036_000_000_000L)).isTrue();
    }
}
