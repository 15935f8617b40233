package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.UpperBoundStore;
import dev.ordo.clocks.hlc.AtomicHybridClock.StoreStart;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.ordo.clocks.api.HybridTimestamps.pack;
import static dev.ordo.clocks.api.HybridTimestamps.timeMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileUpperBoundStoreTest
{
    private static final long T0 = 1_795_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldReportNothingStoredForAMissingFile()
    {
        assertThat(new FileUpperBoundStore(dir.resolve("bound")).load()).isEqualTo(UpperBoundStore.NONE);
    }

    /**
     * A clock's task cancelled while the clock refreshes its bound: the interrupt arrives during the I/O. Failed
     * before the fix: NIO closed the channel (ClosedByInterruptException) and the store or load failed. A store that
     * starts over must write the whole bound again, not the rest of a half-consumed buffer.
     */
    @Test
    void anInterruptArrivingDuringTheIoShouldNotFailItAndShouldBeKept() throws Exception
    {
        final FileUpperBoundStore store = new FileUpperBoundStore(dir.resolve("bound"), HybridTimestampFormat.MICROS);
        final Thread caller = Thread.currentThread();
        final java.util.concurrent.ScheduledExecutorService interrupter =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try
        {
            for (int i = 1; i <= 100; i++)
            {
                final java.util.concurrent.Future<?> shot = interrupter.schedule(caller::interrupt,
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(3_000), TimeUnit.MICROSECONDS);
                store.store(T0 * 1_000_000 + i);
                assertThat(store.load()).isEqualTo(T0 * 1_000_000 + i);
                while (!shot.isDone())
                {
                    Thread.onSpinWait();
                }
                assertThat(Thread.interrupted()).as("the interrupt of round " + i + " is kept").isTrue();
            }
        }
        finally
        {
            interrupter.shutdownNow();
            Thread.interrupted();
        }
        assertThat(Files.readString(dir.resolve("bound"))).isEqualTo(
            "ordo-upper-bound 2 MICROS " + (T0 * 1_000_000 + 100) + "\n");
    }

    @Test
    void shouldRoundTripAndLeaveNoTemporaryFileBehind() throws Exception
    {
        final FileUpperBoundStore store = new FileUpperBoundStore(dir.resolve("bound"), HybridTimestampFormat.MILLIS);
        store.store(123);
        store.store(Long.MAX_VALUE);
        assertThat(new FileUpperBoundStore(dir.resolve("bound")).load()).isEqualTo(Long.MAX_VALUE);
        try (var files = Files.list(dir))
        {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("bound");
        }
    }

    @Test
    void shouldRefuseACorruptFileWithItsPath() throws Exception
    {
        final Path file = dir.resolve("bound");
        for (final String content : new String[]{"", "garbage", "ordo-upper-bound 1 12x\n", "ordo-upper-bound 1 12",
            "ordo-upper-bound 1 99999999999999999999\n", "ordo-upper-bound 2 12\n", "ordo-upper-bound 2 NANOS 12\n",
            "ordo-upper-bound 2 millis 12\n", "ordo-upper-bound 2 MILLIS 12", "ordo-upper-bound 2 MILLIS  12\n",
            "ordo-upper-bound 3 MILLIS 12\n", "ordo-upper-bound 2 MILLIS\n"})
        {
            Files.writeString(file, content);
            assertThatThrownBy(() -> new FileUpperBoundStore(file).load())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("corrupt upper-bound file " + file);
        }
    }

    @Test
    void clockShouldNotStartFromACorruptStoreAndSayWhy() throws Exception
    {
        final Path file = dir.resolve("bound");
        Files.writeString(file, "not a bound");
        assertThatThrownBy(() -> AtomicHybridClock.builder().upperBoundStore(new FileUpperBoundStore(file)).build())
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("refusing to start a clock");
    }

    @Test
    void clockShouldPersistAWindowAheadAndRestartAboveItEvenWhenPhysicalTimeSteppedBack()
    {
        final Path file = dir.resolve("bound");
        final CachedEpochClock physical = new CachedEpochClock();
        physical.update(T0);
        final AtomicHybridClock first = AtomicHybridClock.builder()
            .epochClock(physical).upperBoundStore(new FileUpperBoundStore(file), StoreStart.FIRST_START)
            .persistWindow(100, TimeUnit.MILLISECONDS).build();
        assertThat(new FileUpperBoundStore(file).load()).isEqualTo(pack(T0 + 100, 0));
        long last = 0;
        for (int ms = 0; ms < 1000; ms += 7)
        {
            physical.update(T0 + ms);
            last = first.now();
            assertThat(last).isLessThan(new FileUpperBoundStore(file).load());
        }

        // "Crash", and the host comes back with its clock 10 s behind; the operator accepts a clock that
        // starts that far ahead rather than waiting (the default would refuse: more than the 10 s wait).
        physical.update(T0 - 10_000);
        final AtomicHybridClock second = AtomicHybridClock.builder()
            .epochClock(physical).upperBoundStore(new FileUpperBoundStore(file))
            .acceptBoundAhead(Duration.ofSeconds(20))
            .persistWindow(100, TimeUnit.MILLISECONDS).build();
        assertThat(second.now()).isGreaterThan(last);
        assertThat(second.aheadOfPhysical()).isGreaterThanOrEqualTo(10_000);
    }

    @Test
    void aCallThatWaitedForASlowStoreShouldReturnATimestampFromAfterTheWait()
    {
        final CachedEpochClock physical = new CachedEpochClock();
        physical.update(T0);
        final UpperBoundStore slow = new UpperBoundStore()
        {
            private long value = NONE;

            @Override
            public long load()
            {
                return value;
            }

            @Override
            public void store(final long upperBound)
            {
                physical.advance(700); // the fsync took 700 ms
                value = upperBound;
            }
        };
        final AtomicHybridClock clock = AtomicHybridClock.builder()
            .epochClock(physical).upperBoundStore(slow, StoreStart.FIRST_START).persistWindow(10, TimeUnit.MILLISECONDS).build();
        physical.update(T0 + 5_000); // far past the durable bound: the next call must wait for the store
        final long ts = clock.now();
        // Not stale: fresher than the call's start, as fresh as the durable bound allows (the store took
        // longer than the window, which must not make the caller loop forever).
        assertThat(timeMs(ts)).isGreaterThan(T0 + 5_000);
        assertThat(ts).isLessThan(slow.load());
        final long next = clock.now();
        assertThat(next).isGreaterThan(ts).isLessThan(slow.load());
    }

    @Test
    void aFailingStoreShouldFailTheCallerAndLeaveTheClockUnchanged()
    {
        final CachedEpochClock physical = new CachedEpochClock();
        physical.update(T0);
        final boolean[] broken = {false};
        final UpperBoundStore flaky = new UpperBoundStore()
        {
            private long value = NONE;

            @Override
            public long load()
            {
                return value;
            }

            @Override
            public void store(final long upperBound)
            {
                if (broken[0])
                {
                    throw new UncheckedIOException(new java.io.IOException("disk full"));
                }
                value = upperBound;
            }
        };
        final AtomicHybridClock clock = AtomicHybridClock.builder()
            .epochClock(physical).upperBoundStore(flaky, StoreStart.FIRST_START).persistWindow(10, TimeUnit.MILLISECONDS).build();
        final long before = clock.now();
        broken[0] = true;
        physical.advance(50); // past the durable bound: the clock must persist before issuing
        assertThatThrownBy(clock::now).isInstanceOf(UncheckedIOException.class).hasMessageContaining("disk full");
        assertThat(clock.current()).isEqualTo(before);
        broken[0] = false;
        assertThat(clock.now()).isEqualTo(pack(T0 + 50, 0));
    }
}
