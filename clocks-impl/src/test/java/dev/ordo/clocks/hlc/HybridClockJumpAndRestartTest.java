package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.ForwardJumpPolicy;
import dev.ordo.clocks.api.HybridClock;
import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.PhysicalClockJumpedException;
import dev.ordo.clocks.api.UpperBoundStore;
import dev.ordo.clocks.hlc.AtomicHybridClock.StoreStart;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.ordo.clocks.api.HybridTimestamps.pack;
import static dev.ordo.clocks.api.HybridTimestamps.timeMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10 items 5 and 6 and issue 11's java.time and store items. Before the fixes: a 1 h forward step of
 * the physical clock was taken silently (no counter, no listener); a restarted clock whose bound was ahead
 * of physical time started that far ahead (700 ms after a legal +500 ms update); a bound in the year 6321
 * was accepted silently; a deleted bound file was silently a first start; a store in a missing directory
 * failed only at the first {@code now()}.
 */
class HybridClockJumpAndRestartTest
{
    private static final long T0 = 1_795_000_000_000L;

    @TempDir
    Path dir;

    private final CachedEpochClock physical = new CachedEpochClock();
    private final CachedNanoClock monotonic = new CachedNanoClock();

    HybridClockJumpAndRestartTest()
    {
        physical.update(T0);
        monotonic.update(1_000_000_000L);
    }

    /** Physical and monotonic time move together by {@code ms}. */
    private void elapse(final long ms)
    {
        physical.advance(ms);
        monotonic.advance(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void aForwardStepBeyondTheThresholdShouldBeCountedAndReportedOnceButElapsedTimeShouldNot()
    {
        final List<long[]> reports = new ArrayList<>();
        final AtomicHybridClock clock = AtomicHybridClock.builder()
            .epochClock(physical).monotonicClock(monotonic)
            .forwardJumpListener((expected, current) -> reports.add(new long[]{expected, current}))
            .build();
        clock.now();
        elapse(10_000); // idle for 10 s: physical and monotonic time agree, no jump
        clock.now();
        for (int i = 0; i < 3_000; i++)
        {
            elapse(1);
            clock.now();
        }
        assertThat(clock.forwardJumps()).isZero();

        physical.advance(3_600_000); // the physical clock steps 1 h ahead; monotonic time does not
        final long afterJump = clock.now();
        clock.now();
        elapse(1);
        clock.now();
        assertThat(clock.forwardJumps()).isEqualTo(1);
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0)[1] - reports.get(0)[0]).isEqualTo(3_600_000);
        assertThat(timeMs(afterJump)).as("REPORT follows physical time").isEqualTo(physical.time() - 1);
    }

    @Test
    void refusePolicyShouldStopIssuingWithTheClockUnchangedUntilAcknowledged()
    {
        final AtomicHybridClock clock = AtomicHybridClock.builder()
            .epochClock(physical).monotonicClock(monotonic)
            .forwardJumpThreshold(Duration.ofMillis(100))
            .forwardJumpPolicy(ForwardJumpPolicy.REFUSE)
            .build();
        final long before = clock.now();
        physical.advance(150);
        assertThatThrownBy(clock::now)
            .isInstanceOf(PhysicalClockJumpedException.class)
            .hasMessageContaining("acknowledgeForwardJump");
        assertThatThrownBy(() -> clock.update(before)).isInstanceOf(PhysicalClockJumpedException.class);
        assertThatThrownBy(() -> clock.tryUpdate(before)).isInstanceOf(PhysicalClockJumpedException.class);
        assertThat(clock.current()).isEqualTo(before);
        assertThat(clock.isRefusingAfterForwardJump()).isTrue();
        clock.acknowledgeForwardJump();
        assertThat(clock.now()).isEqualTo(pack(T0 + 150, 0));
        assertThat(clock.forwardJumps()).isEqualTo(1);
    }

    @Test
    void aRestartWithTheBoundAheadShouldWaitUntilPhysicalTimePassesItAndSayHowLong()
    {
        final long boundMs = System.currentTimeMillis() + 300;
        final MemoryStore store = new MemoryStore(pack(boundMs, 0));
        final AtomicHybridClock clock = AtomicHybridClock.builder()
            .epochClock(System::currentTimeMillis)
            .upperBoundStore(store, StoreStart.RESTART)
            .build();
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(boundMs);
        assertThat(clock.startupWait()).isBetween(1L, 1_000L);
        final long first = clock.now();
        assertThat(first).isGreaterThan(pack(boundMs, 0));
        assertThat(clock.aheadOfPhysical()).as("not ahead of physical time after the wait").isLessThanOrEqualTo(1);
    }

    @Test
    void anImplausibleBoundShouldBeRefusedUnlessTheOperatorAcceptsIt() throws Exception
    {
        final Path file = dir.resolve("hlc.bound");
        final long year6321 = HybridTimestampFormat.MILLIS.parse("6321-01-01T00:00:00Z");
        Files.writeString(file, "ordo-upper-bound 2 MILLIS " + year6321 + "\n");
        assertThatThrownBy(() -> AtomicHybridClock.builder().epochClock(physical)
            .upperBoundStore(new FileUpperBoundStore(file)).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("6321-01-01")
            .hasMessageContaining("ahead of physical time");
        final AtomicHybridClock accepted = AtomicHybridClock.builder().epochClock(physical)
            .upperBoundStore(new FileUpperBoundStore(file))
            .acceptBoundAhead(Duration.ofDays(365L * 5000))
            .build();
        assertThat(accepted.now()).isGreaterThan(year6321);
    }

    @Test
    void firstStartShouldBeExplicitSoALostBoundIsNeverSilentlyAFreshClock() throws Exception
    {
        final Path file = dir.resolve("hlc.bound");
        assertThatThrownBy(() -> AtomicHybridClock.builder().epochClock(physical)
            .upperBoundStore(new FileUpperBoundStore(file)).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("holds no bound")
            .hasMessageContaining("FIRST_START");
        assertThat(file).doesNotExist();
        AtomicHybridClock.builder().epochClock(physical)
            .upperBoundStore(new FileUpperBoundStore(file), StoreStart.FIRST_START).build().now();
        assertThat(file).exists();
        assertThatThrownBy(() -> AtomicHybridClock.builder().epochClock(physical)
            .upperBoundStore(new FileUpperBoundStore(file), StoreStart.FIRST_START).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("already holds a bound");
        physical.advance(1_000); // past the stored bound, so the restart does not wait
        AtomicHybridClock.builder().epochClock(physical).upperBoundStore(new FileUpperBoundStore(file)).build();
        physical.advance(1_000);
        Files.delete(file); // the bound is lost
        assertThatThrownBy(() -> AtomicHybridClock.builder().epochClock(physical)
            .upperBoundStore(new FileUpperBoundStore(file)).build())
            .isInstanceOf(IllegalStateException.class);
        AtomicHybridClock.builder().epochClock(physical)
            .upperBoundStore(new FileUpperBoundStore(file), StoreStart.FIRST_START_OR_RESTART).build();
    }

    @Test
    void aStoreInAMissingDirectoryShouldFailWhenBuiltNotAtTheFirstNow()
    {
        assertThatThrownBy(() -> new FileUpperBoundStore(dir.resolve("missing").resolve("hlc.bound")))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("does not exist");
    }

    @Test
    void javaTimeSourcesDurationsAndTheInstantSourceViewShouldWork()
    {
        final Instant start = Instant.parse("2026-11-22T10:15:30.123456Z");
        final AtomicHybridClock millis = AtomicHybridClock.builder()
            .instantSource(Clock.fixed(start, ZoneOffset.UTC), HybridTimestampFormat.MILLIS)
            .maxOffset(Duration.ofMillis(250))
            .build();
        assertThat(millis.maxOffset()).isEqualTo(250);
        assertThat(millis.maxOffsetDuration()).isEqualTo(Duration.ofMillis(250));
        assertThat(timeMs(millis.now())).isEqualTo(start.toEpochMilli());

        final AtomicHybridClock micros = AtomicHybridClock.builder()
            .instantSource(Clock.fixed(start, ZoneOffset.UTC), HybridTimestampFormat.MICROS)
            .build();
        assertThat(HybridTimestampFormat.MICROS.physical(micros.now())).isEqualTo(1_795_342_530_123_456L);

        final InstantSource view = micros.asInstantSource();
        final Instant a = view.instant();
        final Instant b = view.instant();
        assertThat(a).isEqualTo(start);
        assertThat(b).isAfterOrEqualTo(a);
        assertThat(view.millis()).isEqualTo(start.toEpochMilli());
        assertThat(HybridClock.isRejected(micros.tryUpdate(micros.now()))).isFalse();
    }

    /** A store in memory. */
    private static final class MemoryStore implements UpperBoundStore
    {
        private long bound;

        MemoryStore(final long bound)
        {
            this.bound = bound;
        }

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
}
