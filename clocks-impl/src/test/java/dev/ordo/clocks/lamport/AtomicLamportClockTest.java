package dev.ordo.clocks.lamport;

import dev.ordo.clocks.api.ClockOverflowException;
import dev.ordo.clocks.api.InvalidTimestampException;
import dev.ordo.clocks.api.MaxJumpExceededException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
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
        final AtomicLamportClock clock = new AtomicLamportClock(AtomicLamportClock.MAX_VALUE - 1);
        assertThat(clock.tick()).isEqualTo(AtomicLamportClock.MAX_VALUE);
        assertThatThrownBy(clock::tick)
            .isInstanceOf(ClockOverflowException.class)
            .hasMessageContaining("largest value")
            .hasMessageContaining("unchanged");
        assertThat(clock.current()).isEqualTo(AtomicLamportClock.MAX_VALUE);

        final AtomicLamportClock other = new AtomicLamportClock();
        assertThatThrownBy(() -> other.update(Long.MAX_VALUE)).isInstanceOf(ClockOverflowException.class);
        assertThatThrownBy(() -> other.update(Long.MAX_VALUE - 1)).isInstanceOf(ClockOverflowException.class);
        assertThatThrownBy(() -> other.update(AtomicLamportClock.MAX_VALUE)).isInstanceOf(ClockOverflowException.class);
        assertThat(other.current()).isZero();
        assertThat(other.update(AtomicLamportClock.MAX_VALUE - 1)).isEqualTo(AtomicLamportClock.MAX_VALUE);
        assertThatThrownBy(() -> new AtomicLamportClock(AtomicLamportClock.MAX_VALUE + 1))
            .isInstanceOf(InvalidTimestampException.class);
    }

    @Test
    void shouldSwitchToTheCheckedPathNearTheTopAndStillCountCorrectly()
    {
        final long start = AtomicLamportClock.FAST_PATH_LIMIT - 2;
        final AtomicLamportClock clock = new AtomicLamportClock(start);
        for (int i = 1; i <= 10; i++)
        {
            assertThat(clock.tick()).isEqualTo(start + i);
        }
    }

    /**
     * Issue 10 item 1. Before the fix, a tick that passed its "below the limit" check and then added after a
     * racing {@code update(Long.MAX_VALUE - 1)} returned {@code Long.MIN_VALUE} and the clock went on from
     * there (hundreds of 2000 trials failed). Now updates never store a value above {@code MAX_VALUE}, which
     * leaves 2^32 of headroom for the ticks in flight.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tickRacingAnUpdateToTheTopShouldNeverWrap() throws Exception
    {
        for (int trial = 0; trial < 2_000; trial++)
        {
            final long target = trial % 2 == 0 ? Long.MAX_VALUE - 1 : AtomicLamportClock.MAX_VALUE - 1;
            final AtomicLamportClock clock = new AtomicLamportClock();
            final CyclicBarrier start = new CyclicBarrier(2);
            final long[] results = new long[3];
            final Thread updater = new Thread(() ->
            {
                await(start);
                try
                {
                    results[0] = clock.update(target);
                }
                catch (final ClockOverflowException ex)
                {
                    results[0] = 0;
                }
            });
            updater.start();
            await(start);
            for (int i = 1; i < results.length; i++)
            {
                try
                {
                    results[i] = clock.tick();
                }
                catch (final ClockOverflowException ex)
                {
                    results[i] = 0;
                }
            }
            updater.join();
            for (final long result : results)
            {
                assertThat(result).as("trial %d, target %d", trial, target).isNotNegative();
            }
            assertThat(clock.current()).isPositive();
            assertThatCode(clock::current).doesNotThrowAnyException();
            try
            {
                assertThat(clock.tick()).isPositive();
            }
            catch (final ClockOverflowException ex)
            {
                assertThat(clock.current()).isGreaterThanOrEqualTo(AtomicLamportClock.MAX_VALUE);
            }
        }
    }

    /**
     * Issue 10 item 2. Before the fix one hostile {@code update(MAX - 1)} wedged the clock: every later tick
     * threw. With a largest accepted jump the hostile value is refused and the clock is unchanged.
     */
    @Test
    void hostileUpdateBeyondTheLargestAcceptedJumpShouldBeRefusedWithTheClockUnchanged()
    {
        final AtomicLamportClock clock = new AtomicLamportClock(100, 1_000_000);
        assertThat(clock.maxJump()).isEqualTo(1_000_000);
        assertThatThrownBy(() -> clock.update(AtomicLamportClock.MAX_VALUE - 1))
            .isInstanceOf(MaxJumpExceededException.class)
            .hasMessageContaining("largest accepted jump is 1000000")
            .hasMessageContaining("unchanged")
            .satisfies(ex ->
            {
                final MaxJumpExceededException e = (MaxJumpExceededException)ex;
                assertThat(e.received()).isEqualTo(AtomicLamportClock.MAX_VALUE - 1);
                assertThat(e.current()).isEqualTo(100);
                assertThat(e.maxJump()).isEqualTo(1_000_000);
            });
        assertThat(clock.current()).isEqualTo(100);
        assertThat(clock.tick()).isEqualTo(101);
        assertThat(clock.update(101 + 1_000_000)).as("exactly the largest jump is accepted").isEqualTo(1_000_102);
        assertThatThrownBy(() -> clock.update(1_000_102 + 1_000_001)).isInstanceOf(MaxJumpExceededException.class);
        assertThat(clock.current()).isEqualTo(1_000_102);
        assertThat(clock.update(5)).as("values behind are always accepted").isEqualTo(1_000_103);
        assertThatThrownBy(() -> new AtomicLamportClock(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new AtomicLamportClock().maxJump()).isEqualTo(AtomicLamportClock.UNLIMITED_JUMP);
    }

    private static void await(final CyclicBarrier barrier)
    {
        try
        {
            barrier.await();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
