package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.hlc.AtomicHybridClock.StoreStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ordo.clocks.api.HybridTimestampFormat.MICROS;
import static dev.ordo.clocks.api.HybridTimestampFormat.MILLIS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bound file says which format wrote it. Read by a clock of the other format, a bound is off by a factor of
 * about 1000: a {@code MILLIS} bound read as {@code MICROS} lands in 1970 (the restarted clock could repeat
 * timestamps issued before the crash), a {@code MICROS} bound read as {@code MILLIS} lands millennia ahead.
 * Failed before the fix: the {@code MICROS} clock started silently from the {@code MILLIS} file, and the reverse
 * was refused only as "ahead of physical time" with advice to wait longer.
 */
class UpperBoundFormatTagTest
{
    /** 2026-11-18T11:06:40Z. */
    private static final long T0_MS = 1_795_000_000_000L;

    @TempDir
    Path dir;

    private final AtomicLong physicalMs = new AtomicLong(T0_MS);

    private AtomicHybridClock.Builder clock(final HybridTimestampFormat format)
    {
        return format == MILLIS ?
            AtomicHybridClock.builder().epochClock(physicalMs::get) :
            AtomicHybridClock.builder().epochMicroClock(() -> physicalMs.get() * 1000);
    }

    @Test
    void aMicrosClockShouldRefuseABoundFileWrittenByAMillisClock() throws Exception
    {
        final Path file = dir.resolve("hlc.bound");
        clock(MILLIS).upperBoundStore(new FileUpperBoundStore(file), StoreStart.FIRST_START).build().now();
        final String written = Files.readString(file);
        physicalMs.addAndGet(5_000); // restarted 5 s later, now as a MICROS clock

        assertThatThrownBy(() -> clock(MICROS).upperBoundStore(new FileUpperBoundStore(file)).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(file.toString())
            .hasMessageContaining("holds a MILLIS bound")
            .hasMessageContaining("this clock is MICROS")
            .hasMessageContaining("1970"); // what the bound would have meant
        assertThat(Files.readString(file)).as("the refused file is left as it was").isEqualTo(written);
    }

    @Test
    void aMillisClockShouldRefuseABoundFileWrittenByAMicrosClock()
    {
        final Path file = dir.resolve("hlc.bound");
        clock(MICROS).upperBoundStore(new FileUpperBoundStore(file), StoreStart.FIRST_START).build().now();
        physicalMs.addAndGet(5_000);

        assertThatThrownBy(() -> clock(MILLIS).upperBoundStore(new FileUpperBoundStore(file)).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("holds a MICROS bound")
            .hasMessageContaining("this clock is MILLIS");
    }

    @Test
    void theFileShouldNameTheFormatOfTheClockThatWroteIt() throws Exception
    {
        for (final HybridTimestampFormat format : HybridTimestampFormat.values())
        {
            final Path file = dir.resolve("hlc-" + format + ".bound");
            final FileUpperBoundStore store = new FileUpperBoundStore(file);
            final AtomicHybridClock clock = clock(format).upperBoundStore(store, StoreStart.FIRST_START).build();
            final long bound = store.load(format);
            assertThat(Files.readString(file))
                .isEqualTo("ordo-upper-bound 2 " + format + " " + Long.toUnsignedString(bound) + "\n");
            assertThat(format.compare(clock.now(), bound)).isNegative();
        }
    }

    @Test
    void switchingFormatsOnPurposeShouldWorkWithTheContentTheMessageSuggests() throws Exception
    {
        for (final HybridTimestampFormat from : HybridTimestampFormat.values())
        {
            final HybridTimestampFormat to = from == MILLIS ? MICROS : MILLIS;
            final Path file = dir.resolve("switch-" + from + ".bound");
            final AtomicHybridClock old = clock(from).upperBoundStore(new FileUpperBoundStore(file), StoreStart.FIRST_START)
                .build();
            old.now();
            final long oldBound = new FileUpperBoundStore(file).load(from);
            String message = "";
            try
            {
                clock(to).upperBoundStore(new FileUpperBoundStore(file)).build();
            }
            catch (final IllegalStateException ex)
            {
                message = ex.getMessage();
            }
            final Matcher suggested = Pattern.compile("\"(ordo-upper-bound 2 " + to + " [0-9]+)\"").matcher(message);
            assertThat(suggested.find()).as(message).isTrue();
            Files.writeString(file, suggested.group(1) + "\n");
            final long converted = new FileUpperBoundStore(file).load(to);
            // The same instant, rounded up: no instant below the old bound is at or above the new one.
            final long oldBoundNs = from.physicalUnit().toNanos(from.physical(oldBound));
            final long newBoundNs = to.physicalUnit().toNanos(to.physical(converted));
            assertThat(newBoundNs).isGreaterThanOrEqualTo(oldBoundNs).isLessThan(oldBoundNs + 1_000_000);
            physicalMs.addAndGet(1_000); // past the bound: the restart need not wait
            final AtomicHybridClock switched = clock(to).upperBoundStore(new FileUpperBoundStore(file)).build();
            assertThat(to.compare(switched.now(), converted)).isPositive();
        }
    }

    @Test
    void anUntaggedFileFromAnOlderVersionShouldBeReadWhenPlausibleAndTaggedAtTheNextWrite() throws Exception
    {
        for (final HybridTimestampFormat format : HybridTimestampFormat.values())
        {
            final Path file = dir.resolve("legacy-" + format + ".bound");
            final long unitsPerMs = format == MILLIS ? 1 : 1000;
            final long bound = format.fromPhysical((T0_MS - 1_000) * unitsPerMs); // a second behind physical time
            Files.writeString(file, "ordo-upper-bound 1 " + Long.toUnsignedString(bound) + "\n");
            assertThat(new FileUpperBoundStore(file).load(format)).isEqualTo(bound);

            final AtomicHybridClock clock = clock(format).upperBoundStore(new FileUpperBoundStore(file)).build();
            assertThat(format.compare(clock.now(), bound)).isPositive();
            assertThat(Files.readString(file)).startsWith("ordo-upper-bound 2 " + format + " ");
        }
    }

    @Test
    void anUntaggedFileWhoseValueIsImplausibleInTheClocksFormatShouldBeRefusedNamingTheLikelyFormat() throws Exception
    {
        final Path file = dir.resolve("legacy.bound");
        final long millisBound = MILLIS.fromPhysical(T0_MS + 100);
        Files.writeString(file, "ordo-upper-bound 1 " + millisBound + "\n");
        assertThatThrownBy(() -> clock(MICROS).upperBoundStore(new FileUpperBoundStore(file)).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("no format tag")
            .hasMessageContaining("read as MICROS, is 1970-")
            .hasMessageContaining("written by a MILLIS clock")
            .hasMessageContaining("ordo-upper-bound 2 MICROS " + millisBound);

        final long microsBound = MICROS.fromPhysical((T0_MS + 100) * 1000);
        Files.writeString(file, "ordo-upper-bound 1 " + microsBound + "\n");
        assertThatThrownBy(() -> clock(MILLIS).upperBoundStore(new FileUpperBoundStore(file)).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("no format tag")
            .hasMessageContaining("written by a MICROS clock");
    }

    @Test
    void aStoreBuiltForOneFormatShouldRefuseAClockOfTheOtherBeforeTouchingTheFile()
    {
        final Path file = dir.resolve("hlc.bound");
        assertThatThrownBy(() -> clock(MICROS)
            .upperBoundStore(new FileUpperBoundStore(file, MILLIS), StoreStart.FIRST_START).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("built for MILLIS bounds")
            .hasMessageContaining("MICROS clock");
        assertThat(file).doesNotExist();
        clock(MICROS).upperBoundStore(new FileUpperBoundStore(file, MICROS), StoreStart.FIRST_START).build();
        assertThat(new FileUpperBoundStore(file, MICROS).load()).isEqualTo(new FileUpperBoundStore(file).load(MICROS));
    }

    @Test
    void aStoreWithoutAFormatOfItsOwnShouldNotWriteAnUntaggedBound()
    {
        final FileUpperBoundStore store = new FileUpperBoundStore(dir.resolve("hlc.bound"));
        assertThatThrownBy(() -> store.store(MILLIS.fromPhysical(T0_MS)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("no format");
        assertThat(dir.resolve("hlc.bound")).doesNotExist();
    }
}
