package dev.ordo.clocks.lamport;

import dev.ordo.clocks.api.ClockOverflowException;
import dev.ordo.clocks.api.InvalidTimestampException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicLamportClockTest
{
    @Test
    void tickShouldCountLocalEvents()
    {
        final AtomicLamportClock clock = new AtomicLamportClock();
        assertThat(clock.current()).isZero();
        assertThat(clock.tick()).isEqualTo(1);
        assertThat(clock.tick()).isEqualTo(2);
        assertThat(clock.current()).isEqualTo(2);
    }

    @Test
    void updateShouldReturnMaxOfLocalAndReceivedPlusOne()
    {
        final AtomicLamportClock clock = new AtomicLamportClock(10);
        assertThat(clock.update(3)).isEqualTo(11);
        assertThat(clock.update(42)).isEqualTo(43);
        assertThat(clock.update(43)).isEqualTo(44);
        assertThat(clock.tick()).isEqualTo(45);
    }

    @Test
    void shouldRejectNegativeReceivedTimestampsAndStayUnchanged()
    {
        final AtomicLamportClock clock = new AtomicLamportClock(5);
        assertThatThrownBy(() -> clock.update(-1))
            .isInstanceOf(InvalidTimestampException.class)
            .hasMessageContaining("-1");
        assertThat(clock.current()).isEqualTo(5);
        assertThatThrownBy(() -> new AtomicLamportClock(-3)).isInstanceOf(InvalidTimestampException.class);
    }

    @Test
    void shouldRefuseToOverflowAndStayAtTheMaximum()
    {
        final AtomicLamportClock clock = new AtomicLamportClock(Long.MAX_VALUE - 1);
        assertThat(clock.tick()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(clock::tick)
            .isInstanceOf(ClockOverflowException.class)
            .hasMessageContaining("Long.MAX_VALUE")
            .hasMessageContaining("unchanged");
        assertThat(clock.current()).isEqualTo(Long.MAX_VALUE);

        final AtomicLamportClock other = new AtomicLamportClock();
        assertThatThrownBy(() -> other.update(Long.MAX_VALUE)).isInstanceOf(ClockOverflowException.class);
        assertThat(other.current()).isZero();
        assertThat(other.update(Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldSwitchToTheCheckedPathNearTheTopAndStillCountCorrectly()
    {
        final long start = Long.MAX_VALUE - (1L << 32) - 2;
        final AtomicLamportClock clock = new AtomicLamportClock(start);
        for (int i = 1; i <= 10; i++)
        {
            assertThat(clock.tick()).isEqualTo(start + i);
        }
    }
}
