package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.UpperBoundStore;
import dev.ordo.clocks.hlc.AtomicHybridClock.StoreStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MICROS timestamps are negative {@code long}s from 2041 on (52 bits of microseconds, 12 logical bits), so the
 * durable bound of a MICROS clock is too: the file store must hold every bound the clock writes.
 */
class MicrosUpperBoundAfter2041Test
{
    /** 2050-01-01T00:00:00Z in microseconds: its MICROS timestamps have the sign bit set. */
    private static final long MICROS_2050 = 2_524_608_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldPersistAndRestartAMicrosClockAfter2041()
    {
        final AtomicLong physical = new AtomicLong(MICROS_2050);
        final Path file = dir.resolve("bound");
        final AtomicHybridClock first = AtomicHybridClock.builder()
            .epochMicroClock(physical::get)
            .upperBoundStore(new FileUpperBoundStore(file), StoreStart.FIRST_START)
            .build();
        final long issued = first.now();
        assertThat(issued).isNegative(); // a valid MICROS timestamp after 2041
        assertThat(HybridTimestampFormat.MICROS.isValid(issued)).isTrue();

        physical.addAndGet(-5_000_000); // the physical clock steps back 5 s across the "crash"
        final AtomicHybridClock restarted = AtomicHybridClock.builder()
            .epochMicroClock(physical::get)
            .upperBoundStore(new FileUpperBoundStore(file), StoreStart.RESTART)
            .maxStartupWait(java.time.Duration.ZERO).acceptBoundAhead(java.time.Duration.ofSeconds(10))
            .build();
        assertThat(Long.compareUnsigned(restarted.now(), issued)).isPositive();
    }

    @Test
    void shouldRefuseTheNoneValueAndValuesPastTheUnsignedRangeAsCorrupt() throws Exception
    {
        final Path file = dir.resolve("bound");
        for (final String content : new String[]{
            "ordo-upper-bound 1 " + Long.toUnsignedString(UpperBoundStore.NONE) + "\n",
            "ordo-upper-bound 1 18446744073709551616\n", "ordo-upper-bound 1 -5\n"})
        {
            Files.writeString(file, content);
            assertThatThrownBy(() -> new FileUpperBoundStore(file).load())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("corrupt upper-bound file");
        }
    }
}
