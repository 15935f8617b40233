package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.ClockOverflowException;
import dev.ordo.clocks.api.HybridClock;
import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.InvalidTimestampException;
import dev.ordo.clocks.lamport.AtomicLamportClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Absurd inputs at the edges of the HLC, its format and the Lamport clock: clear refusals, state unchanged. */
class HlcAbsurdInputsTest
{
    private static final long T0 = 1_795_000_000_000L;

    @Test
    void rejectionCodesAndExtremeRemotesShouldBeRefusedWithTheClockUnchangedInBothFormats()
    {
        for (final HybridTimestampFormat format : HybridTimestampFormat.values())
        {
            final long physical = format == HybridTimestampFormat.MILLIS ? T0 : T0 * 1000;
            final AtomicHybridClock clock = format == HybridTimestampFormat.MILLIS ?
                AtomicHybridClock.builder().epochClock(() -> physical).build() :
                AtomicHybridClock.builder().epochMicroClock(() -> physical).build();
            final long before = clock.now();
            for (final long remote : new long[]{-1, -2, -3, Long.MIN_VALUE, Long.MAX_VALUE, clock.largestTimestamp()})
            {
                final long result = clock.tryUpdate(remote);
                assertThat(HybridClock.isRejected(result)).as(format + " tryUpdate(" + remote + ")").isTrue();
                assertThat(clock.current()).isEqualTo(before);
                assertThatThrownBy(() -> clock.update(remote)).isInstanceOf(RuntimeException.class);
                assertThat(clock.current()).isEqualTo(before);
            }
        }
    }

    @Test
    void aClockStartedAtItsLargestTimestampShouldRefuseEveryCallAndStayThere()
    {
        final AtomicLong physical = new AtomicLong(T0);
        final long top = HybridTimestampFormat.MILLIS.maxTimestamp() - (1L << 32);
        final AtomicHybridClock clock = AtomicHybridClock.builder()
            .epochClock(physical::get).maxOffset(Long.MAX_VALUE, TimeUnit.DAYS).initialTimestamp(top).build();
        assertThatThrownBy(clock::now).isInstanceOf(ClockOverflowException.class);
        assertThat(HybridClock.isRejected(clock.tryUpdate(top - 5))).isTrue(); // too far ahead (max offset saturates at 292 years)
        assertThat(clock.current()).isEqualTo(top);
    }

    @Test
    void parseShouldRefuseHugeAndNonAsciiInputQuicklyWithItsOwnException()
    {
        final String zeros = "0".repeat(10_000);
        for (final String text : new String[]{
            "2026-11-22T10:15:30.123Z/" + "9".repeat(10_000),
            "２０２６-11-22T10:15:30.123Z/5", "2026-11-22T10:15:30.123Z/٥", "2026-11-22T10:15:30.123Z/+5",
            "2026-11-22T10:15:30.123Z/-0", "9".repeat(10_000), "2026-11-22T10:15:30.123Z/5/5", ""})
        {
            assertThatThrownBy(() -> HybridTimestampFormat.MILLIS.parse(text))
                .as(text.length() > 40 ? text.substring(0, 40) : text)
                .isInstanceOf(InvalidTimestampException.class);
        }
        assertThatThrownBy(() -> HybridTimestampFormat.MILLIS.parse("2026-11-22T10:15:30.123Z/" + zeros + "7"))
            .isInstanceOf(InvalidTimestampException.class)
            .hasMessageContaining("leading zero"); // one text per timestamp: /7 only
    }

    @Test
    void hugeDurationsShouldSaturateNotOverflow()
    {
        final AtomicHybridClock clock = AtomicHybridClock.builder().epochClock(() -> T0)
            .maxOffset(Duration.ofSeconds(Long.MAX_VALUE)).forwardJumpThreshold(Duration.ofSeconds(Long.MAX_VALUE))
            .maxStartupWait(Duration.ofSeconds(Long.MAX_VALUE)).build();
        assertThat(clock.maxOffset()).isPositive();
        assertThat(clock.now() >>> 16).isEqualTo(T0);
    }

    /**
     * Failed before the fix: in {@code MILLIS} a window of 292 years (the saturated {@code Duration}) built a clock
     * whose every bound, and so every restart, lay centuries ahead; in {@code MICROS} the build failed with "cannot
     * persist an upper bound past the largest MICROS time", which says nothing about the window.
     */
    @Test
    void aHugePersistWindowShouldBeRefusedByTheBuilderNamingTheAllowedRangeAndWhy()
    {
        for (final Runnable setter : new Runnable[]{
            () -> AtomicHybridClock.builder().persistWindow(Duration.ofSeconds(Long.MAX_VALUE)),
            () -> AtomicHybridClock.builder().persistWindow(Long.MAX_VALUE, TimeUnit.DAYS),
            () -> AtomicHybridClock.builder().persistWindow(Duration.ofMillis(AtomicHybridClock.MAX_PERSIST_WINDOW_MS + 1)),
            () -> AtomicHybridClock.builder().persistWindow(AtomicHybridClock.MAX_PERSIST_WINDOW_MS * 1000 + 1,
                TimeUnit.MICROSECONDS)})
        {
            assertThatThrownBy(setter::run)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 1 hour")
                .hasMessageContaining("restarted clock finds its bound up to a window ahead");
        }
        for (final HybridTimestampFormat format : HybridTimestampFormat.values())
        {
            final InMemoryStore store = new InMemoryStore();
            final AtomicHybridClock.Builder builder = format == HybridTimestampFormat.MILLIS ?
                AtomicHybridClock.builder().epochClock(() -> T0) : AtomicHybridClock.builder().epochMicroClock(() -> T0 * 1000);
            final AtomicHybridClock clock = builder
                .upperBoundStore(store, AtomicHybridClock.StoreStart.FIRST_START)
                .persistWindow(Duration.ofMillis(AtomicHybridClock.MAX_PERSIST_WINDOW_MS)).build();
            final long unitsPerMs = format == HybridTimestampFormat.MILLIS ? 1 : 1000;
            assertThat(format.physical(store.bound)).isEqualTo((T0 + AtomicHybridClock.MAX_PERSIST_WINDOW_MS) * unitsPerMs);
            assertThat(format.compare(clock.now(), store.bound)).isNegative();
        }
    }

    /**
     * Failed before the fix: with an unlimited startup wait and a bound a thousand years ahead, the deadline
     * ({@code nanoTime + ahead * 10^6}) overflowed, and the build failed at once with "the physical clock is not
     * advancing" instead of waiting. Here the physical clock reaches the bound at its second reading.
     */
    @Test
    void aBoundCenturiesAheadWithAnUnlimitedStartupWaitShouldBeWaitedForExactly()
    {
        final long thousandYearsMs = 1000L * 365 * 86_400_000L;
        final long boundMs = T0 + thousandYearsMs;
        final InMemoryStore store = new InMemoryStore();
        store.bound = HybridTimestampFormat.MILLIS.fromPhysical(boundMs);
        final AtomicLong reads = new AtomicLong();
        final AtomicHybridClock clock = AtomicHybridClock.builder()
            .epochClock(() -> reads.getAndIncrement() == 0 ? T0 : boundMs + 1) // NTP steps it at the first wait
            .upperBoundStore(store)
            .maxStartupWait(Duration.ofSeconds(Long.MAX_VALUE))
            .build();
        assertThat(clock.startupWait()).isEqualTo(thousandYearsMs + 1);
        assertThat(clock.now()).isGreaterThan(HybridTimestampFormat.MILLIS.fromPhysical(boundMs));
    }

    /** An in-memory store: the bound, {@code NONE} until stored. */
    private static final class InMemoryStore implements dev.ordo.clocks.api.UpperBoundStore
    {
        long bound = NONE;

        @Override
        public long load()
        {
            return bound;
        }

        @Override
        public void store(final long upperBound)
        {
            bound = upperBound;
        }
    }

    @Test
    void lamportAtItsTopShouldRefuseWithTheValueUnchanged()
    {
        final AtomicLamportClock clock = new AtomicLamportClock(AtomicLamportClock.MAX_VALUE, 10);
        assertThatThrownBy(clock::tick).isInstanceOf(ClockOverflowException.class);
        assertThatThrownBy(() -> clock.update(Long.MAX_VALUE)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> clock.update(Long.MIN_VALUE)).isInstanceOf(InvalidTimestampException.class);
        assertThatThrownBy(() -> clock.update(0)).isInstanceOf(ClockOverflowException.class);
        assertThat(clock.current()).isEqualTo(AtomicLamportClock.MAX_VALUE);
    }
}
