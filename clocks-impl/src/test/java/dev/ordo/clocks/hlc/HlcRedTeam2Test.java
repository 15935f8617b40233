package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.InvalidTimestampException;
import dev.ordo.clocks.api.UpperBoundStore;
import dev.ordo.clocks.hlc.AtomicHybridClock.StoreStart;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ordo.clocks.api.HybridTimestampFormat.MICROS;
import static dev.ordo.clocks.api.HybridTimestampFormat.MILLIS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Second red-team round on the hybrid clock's bound file (format tag, plausibility of untagged files), on
 * {@code parse}'s leading-zero rule, on the persist-window cap and on the startup wait. Each test states a
 * property; the ones that failed before their fix say so.
 */
class HlcRedTeam2Test
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

    private Path boundFile(final String content) throws Exception
    {
        final Path file = dir.resolve("hlc.bound");
        Files.write(file, content.getBytes(StandardCharsets.ISO_8859_1));
        return file;
    }

    // ---- hostile file contents -------------------------------------------------------------------------------

    @Test
    void everyMalformedContentShouldBeRefusedAsCorruptAndLeftUnchanged() throws Exception
    {
        final List<String> hostile = List.of(
            "", "\n", "ordo-upper-bound 2 MILLIS 123", "ordo-upper-bound 2 MILLIS 123\r\n",
            "ordo-upper-bound 2 MILLIS  123\n", "ordo-upper-bound 2 MILLIS 123 \n", " ordo-upper-bound 2 MILLIS 123\n",
            "ordo-upper-bound 2 millis 123\n", "ordo-upper-bound 3 MILLIS 123\n", "ordo-upper-bound 2 NANOS 123\n",
            "ordo-upper-bound 2 MILLIS -123\n", "ordo-upper-bound 2 MILLIS +123\n", "ordo-upper-bound 2 MILLIS 123x\n",
            "ordo-upper-bound 2 MILLIS 123\n\n", "ordo-upper-bound 2 MILLIS 123\ngarbage\n",
            "ordo-upper-bound 2 MILLIS 18446744073709551616\n", // 2^64
            "ordo-upper-bound 2 MILLIS 18446744073709551615\n", // NONE
            "ordo-upper-bound 2 MILLIS 000000000000000000000123\n", // too many digits
            "ordo-upper-bound 2 MILLIS\n", "ordo-upper-bound 2 MILLIS \n", "ordo-upper-bound 1 MILLIS 123\n",
            "ordo-upper-bound 2 \u0661\u0662\u0663\n", "ordo-upper-bound 2 MILLIS \u0661\u0662\u0663\n",
            "ordo-upper-bound 2 MILLIS 1\u00a0\n", "ORDO-UPPER-BOUND 2 MILLIS 123\n");
        for (final String content : hostile)
        {
            for (final HybridTimestampFormat format : HybridTimestampFormat.values())
            {
                final Path file = boundFile(content);
                final byte[] before = Files.readAllBytes(file);
                assertThatThrownBy(() -> clock(format).upperBoundStore(new FileUpperBoundStore(file)).build())
                    .as("%s read by %s", content, format)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("corrupt upper-bound file")
                    .hasMessageContaining(file.toString());
                assertThat(Files.readAllBytes(file)).as("file unchanged").isEqualTo(before);
            }
        }
    }

    @Test
    void aNonAsciiFileShouldBeReportedAsCorruptNotAsAnUndecodableRead() throws Exception
    {
        // Failed before the fix: Files.readString(US_ASCII) threw MalformedInputException ("Input length = 1"),
        // reported as "cannot read", not as a corrupt file with its content.
        final Path file = dir.resolve("hlc.bound");
        Files.write(file, "ordo-upper-bound 2 MILLIS \u0661\u0662\u0663\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new FileUpperBoundStore(file).load(MILLIS))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("corrupt upper-bound file")
            .hasMessageContaining("\\xd9");
    }

    @Test
    void aHugeSparseFileShouldBeRefusedAsCorruptWithoutFillingTheHeap() throws Exception
    {
        // Failed before the fix: Files.readString of a 3 GB file threw OutOfMemoryError.
        final Path file = dir.resolve("hlc.bound");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(3L << 30);
        }
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
            assertThatThrownBy(() -> new FileUpperBoundStore(file).load(MILLIS))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("corrupt upper-bound file"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aBoundFileLinkedToDevZeroShouldBeRefusedNotReadForever() throws Exception
    {
        final Path file = dir.resolve("hlc.bound");
        Files.createSymbolicLink(file, Path.of("/dev/zero"));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
            assertThatThrownBy(() -> new FileUpperBoundStore(file).load(MICROS))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file.toString()));
        assertThat(Files.isSymbolicLink(file)).isTrue();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aBoundFileThatIsAFifoShouldBeRefusedNotBlockOnForever() throws Exception
    {
        // Failed before the fix: opening a FIFO without a writer blocks in open(2), and build() hung forever.
        final Path fifo = dir.resolve("hlc.bound");
        final Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        final AtomicReferenceThrowable thrown = new AtomicReferenceThrowable();
        final Thread reader = new Thread(() ->
        {
            try
            {
                clock(MILLIS).upperBoundStore(new FileUpperBoundStore(fifo)).build();
            }
            catch (final Throwable t)
            {
                thrown.value = t;
            }
        });
        reader.setDaemon(true);
        reader.start();
        reader.join(10_000);
        if (reader.isAlive())
        {
            // Unblock the stuck open(2) so the thread does not linger, then fail.
            try (var out = Files.newOutputStream(fifo))
            {
                out.write("x".getBytes(StandardCharsets.US_ASCII));
            }
            reader.join(5_000);
        }
        assertThat(thrown.value).as("build() returned or threw within 10 s").isNotNull();
        assertThat(reader.isAlive()).isFalse();
        assertThat(thrown.value)
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("FIFO")
            .hasMessageContaining(fifo.toString())
            .hasMessageContaining("not a regular file");
    }

    /** A holder for a thread's outcome. */
    private static final class AtomicReferenceThrowable
    {
        volatile Throwable value;
    }

    @Test
    void aDirectoryAtTheBoundPathShouldBeAClearReadError() throws Exception
    {
        final Path file = dir.resolve("hlc.bound");
        Files.createDirectory(file);
        assertThatThrownBy(() -> clock(MILLIS).upperBoundStore(new FileUpperBoundStore(file)).build())
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining(file.toString());
        assertThat(Files.isDirectory(file)).isTrue();
    }

    // ---- temporary file ------------------------------------------------------------------------------------

    @Test
    void aLeftoverTemporaryFileFromACrashShouldBeIgnoredAndReplaced() throws Exception
    {
        final Path file = dir.resolve("hlc.bound");
        final FileUpperBoundStore store = new FileUpperBoundStore(file);
        final long bound = MILLIS.fromPhysical(T0_MS - 1000);
        store.store(bound, MILLIS);
        // A crash after writing the temporary file and before the rename leaves it behind, half written.
        Files.writeString(dir.resolve("hlc.bound.tmp"), "ordo-upper-bound 2 MILLIS 99");
        assertThat(new FileUpperBoundStore(file).load(MILLIS)).isEqualTo(bound);
        final AtomicHybridClock clock = clock(MILLIS).upperBoundStore(new FileUpperBoundStore(file)).build();
        assertThat(clock.now()).isGreaterThan(bound);
        assertThat(Files.exists(dir.resolve("hlc.bound.tmp"))).isFalse();
        assertThat(Files.readString(file)).startsWith("ordo-upper-bound 2 MILLIS ");
    }

    @Test
    void aSymlinkPlantedAtTheTemporaryPathShouldNotBeWrittenThrough() throws Exception
    {
        // Failed before the fix: the temporary file was opened with CREATE+TRUNCATE_EXISTING, which follows a
        // link: the victim was truncated and overwritten with the bound, and the link renamed over the bound file.
        final Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "precious data\n");
        final Path file = dir.resolve("hlc.bound");
        Files.createSymbolicLink(dir.resolve("hlc.bound.tmp"), victim);
        final FileUpperBoundStore store = new FileUpperBoundStore(file);
        store.store(MILLIS.fromPhysical(T0_MS), MILLIS);
        assertThat(Files.readString(victim)).isEqualTo("precious data\n");
        assertThat(Files.isSymbolicLink(file)).as("the bound file is a regular file").isFalse();
        assertThat(store.load(MILLIS)).isEqualTo(MILLIS.fromPhysical(T0_MS));
    }

    @Test
    void aDirectoryAtTheTemporaryPathShouldFailTheStoreClearlyAndKeepTheOldBound() throws Exception
    {
        final Path file = dir.resolve("hlc.bound");
        final FileUpperBoundStore store = new FileUpperBoundStore(file);
        final long bound = MILLIS.fromPhysical(T0_MS);
        store.store(bound, MILLIS);
        final Path tempDir = Files.createDirectory(dir.resolve("hlc.bound.tmp"));
        Files.writeString(tempDir.resolve("x"), "x");
        assertThatThrownBy(() -> store.store(bound + 1000, MILLIS))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("cannot durably store");
        assertThat(store.load(MILLIS)).isEqualTo(bound);
    }

    // ---- formats ---------------------------------------------------------------------------------------------

    @Test
    void twoClocksOfDifferentFormatsCannotShareOneFile() throws Exception
    {
        final Path file = dir.resolve("hlc.bound");
        clock(MILLIS).upperBoundStore(new FileUpperBoundStore(file), StoreStart.FIRST_START_OR_RESTART).build().now();
        final String written = Files.readString(file);
        assertThatThrownBy(() -> clock(MICROS)
            .upperBoundStore(new FileUpperBoundStore(file), StoreStart.FIRST_START_OR_RESTART).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("holds a MILLIS bound");
        assertThat(Files.readString(file)).isEqualTo(written);
        // A store built for one format refuses the other clock before reading the file.
        assertThatThrownBy(() -> clock(MICROS)
            .upperBoundStore(new FileUpperBoundStore(file, MILLIS), StoreStart.FIRST_START_OR_RESTART).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("built for MILLIS");
        assertThat(Files.readString(file)).isEqualTo(written);
    }

    @Test
    void untaggedFilesShouldBeReadExactlyInsideThePlausibleWindow() throws Exception
    {
        final long from = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();
        final long until = Instant.parse("2500-01-01T00:00:00Z").getEpochSecond();
        for (final HybridTimestampFormat format : HybridTimestampFormat.values())
        {
            final long perSecond = format.physicalUnit().convert(1, TimeUnit.SECONDS);
            final long first = format.fromPhysical(from * perSecond);
            final long lastBefore = format.fromPhysical(until * perSecond) - 1;
            final long tooEarly = first - 1;
            // MICROS ends in 2112 (2^52 µs): its window is cut at the format's top, and 2500 cannot be written.
            final long tooLate = format == MILLIS ? format.fromPhysical(until * perSecond) : first - 1;
            final long[] oks = format == MILLIS ? new long[]{first, lastBefore} : new long[]{first, format.maxTimestamp() - 1};
            for (final long ok : oks)
            {
                final Path file = boundFile("ordo-upper-bound 1 " + Long.toUnsignedString(ok) + "\n");
                assertThat(new FileUpperBoundStore(file).load(format)).as(format + " " + format.toString(ok)).isEqualTo(ok);
            }
            for (final long bad : new long[]{tooEarly, tooLate})
            {
                final Path file = boundFile("ordo-upper-bound 1 " + Long.toUnsignedString(bad) + "\n");
                assertThatThrownBy(() -> new FileUpperBoundStore(file).load(format))
                    .as(format + " " + Long.toUnsignedString(bad))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no format tag");
            }
        }
    }

    @Test
    void anUntaggedMicrosBoundFromAfter2041ShouldBeReadByAMicrosClockAndRefusedByAMillisOne() throws Exception
    {
        final long micros2050 = MICROS.fromPhysical(Instant.parse("2050-06-01T00:00:00Z").getEpochSecond() * 1_000_000L);
        assertThat(micros2050).as("negative as signed").isNegative();
        final Path file = boundFile("ordo-upper-bound 1 " + Long.toUnsignedString(micros2050) + "\n");
        assertThat(new FileUpperBoundStore(file).load(MICROS)).isEqualTo(micros2050);
        assertThatThrownBy(() -> new FileUpperBoundStore(file).load(MILLIS))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("most likely written by a MICROS clock");
    }

    @Test
    void aTaggedBoundAtOrPastTheFormatsTopShouldBeRefusedClearly() throws Exception
    {
        for (final HybridTimestampFormat format : HybridTimestampFormat.values())
        {
            // The clock's ceiling is the format's top minus 2^32; just above it, at the top, past it (for MICROS
            // the top plus one wraps to 0, a valid bound in 1970, and 2^63 is a valid one in 2041: not in this list).
            final long[] bounds = format == MILLIS ?
                new long[]{format.maxTimestamp() - (1L << 32) + 1, format.maxTimestamp(), Long.MIN_VALUE, -2L} :
                new long[]{format.maxTimestamp() - (1L << 32) + 1, format.maxTimestamp(), -2L};
            for (final long bound : bounds)
            {
                final Path file = boundFile("ordo-upper-bound 2 " + format + " " + Long.toUnsignedString(bound) + "\n");
                final String before = Files.readString(file);
                // MICROS's largest timestamp is all ones, the value of UpperBoundStore.NONE: refused as corrupt.
                assertThatThrownBy(() -> clock(format).upperBoundStore(new FileUpperBoundStore(file))
                    .acceptBoundAhead(Duration.ofSeconds(Long.MAX_VALUE)).build())
                    .as("%s %s", format, Long.toUnsignedString(bound))
                    .isInstanceOfAny(IllegalStateException.class, UncheckedIOException.class)
                    .hasMessageContaining(file.toString());
                assertThat(Files.readString(file)).isEqualTo(before);
            }
        }
    }

    private static final Pattern ADVICE = Pattern.compile("replace the file's content with \"([^\"]*)\"");

    @Test
    void switchingFormatsWithTheAdvisedContentShouldNeverReissueAnEarlierInstant() throws Exception
    {
        for (final HybridTimestampFormat from : HybridTimestampFormat.values())
        {
            final HybridTimestampFormat to = from == MILLIS ? MICROS : MILLIS;
            final Path file = dir.resolve("switch-" + from + ".bound");
            final AtomicHybridClock old = clock(from).upperBoundStore(new FileUpperBoundStore(file), StoreStart.FIRST_START)
                .build();
            long last = 0;
            for (int i = 0; i < 1000; i++)
            {
                last = old.now();
            }
            physicalMs.addAndGet(3); // a few more within the window, with a logical part
            last = old.now();
            final long lastEndMicros = (from.physical(last) + 1) * (from == MILLIS ? 1000 : 1); // exclusive, in µs
            // crash; the physical clock steps back 1 s before the restart
            physicalMs.addAndGet(-1000);
            final Matcher advice;
            try
            {
                clock(to).upperBoundStore(new FileUpperBoundStore(file)).build();
                throw new AssertionError("the other format must be refused");
            }
            catch (final IllegalStateException ex)
            {
                advice = ADVICE.matcher(ex.getMessage());
                assertThat(advice.find()).as(ex.getMessage()).isTrue();
            }
            Files.writeString(file, advice.group(1) + "\n");
            final AtomicHybridClock restarted = clock(to).upperBoundStore(new FileUpperBoundStore(file))
                .maxStartupWait(Duration.ZERO).acceptBoundAhead(Duration.ofHours(1)).build();
            final long first = restarted.now();
            final long firstMicros = to.physical(first) * (to == MILLIS ? 1000 : 1);
            assertThat(firstMicros).as("%s -> %s: the first new instant is past every earlier one", from, to)
                .isGreaterThanOrEqualTo(lastEndMicros);
            assertThat(Files.readString(file)).startsWith("ordo-upper-bound 2 " + to + " ");
            physicalMs.addAndGet(10_000);
        }
    }

    // ---- parse -----------------------------------------------------------------------------------------------

    @Test
    void parseShouldRefuseEveryNonCanonicalLogicalText()
    {
        for (final HybridTimestampFormat format : HybridTimestampFormat.values())
        {
            final String instant = format == MILLIS ? "2026-11-22T10:15:30.123Z" : "2026-11-22T10:15:30.123456Z";
            assertThat(format.toString(format.parse(instant + "/0"))).isEqualTo(instant + "/0");
            for (final String logical : new String[]{"/-0", "/+0", "/00", "/+1", "/01", "/ 1", "/1 ", "/",
                "/\u0661", "/99999999999999999999999", "/0000000000000000000000000", "/1/2", "/0x1", "/1e2"})
            {
                assertThatThrownBy(() -> format.parse(instant + logical))
                    .as("%s%s", instant, logical)
                    .isInstanceOf(InvalidTimestampException.class)
                    .hasMessageContaining("cannot parse");
            }
            for (final String other : new String[]{"2026-11-22T10:15:30.1234567891Z/1", "2016-12-31T23:59:60Z/0",
                "2026-11-22T10:15:30.123z/1", "2026-11-22T10:15:30.123+00:00/1", "+2026-11-22T10:15:30Z",
                "1969-12-31T23:59:59.999Z", "9999-12-31T23:59:59Z", "2026-02-30T00:00:00Z"})
            {
                assertThatThrownBy(() -> format.parse(other)).as(other)
                    .isInstanceOf(InvalidTimestampException.class);
            }
            final String max = format.toString(format.maxTimestamp());
            assertThat(format.parse(max)).isEqualTo(format.maxTimestamp());
        }
    }

    // ---- persist window --------------------------------------------------------------------------------------

    @Test
    void thePersistWindowCapShouldBeExactInBothFormatsAndEveryUnit()
    {
        for (final HybridTimestampFormat format : HybridTimestampFormat.values())
        {
            assertThatCode(() -> clock(format).persistWindow(Duration.ofHours(1))).doesNotThrowAnyException();
            assertThatCode(() -> clock(format).persistWindow(AtomicHybridClock.MAX_PERSIST_WINDOW_MS, TimeUnit.MILLISECONDS))
                .doesNotThrowAnyException();
            assertThatThrownBy(() -> clock(format).persistWindow(Duration.ofHours(1).plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1 hour");
            assertThatThrownBy(() -> clock(format).persistWindow(3_600_000_001L, TimeUnit.MICROSECONDS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1 hour");
            assertThatThrownBy(() -> clock(format).persistWindow(Long.MAX_VALUE, TimeUnit.DAYS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1 hour");
            assertThatThrownBy(() -> clock(format).persistWindow(Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1 hour");
        }
    }

    @Test
    void aRestartRightAfterACrashWithTheLargestWindowShouldBeRefusedClearlyByTheDefaultStartupWait() throws Exception
    {
        // A window of an hour puts the bound up to an hour ahead of physical time; right after a crash the restart
        // must wait it out, far beyond the default startup wait of 10 s, so it refuses to start.
        for (final HybridTimestampFormat format : HybridTimestampFormat.values())
        {
            final Path file = dir.resolve("window-" + format + ".bound");
            clock(format).persistWindow(Duration.ofHours(1))
                .upperBoundStore(new FileUpperBoundStore(file), StoreStart.FIRST_START).build().now();
            physicalMs.addAndGet(1000);
            assertThatThrownBy(() -> clock(format).persistWindow(Duration.ofHours(1))
                .upperBoundStore(new FileUpperBoundStore(file)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("longer than the startup wait");
        }
    }

    // ---- startup wait ----------------------------------------------------------------------------------------

    private Path boundAheadBy(final HybridTimestampFormat format, final long aheadMs) throws Exception
    {
        final long physical = format == MILLIS ? T0_MS + aheadMs : (T0_MS + aheadMs) * 1000;
        return boundFile("ordo-upper-bound 2 " + format + " " + Long.toUnsignedString(format.fromPhysical(physical)) + "\n");
    }

    @Test
    void aPhysicalClockSteppingBackDuringTheWaitShouldEndInAClearErrorWithinTheBudget() throws Exception
    {
        final Path file = boundAheadBy(MILLIS, 100);
        final AtomicInteger reads = new AtomicInteger();
        final long start = System.nanoTime();
        assertThatThrownBy(() -> AtomicHybridClock.builder()
            .epochClock(() -> reads.getAndIncrement() == 0 ? T0_MS : T0_MS - 60_000)
            .upperBoundStore(new FileUpperBoundStore(file)).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("did not reach the persisted bound");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(Files.readString(file)).contains(Long.toString(MILLIS.fromPhysical(T0_MS + 100)));
    }

    @Test
    void anInterruptDuringTheStartupWaitShouldStopItPromptlyWithAClearErrorAndKeepTheFlag() throws Exception
    {
        // Failed before the fix: parkNanos returns at once while the interrupt flag is set, so the wait busy-spun
        // until its budget ran out (here 3 s) and then blamed the physical clock ("not advancing").
        final Path file = boundAheadBy(MILLIS, 3_000);
        final String before = Files.readString(file);
        Thread.currentThread().interrupt();
        final long start = System.nanoTime();
        try
        {
            assertThatThrownBy(() -> clock(MILLIS).upperBoundStore(new FileUpperBoundStore(file)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag kept").isTrue();
        }
        finally
        {
            Thread.interrupted();
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void aStartupWaitOfZeroShouldRefuseABoundOneUnitAheadAndAnUnlimitedOneShouldWaitNormally() throws Exception
    {
        for (final HybridTimestampFormat format : HybridTimestampFormat.values())
        {
            final Path file = boundAheadBy(format, 1);
            assertThatThrownBy(() -> clock(format).maxStartupWait(Duration.ZERO)
                .upperBoundStore(new FileUpperBoundStore(file)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("longer than the startup wait of 0");
            // Unlimited wait, physical time advancing with real time: the wait ends once it passes the bound.
            final Path file2 = boundAheadBy(format, 30);
            final long originNs = System.nanoTime();
            final AtomicHybridClock.Builder builder = format == MILLIS ?
                AtomicHybridClock.builder().epochClock(() -> T0_MS + (System.nanoTime() - originNs) / 1_000_000) :
                AtomicHybridClock.builder().epochMicroClock(() -> T0_MS * 1000 + (System.nanoTime() - originNs) / 1000);
            final AtomicHybridClock clock = builder.maxStartupWait(Duration.ofSeconds(Long.MAX_VALUE))
                .upperBoundStore(new FileUpperBoundStore(file2)).build();
            assertThat(Long.compareUnsigned(clock.now(), format.fromPhysical(format == MILLIS ? T0_MS + 30 :
                (T0_MS + 30) * 1000))).isPositive();
        }
    }

    @Test
    void anInterruptedCallerShouldStillGetATimestampWhenItsCallRefreshesTheBound() throws Exception
    {
        // Failed before the fix: the store writes through NIO channels, which close on an interrupted thread
        // (ClosedByInterruptException): any now() of a thread with its interrupt flag set (a cancelled task) that
        // happened to need a bound refresh failed with "cannot durably store", and a build() in such a thread
        // failed with "cannot read". now() is not a blocking call and does not answer interrupts.
        for (final HybridTimestampFormat format : HybridTimestampFormat.values())
        {
            final Path file = dir.resolve("interrupted-" + format + ".bound");
            Thread.currentThread().interrupt();
            try
            {
                final AtomicHybridClock clock = clock(format)
                    .upperBoundStore(new FileUpperBoundStore(file), StoreStart.FIRST_START).build();
                final long first = clock.now();
                physicalMs.addAndGet(10_000); // past the window: the next call must store a new bound
                final long second = clock.now();
                assertThat(Long.compareUnsigned(second, first)).isPositive();
                assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag kept").isTrue();
                assertThat(Long.compareUnsigned(new FileUpperBoundStore(file).load(format), second)).isPositive();
                assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag kept").isTrue();
            }
            finally
            {
                Thread.interrupted();
            }
        }
    }

    @Test
    void aBoundFileThatIsASymlinkShouldBeRefusedRatherThanReplacedByARegularFile() throws Exception
    {
        // Failed before the fix: the first store renamed the temporary file over the link, so the link became a
        // regular file next to it and the link's target (say on the persistent disk) kept the old bound: a
        // restart that finds the target again (a rebuilt container, a tmpfs) starts from the old bound and may
        // repeat timestamps issued since.
        final Path persistent = Files.createDirectory(dir.resolve("persistent"));
        final Path target = persistent.resolve("hlc.bound");
        final long old = MILLIS.fromPhysical(T0_MS - 5_000);
        Files.writeString(target, "ordo-upper-bound 2 MILLIS " + old + "\n");
        final Path link = Files.createSymbolicLink(dir.resolve("hlc.bound"), target);
        assertThatThrownBy(() -> clock(MILLIS).upperBoundStore(new FileUpperBoundStore(link)).build())
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("symbolic link")
            .hasMessageContaining(target.toString());
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("ordo-upper-bound 2 MILLIS " + old + "\n");
        // A store is never written through a link either, nor does it replace one.
        assertThatThrownBy(() -> new FileUpperBoundStore(link).store(old + 1, MILLIS))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("symbolic link");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        // The advised way: the link's real path.
        final AtomicHybridClock clock = clock(MILLIS).upperBoundStore(new FileUpperBoundStore(link.toRealPath())).build();
        assertThat(clock.now()).isGreaterThan(old);
        assertThat(new FileUpperBoundStore(target).load(MILLIS)).isGreaterThan(old);
    }

    @Test
    @Disabled("Open (a policy change, not a small fix): build() accepts a persist window longer than maxStartupWait "
        + "plus acceptBoundAhead (e.g. the allowed hour with the default 10 s wait), so every restart soon after a "
        + "crash is refused (see aRestartRightAfterACrashWithTheLargestWindowShouldBeRefusedClearlyByTheDefaultStartupWait). "
        + "The javadoc only asks to keep the window within the wait; refusing at build() would also change builds "
        + "that never restart (first starts, tests) and needs the maintainers' decision")
    void aPersistWindowLongerThanTheStartupWaitShouldBeRefusedAtBuild()
    {
        assertThatThrownBy(() -> clock(MILLIS).persistWindow(Duration.ofHours(1))
            .upperBoundStore(new FileUpperBoundStore(dir.resolve("w.bound")), StoreStart.FIRST_START).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("maxStartupWait");
    }

    @Test
    void loadWithoutAFormatShouldReportTheStoredValueAndStoreWithoutOneShouldRefuse() throws Exception
    {
        final Path file = dir.resolve("hlc.bound");
        final FileUpperBoundStore store = new FileUpperBoundStore(file);
        assertThat(store.load()).isEqualTo(UpperBoundStore.NONE);
        assertThatThrownBy(() -> store.store(5)).isInstanceOf(IllegalStateException.class);
        assertThat(Files.exists(file)).isFalse();
        assertThatThrownBy(() -> store.store(UpperBoundStore.NONE, MILLIS)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.exists(file)).isFalse();
    }
}
