package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.ClockOverflowException;
import dev.ordo.clocks.api.HybridClock;
import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.HybridTimestamps;
import dev.ordo.clocks.api.InvalidTimestampException;
import dev.ordo.clocks.api.MaxOffsetExceededException;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.ordo.clocks.api.HybridTimestamps.logical;
import static dev.ordo.clocks.api.HybridTimestamps.pack;
import static dev.ordo.clocks.api.HybridTimestamps.timeMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicHybridClockTest
{
    private static final long T0 = 1_795_000_000_000L; // November 2026, in ms

    private final CachedEpochClock physical = new CachedEpochClock();
    private final AtomicHybridClock clock;

    AtomicHybridClockTest()
    {
        physical.update(T0);
        clock = AtomicHybridClock.builder().epochClock(physical).build();
    }

    @Test
    void shouldFollowPhysicalTimeWhenItAdvances()
    {
        assertThat(clock.now()).isEqualTo(pack(T0, 0));
        physical.advance(5);
        assertThat(clock.now()).isEqualTo(pack(T0 + 5, 0));
        assertThat(clock.current()).isEqualTo(pack(T0 + 5, 0));
    }

    @Test
    void shouldCountLogicallyWithinOneMillisecond()
    {
        final long first = clock.now();
        final long second = clock.now();
        final long third = clock.now();
        assertThat(timeMs(third)).isEqualTo(T0);
        assertThat(logical(first)).isZero();
        assertThat(logical(second)).isEqualTo(1);
        assertThat(logical(third)).isEqualTo(2);
    }

    @Test
    void updateShouldExceedTheRemoteAndEveryEarlierTimestamp()
    {
        final long local = clock.now();
        final long remote = pack(T0 + 100, 7);
        final long received = clock.update(remote);
        assertThat(received).isGreaterThan(remote).isGreaterThan(local).isEqualTo(pack(T0 + 100, 8));
        // Physical time is now behind the clock: the next local event continues logically.
        assertThat(clock.now()).isEqualTo(pack(T0 + 100, 9));
        assertThat(clock.maxAheadOfPhysical()).isEqualTo(100);
        assertThat(clock.aheadOfPhysical()).isEqualTo(100);
    }

    @Test
    void updateWithAnOlderRemoteShouldStillTick()
    {
        final long local = clock.now();
        final long received = clock.update(pack(T0 - 1000, 3));
        assertThat(received).isEqualTo(local + 1);
    }

    @Test
    void updateShouldUsePhysicalTimeWhenItIsAheadOfBoth()
    {
        clock.update(pack(T0 - 10, 0));
        physical.advance(3);
        assertThat(clock.update(pack(T0 - 5, 9))).isEqualTo(pack(T0 + 3, 0));
    }

    @Test
    void shouldRejectRemoteTimestampBeyondMaxOffsetAndLeaveTheClockUnchanged()
    {
        final long before = clock.now();
        final long remote = pack(T0 + 501, 0);

        assertThat(clock.tryUpdate(remote)).isEqualTo(HybridClock.REJECTED_TOO_FAR_AHEAD);
        assertThat(HybridClock.isRejected(clock.tryUpdate(remote))).isTrue();
        assertThatThrownBy(() -> clock.update(remote))
            .isInstanceOf(MaxOffsetExceededException.class)
            .hasMessageContaining(HybridTimestamps.toString(remote))
            .hasMessageContaining(HybridTimestamps.toString(pack(T0, 0)))
            .hasMessageContaining("501 ms ahead")
            .hasMessageContaining("max offset is 500 ms")
            .satisfies(ex ->
            {
                final MaxOffsetExceededException e = (MaxOffsetExceededException)ex;
                assertThat(e.remoteTimestamp()).isEqualTo(remote);
                assertThat(e.localPhysical()).isEqualTo(T0);
                assertThat(e.maxOffset()).isEqualTo(500);
                assertThat(e.aheadBy()).isEqualTo(501);
            });

        assertThat(clock.current()).isEqualTo(before);
        assertThat(clock.rejectedUpdates()).isEqualTo(3);
        assertThat(clock.maxAheadOfPhysical()).isZero();
        assertThat(clock.now()).isEqualTo(before + 1);
    }

    @Test
    void shouldAcceptRemoteExactlyAtMaxOffset()
    {
        assertThat(clock.update(pack(T0 + 500, 0))).isEqualTo(pack(T0 + 500, 1));
    }

    @Test
    void maxOffsetShouldBeConfigurable()
    {
        final AtomicHybridClock strict = AtomicHybridClock.builder()
            .epochClock(physical).maxOffset(20, TimeUnit.MILLISECONDS).build();
        assertThat(strict.maxOffset()).isEqualTo(20);
        assertThat(strict.tryUpdate(pack(T0 + 21, 0))).isEqualTo(HybridClock.REJECTED_TOO_FAR_AHEAD);
        assertThat(strict.tryUpdate(pack(T0 + 20, 0))).isEqualTo(pack(T0 + 20, 1));
    }

    @Test
    void shouldRejectInvalidRemoteTimestampsAndLeaveTheClockUnchanged()
    {
        final long before = clock.now();
        for (final long bad : new long[]{-1, -2, -3, Long.MIN_VALUE, -12345})
        {
            assertThat(clock.tryUpdate(bad)).isEqualTo(HybridClock.REJECTED_INVALID);
            assertThatThrownBy(() -> clock.update(bad))
                .isInstanceOf(InvalidTimestampException.class)
                .hasMessageContaining(Long.toString(bad))
                .hasMessageContaining("unchanged");
        }
        assertThat(clock.current()).isEqualTo(before);
        assertThat(clock.rejectedUpdates()).isEqualTo(10);
    }

    @Test
    void logicalOverflowShouldCarryIntoThePhysicalPartAndBeObservable()
    {
        long previous = clock.now();
        for (int i = 0; i < 70_000; i++)
        {
            final long next = clock.now();
            assertThat(next).isGreaterThan(previous);
            previous = next;
        }
        // 70 001 events in one millisecond: the 65 536th carried into the next millisecond.
        assertThat(timeMs(previous)).isEqualTo(T0 + 1);
        assertThat(logical(previous)).isEqualTo(70_000 - 65_536);
        assertThat(clock.overflowCarries()).isEqualTo(1);
        assertThat(clock.maxAheadOfPhysical()).isEqualTo(1);
        assertThat(clock.aheadOfPhysical()).isEqualTo(1);

        physical.advance(2);
        assertThat(clock.now()).isEqualTo(pack(T0 + 2, 0));
        assertThat(clock.aheadOfPhysical()).isZero();
    }

    @Test
    void aLongStretchBehindAFastRemoteShouldRunAheadOfPhysicalTimeByTheRemotesLead()
    {
        clock.update(pack(T0 + 400, 0));
        for (int i = 0; i < 200_000; i++)
        {
            clock.now();
        }
        // 200 001 events at a physical time 400 ms behind: three carries, still bounded by lead + carries.
        assertThat(clock.overflowCarries()).isEqualTo(3);
        assertThat(clock.maxAheadOfPhysical()).isEqualTo(403);
        physical.advance(1000);
        assertThat(clock.now()).isEqualTo(pack(T0 + 1000, 0));
    }

    @Test
    void shouldStayMonotonicAcrossABackwardJumpAndReportItOnce()
    {
        final List<long[]> jumps = new ArrayList<>();
        final AtomicHybridClock watched = AtomicHybridClock.builder()
            .epochClock(physical)
            .backwardJumpListener((previousMs, currentMs) -> jumps.add(new long[]{previousMs, currentMs}))
            .build();
        physical.update(T0 + 1000);
        final long beforeJump = watched.now();
        physical.update(T0 + 100);
        final long afterJump = watched.now();
        final long again = watched.now();

        assertThat(afterJump).isGreaterThan(beforeJump);
        assertThat(again).isGreaterThan(afterJump);
        assertThat(watched.backwardJumps()).isEqualTo(1);
        assertThat(jumps).containsExactly(new long[]{T0 + 1000, T0 + 100});
        assertThat(watched.maxAheadOfPhysical()).isEqualTo(900);
    }

    @Test
    void backwardStepsWithinToleranceShouldNotCount()
    {
        final AtomicHybridClock tolerant = AtomicHybridClock.builder()
            .epochClock(physical).backwardJumpTolerance(50, TimeUnit.MILLISECONDS).build();
        physical.update(T0 + 100);
        tolerant.now();
        physical.update(T0 + 60);
        tolerant.now();
        assertThat(tolerant.backwardJumps()).isZero();
        physical.update(T0 + 40);
        tolerant.now();
        assertThat(tolerant.backwardJumps()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToPassTheLargestTimestampAndStayUnchanged()
    {
        final long max = HybridTimestampFormat.MILLIS.maxTimestamp() - (1L << 32);
        final AtomicHybridClock full = AtomicHybridClock.builder().epochClock(physical).initialTimestamp(max).build();
        assertThat(full.largestTimestamp()).isEqualTo(max);
        assertThatThrownBy(full::now)
            .isInstanceOf(ClockOverflowException.class)
            .hasMessageContaining("largest MILLIS timestamp")
            .hasMessageContaining("unchanged");
        assertThat(full.current()).isEqualTo(max);
        assertThat(full.tryUpdate(pack(T0, 0))).isEqualTo(HybridClock.REJECTED_OVERFLOW);
        assertThatThrownBy(() -> full.update(pack(T0, 0))).isInstanceOf(ClockOverflowException.class);
        assertThat(full.current()).isEqualTo(max);
        assertThatThrownBy(() -> AtomicHybridClock.builder().initialTimestamp(max + 1).build())
            .isInstanceOf(InvalidTimestampException.class);
    }

    @Test
    void shouldRejectANonsensePhysicalClock()
    {
        final AtomicLong nowMs = new AtomicLong(-5);
        final AtomicHybridClock broken = AtomicHybridClock.builder().epochClock(nowMs::get).build();
        assertThatThrownBy(broken::now)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("physical clock returned -5 ms");
        assertThat(broken.current()).isZero();
    }

    @Test
    void microsecondFormatShouldUseTheMicrosecondSourceAndTwelveLogicalBits()
    {
        final AtomicLong micros = new AtomicLong(T0 * 1000 + 123);
        final AtomicHybridClock micro = AtomicHybridClock.builder().epochMicroClock(micros::get).build();
        final HybridTimestampFormat format = HybridTimestampFormat.MICROS;
        assertThat(micro.format()).isEqualTo(format);
        assertThat(micro.maxOffset()).isEqualTo(500_000);
        final long first = micro.now();
        assertThat(first).isEqualTo(format.pack(T0 * 1000 + 123, 0));
        assertThat(micro.now()).isEqualTo(format.pack(T0 * 1000 + 123, 1));
        assertThat(micro.tryUpdate(format.pack(T0 * 1000 + 123 + 500_001, 0)))
            .isEqualTo(HybridClock.REJECTED_TOO_FAR_AHEAD);
        assertThat(micro.update(format.pack(T0 * 1000 + 200, 4))).isEqualTo(format.pack(T0 * 1000 + 200, 5));
    }

    @Test
    void microsecondClockShouldKeepOrderPastTheYear2041()
    {
        final HybridTimestampFormat format = HybridTimestampFormat.MICROS;
        final long y2050 = format.physical(format.parse("2050-01-01T00:00:00Z"));
        final AtomicLong micros = new AtomicLong(y2050);
        final AtomicHybridClock micro = AtomicHybridClock.builder().epochMicroClock(micros::get).build();
        final long a = micro.now();
        final long b = micro.update(format.pack(y2050 + 10, 0));
        micros.addAndGet(1000);
        final long c = micro.now();
        assertThat(a).isNegative();
        assertThat(format.compare(a, b)).isNegative();
        assertThat(format.compare(b, c)).isNegative();
        assertThat(format.toString(c)).isEqualTo("2050-01-01T00:00:00.001000Z/0");
    }

    @Test
    void builderShouldRejectNonsenseSettings()
    {
        assertThatThrownBy(() -> AtomicHybridClock.builder().maxOffset(0, TimeUnit.MILLISECONDS))
            .hasMessageContaining("maxOffset must be positive: 0");
        assertThatThrownBy(() -> AtomicHybridClock.builder().backwardJumpTolerance(-1, TimeUnit.SECONDS))
            .hasMessageContaining("tolerance must be >= 0");
        assertThatThrownBy(() -> AtomicHybridClock.builder().persistWindow(-3, TimeUnit.MILLISECONDS))
            .hasMessageContaining("persist window must be positive");
        assertThatThrownBy(() -> AtomicHybridClock.builder().initialTimestamp(-7).build())
            .isInstanceOf(InvalidTimestampException.class);
    }

    @Test
    void defaultClockShouldTrackTheSystemClock()
    {
        final AtomicHybridClock system = AtomicHybridClock.create();
        final long beforeMs = System.currentTimeMillis();
        final long ts = system.now();
        final long afterMs = System.currentTimeMillis();
        assertThat(timeMs(ts)).isBetween(beforeMs, afterMs);
        assertThat(system.toString()).contains("maxOffset=500ms");
    }
}
