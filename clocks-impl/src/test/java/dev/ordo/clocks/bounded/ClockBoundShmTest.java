package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBounds;
import dev.ordo.clocks.api.TimeInterval;
import dev.ordo.clocks.testing.Seeds;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reader against segments written here byte by byte, at the offsets of ClockBound's PROTOCOL.md (not
 * the reader's constants), in native byte order. A test that changes the file between two reads either opens
 * the reader with a refresh interval of 0 (every read reads the file) or times its refreshes on {@link #clock}
 * and advances that clock past the interval ({@link #refreshDue()}).
 */
class ClockBoundShmTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final long INTERVAL = ClockBoundShm.DEFAULT_REFRESH_INTERVAL_NS;

    @TempDir
    Path dir;

    private final CachedNanoClock clock = new CachedNanoClock();

    @Test
    void shouldReadEveryFieldOfAValidSegment() throws Exception
    {
        final Segment segment = new Segment();
        segment.disruptionSupported = 1;
        final Path path = write(segment);
        final VmClock device = new VmClock();
        device.disruptionMarker = segment.disruptionMarker;
        try (ClockBoundShm shm = ClockBoundShm.open(path, device.writeTo(dir.resolve("vmclock0"))))
        {
            final ClockBoundSnapshot snapshot = new ClockBoundSnapshot();
            assertThat(shm.read(snapshot)).isEqualTo(ClockBoundReadResult.OK);
            assertThat(snapshot.generation()).isEqualTo(10);
            assertThat(snapshot.asOfMonotonicNs()).isEqualTo(100 * SECOND + 250);
            assertThat(snapshot.voidAfterMonotonicNs()).isEqualTo(110 * SECOND + 250);
            assertThat(snapshot.boundNs()).isEqualTo(10_000);
            assertThat(snapshot.disruptionMarker()).isEqualTo(0xDEAD_BEEF_0000_0001L);
            assertThat(snapshot.maxDriftPpb()).isEqualTo(1_000);
            assertThat(snapshot.status()).isEqualTo(ClockStatus.SYNCHRONIZED);
            assertThat(snapshot.disruptionSupported()).isTrue();
        }
    }

    @Test
    void boundShouldGrowWithDriftSinceAsOfAndNeverBeBelowClockBoundsOwn() throws Exception
    {
        try (ClockBoundShm shm = ClockBoundShm.open(write(new Segment())))
        {
            final long asOfNs = 100 * SECOND + 250;
            assertThat(shm.errorBound(asOfNs)).isEqualTo(ErrorBounds.of(10_000, ClockStatus.SYNCHRONIZED));
            // ClockBound's client: 10_000 + 2 s * 1000 ppb = 12_000; ours adds the 1/(1 - drift) term, rounded up.
            final long twoSecondsLater = shm.errorBound(asOfNs + 2 * SECOND);
            assertThat(ErrorBounds.boundNs(twoSecondsLater)).isEqualTo(12_001);
            assertThat(ErrorBounds.status(twoSecondsLater)).isEqualTo(ClockStatus.SYNCHRONIZED);
        }
    }

    @Test
    void statusShouldAgeToFreeRunningAfterTheGracePeriodAndToUnknownAfterVoidAfter() throws Exception
    {
        try (ClockBoundShm shm = ClockBoundShm.open(write(new Segment())))
        {
            final long asOfNs = 100 * SECOND + 250;
            assertThat(ErrorBounds.status(shm.errorBound(asOfNs + ClockBoundShm.RESTART_GRACE_NS - 1)))
                .isEqualTo(ClockStatus.SYNCHRONIZED);
            assertThat(ErrorBounds.status(shm.errorBound(asOfNs + ClockBoundShm.RESTART_GRACE_NS)))
                .isEqualTo(ClockStatus.FREE_RUNNING);
            assertThat(ErrorBounds.status(shm.errorBound(asOfNs + 10 * SECOND - 1))).isEqualTo(ClockStatus.FREE_RUNNING);
            assertThat(shm.errorBound(asOfNs + 10 * SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
        }
    }

    @Test
    void daemonStatusesWithoutABoundShouldGiveUnboundedIntervals() throws Exception
    {
        final Segment unknown = new Segment();
        unknown.status = 0;
        final Segment disrupted = new Segment();
        disrupted.status = 3;
        try (ClockBoundShm a = ClockBoundShm.open(write(unknown)); ClockBoundShm b = ClockBoundShm.open(write(disrupted)))
        {
            assertThat(a.errorBound(100 * SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
            assertThat(ErrorBounds.status(b.errorBound(100 * SECOND))).isEqualTo(ClockStatus.DISRUPTED);
            assertThat(ErrorBounds.isBounded(b.errorBound(100 * SECOND))).isFalse();
        }
    }

    @Test
    void tornWriteShouldRetryThenReportWriterStalledAndUnknown() throws Exception
    {
        final Segment torn = new Segment();
        torn.generation = 11;
        try (ClockBoundShm shm = ClockBoundShm.open(write(torn), 50))
        {
            assertThat(shm.read(new ClockBoundSnapshot())).isEqualTo(ClockBoundReadResult.WRITER_STALLED);
            assertThat(shm.errorBound(100 * SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
        }
    }

    @Test
    void generationZeroShouldMeanNotInitialized() throws Exception
    {
        final Segment fresh = new Segment();
        fresh.generation = 0;
        try (ClockBoundShm shm = ClockBoundShm.open(write(fresh)))
        {
            assertThat(shm.read(new ClockBoundSnapshot())).isEqualTo(ClockBoundReadResult.NOT_INITIALIZED);
            assertThat(shm.errorBound(100 * SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
        }
        final Segment wiped = new Segment();
        wiped.generation = 0;
        wiped.version = 0;
        try (ClockBoundShm shm = ClockBoundShm.open(write(wiped)))
        {
            assertThat(shm.read(new ClockBoundSnapshot())).isEqualTo(ClockBoundReadResult.NOT_INITIALIZED);
        }
    }

    @Test
    void shouldRejectBadMagicAtOpenAndAtRead() throws Exception
    {
        final Segment bad = new Segment();
        bad.magic0 = 0xDEADBEEF;
        assertThatThrownBy(() -> ClockBoundShm.open(write(bad)))
            .isInstanceOfSatisfying(ClockBoundSegmentException.class,
                (ex) -> assertThat(ex.reason()).isEqualTo(ClockBoundReadResult.BAD_MAGIC))
            .hasMessageContaining("0xdeadbeef").hasMessageContaining("0x414d5a4e");

        final Path path = write(new Segment());
        try (ClockBoundShm shm = ClockBoundShm.open(path))
        {
            overwrite(path, 4, (buffer) -> buffer.putInt(0x12345678));
            assertThat(shm.read(new ClockBoundSnapshot())).isEqualTo(ClockBoundReadResult.BAD_MAGIC);
            assertThat(shm.errorBound(100 * SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
        }
    }

    @Test
    void shouldRejectAnUnsupportedVersionAtOpenAndAtRead() throws Exception
    {
        final Segment v3 = new Segment();
        v3.version = 3;
        assertThatThrownBy(() -> ClockBoundShm.open(write(v3)))
            .isInstanceOfSatisfying(ClockBoundSegmentException.class,
                (ex) -> assertThat(ex.reason()).isEqualTo(ClockBoundReadResult.UNSUPPORTED_VERSION))
            .hasMessageContaining("version 3");

        final Path path = write(new Segment());
        try (ClockBoundShm shm = ClockBoundShm.open(path))
        {
            overwrite(path, 12, (buffer) -> buffer.putShort((short)1));
            assertThat(shm.read(new ClockBoundSnapshot())).isEqualTo(ClockBoundReadResult.UNSUPPORTED_VERSION);
            assertThat(shm.errorBound(100 * SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
        }
    }

    @Test
    void shouldRejectTooSmallFilesAndSegmentSizes() throws Exception
    {
        final Path small = dir.resolve("small");
        Files.write(small, new byte[40]);
        assertThatThrownBy(() -> ClockBoundShm.open(small))
            .isInstanceOfSatisfying(ClockBoundSegmentException.class,
                (ex) -> assertThat(ex.reason()).isEqualTo(ClockBoundReadResult.MALFORMED))
            .hasMessageContaining("40 bytes");
        final Segment badSize = new Segment();
        badSize.segmentSize = 16;
        assertThatThrownBy(() -> ClockBoundShm.open(write(badSize)))
            .isInstanceOf(ClockBoundSegmentException.class).hasMessageContaining("segment size of 16");
        assertThatThrownBy(() -> ClockBoundShm.open(dir.resolve("missing"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ClockBoundShm.open(write(new Segment()), 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetries");
    }

    @Test
    void impossibleFieldValuesShouldBeMalformedAndUnknown() throws Exception
    {
        final Segment[] malformed = new Segment[5];
        for (int i = 0; i < malformed.length; i++)
        {
            malformed[i] = new Segment();
        }
        malformed[0].boundNs = -1;
        malformed[1].asOfNanos = SECOND;
        malformed[2].maxDriftPpb = (int)SECOND;
        malformed[3].status = 7;
        malformed[4].voidAfterSeconds = -5;
        for (final Segment segment : malformed)
        {
            try (ClockBoundShm shm = ClockBoundShm.open(write(segment)))
            {
                assertThat(shm.read(new ClockBoundSnapshot())).isEqualTo(ClockBoundReadResult.MALFORMED);
                assertThat(shm.errorBound(100 * SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
            }
        }
    }

    @Test
    void readBeforeAsOfShouldWidenWithinToleranceAndBeUnknownBeyond() throws Exception
    {
        try (ClockBoundShm shm = ClockBoundShm.open(write(new Segment())))
        {
            final long asOfNs = 100 * SECOND + 250;
            assertThat(ErrorBounds.boundNs(shm.errorBound(asOfNs - 1_000_000))).isGreaterThanOrEqualTo(10_000);
            assertThat(shm.errorBound(asOfNs - ClockBoundShm.CAUSALITY_TOLERANCE_NS - 1)).isEqualTo(ErrorBounds.UNKNOWN);
        }
    }

    /**
     * AWS's read order: the segment is copied by snapshot() (before the clock's real-time read) and the VMClock
     * marker is compared by errorBoundFrom (after the monotonic read). A newer generation written in between is
     * not read (the snapshot's own bound, aged from its as-of, is the answer); a marker bumped in between is seen.
     */
    @Test
    void snapshotShouldCopyTheSegmentAndTheBoundShouldCheckTheVmClockAfterwards() throws Exception
    {
        final Segment segment = new Segment();
        segment.disruptionSupported = 1;
        segment.disruptionMarker = 7;
        final Path path = write(segment);
        final VmClock device = new VmClock();
        device.disruptionMarker = 7;
        final Path devicePath = device.writeTo(dir.resolve("vmclock0"));
        final long readNs = 101 * SECOND;
        // Refresh interval 0: every read goes to the file (a snapshot is this thread's copy, replaced by its next read).
        try (ClockBoundShm shm = ClockBoundShm.open(path, devicePath, ClockBoundShm.DEFAULT_MAX_RETRIES, 0))
        {
            final Object first = shm.snapshot();
            assertThat(first).isInstanceOf(ClockBoundSnapshot.class);
            assertThat(shm.errorBoundFrom(first, readNs)).isEqualTo(shm.errorBound(readNs));

            final Object older = shm.snapshot();
            segment.generation = 12; // the daemon publishes a narrower bound meanwhile
            segment.boundNs = 5;
            overwriteSegment(path, segment);
            assertThat(shm.errorBoundFrom(older, readNs)).as("the snapshot's own bound")
                .isEqualTo(ErrorBounds.of(10_000 + DriftErrorBound.driftNs(SECOND - 250, 1_000, SECOND - 1_000),
                    ClockStatus.SYNCHRONIZED));
            assertThat(shm.errorBound(readNs)).as("a new read sees the new generation")
                .isEqualTo(ErrorBounds.of(5 + DriftErrorBound.driftNs(SECOND - 250, 1_000, SECOND - 1_000),
                    ClockStatus.SYNCHRONIZED));

            final Object beforeTheRestore = shm.snapshot();
            device.disruptionMarker = 8; // a snapshot restore between the copy and the clock reads
            device.writeTo(devicePath);
            assertThat(shm.errorBoundFrom(beforeTheRestore, readNs)).isEqualTo(ErrorBounds.UNKNOWN);

            assertThat(shm.errorBoundFrom(null, readNs)).as("a failed copy").isEqualTo(ErrorBounds.UNKNOWN);
            assertThat(shm.errorBoundFrom("not a snapshot", readNs)).isEqualTo(ErrorBounds.UNKNOWN);
        }
        final ClockBoundShm closed = ClockBoundShm.open(path, devicePath);
        closed.close();
        assertThat(closed.snapshot()).isNull();
    }

    private static void overwriteSegment(final Path path, final Segment segment) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(segment.bytes()), 0);
        }
    }

    @Test
    void closedReaderShouldReportClosed() throws Exception
    {
        final ClockBoundShm shm = ClockBoundShm.open(write(new Segment()));
        shm.close();
        shm.close();
        assertThat(shm.read(new ClockBoundSnapshot())).isEqualTo(ClockBoundReadResult.CLOSED);
        assertThat(shm.errorBound(100 * SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
    }

    @Test
    void clockOnClockBoundShouldBoundTheRealTimeClock() throws Exception
    {
        try (ClockBoundShm shm = ClockBoundShm.open(write(new Segment())))
        {
            final ErrorBoundedClock clock = new ErrorBoundedClock(
                () -> 1_700_000_000_000_000_000L, () -> 101 * SECOND, shm);
            final TimeInterval interval = clock.now(new TimeInterval());
            assertThat(interval.status()).isEqualTo(ClockStatus.SYNCHRONIZED);
            assertThat(interval.readingNs() - interval.earliestNs()).isEqualTo(interval.latestNs() - interval.readingNs())
                .isGreaterThan(10_000);
        }
    }

    @Test
    @Timeout(20)
    void concurrentReadersShouldOnlySeeConsistentSnapshotsWhileTheWriterUpdates() throws Exception
    {
        final long seed = Seeds.seed("ClockBoundShmTest.concurrentReaders");
        // The initial content already satisfies the invariant the readers check (k = 100).
        final Segment initial = new Segment();
        initial.asOfNanos = 100;
        initial.voidAfterNanos = 100;
        initial.boundNs = 300;
        initial.disruptionMarker = 500;
        final Path path = write(initial);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong inconsistent = new AtomicLong();
        final AtomicLong consistent = new AtomicLong();
        final AtomicLong updates = new AtomicLong();
        // Refresh interval 0: every read reads the file, racing the writer.
        try (ClockBoundShm shm = ClockBoundShm.open(path, path.resolveSibling("no-vmclock"), 1_000_000, 0);
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, 80);
            final SegmentWriter writable = new SegmentWriter(mapped);
            final Thread writer = new Thread(() ->
            {
                final SplittableRandom random = new SplittableRandom(seed);
                int generation = 10;
                while (!stop.get())
                {
                    // ClockBound's writer: odd generation, fields, even generation (skipping 0 on wrap).
                    generation = (generation + 1) & 0xFFFF;
                    writable.putShortVolatile(14, (short)generation);
                    VarHandle.storeStoreFence();
                    final long k = random.nextLong(1, 1_000_000);
                    writable.putLong(16, k);
                    writable.putLong(24, k % SECOND);
                    writable.putLong(32, k + 10);
                    writable.putLong(40, k % SECOND);
                    writable.putLong(48, k * 3);
                    writable.putLong(56, k * 5);
                    generation = (generation + 1) & 0xFFFF;
                    if (generation == 0)
                    {
                        generation = 2;
                    }
                    writable.putShortVolatile(14, (short)generation);
                    updates.incrementAndGet();
                }
            });
            final Thread[] readers = new Thread[2];
            for (int r = 0; r < readers.length; r++)
            {
                readers[r] = new Thread(() ->
                {
                    final ClockBoundSnapshot snapshot = new ClockBoundSnapshot();
                    while (!stop.get())
                    {
                        final long updatesBefore = updates.get();
                        final ClockBoundReadResult result = shm.read(snapshot);
                        // The 16-bit generation wraps every 32768 updates: a reader descheduled for a whole wrap
                        // can see the same generation around new data. That is the protocol's known limit (the
                        // daemon writes once a second, so a wrap takes 9 hours), not a reader bug: skip those.
                        if (result != ClockBoundReadResult.OK || updates.get() - updatesBefore >= 32_000)
                        {
                            continue;
                        }
                        final long k = snapshot.asOfMonotonicNs() / SECOND;
                        final boolean same = snapshot.boundNs() == k * 3 && snapshot.disruptionMarker() == k * 5 &&
                            snapshot.voidAfterMonotonicNs() == snapshot.asOfMonotonicNs() + 10 * SECOND;
                        (same ? consistent : inconsistent).incrementAndGet();
                    }
                });
            }
            writer.start();
            for (final Thread reader : readers)
            {
                reader.start();
            }
            Thread.sleep(300);
            stop.set(true);
            writer.join();
            for (final Thread reader : readers)
            {
                reader.join();
            }
        }
        assertThat(inconsistent.get()).as("seed %d: torn snapshots returned as OK", seed).isZero();
        assertThat(consistent.get()).as("seed %d", seed).isPositive();
    }

    /**
     * Issue 10 item 13: the daemon truncates the file when it wipes it; a read then is UNKNOWN, never a crash,
     * and recovers when the file is rewritten. With the default refresh interval each change shows within one
     * interval (the thread's copy serves the reads before), with an interval of 0 at once.
     */
    @Test
    void truncatedSegmentShouldReadAsUnknownAndRecoverWhenRewritten() throws Exception
    {
        final Path path = write(new Segment());
        final long asOfNs = 100 * SECOND + 250;
        try (ClockBoundShm shm = openTimed(path, dir.resolve("no-vmclock")))
        {
            final long good = shm.errorBound(asOfNs + SECOND);
            assertThat(ErrorBounds.isBounded(good)).isTrue();
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
            {
                channel.truncate(0); // the daemon's wipe: File::create truncates before it rewrites
            }
            clock.advance(INTERVAL - 1);
            assertThat(shm.errorBound(asOfNs + SECOND)).as("the copy, less than an interval old").isEqualTo(good);
            clock.advance(1);
            for (int i = 0; i < 100_000; i++) // long enough for the read to be compiled
            {
                assertThat(shm.errorBound(asOfNs + SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
                if (i % 1_000 == 0)
                {
                    refreshDue();
                }
            }
            assertThat(shm.read(new ClockBoundSnapshot())).isEqualTo(ClockBoundReadResult.TRUNCATED);
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
            {
                channel.write(ByteBuffer.wrap(new Segment().bytes(), 0, 40), 0); // half rewritten: still too short
            }
            refreshDue();
            assertThat(shm.read(new ClockBoundSnapshot())).isEqualTo(ClockBoundReadResult.TRUNCATED);
            Files.write(path, new Segment().bytes());
            assertThat(shm.errorBound(asOfNs + SECOND)).as("the TRUNCATED copy, less than an interval old")
                .isEqualTo(ErrorBounds.UNKNOWN);
            refreshDue();
            assertThat(shm.errorBound(asOfNs + SECOND)).isEqualTo(good);
        }
        try (ClockBoundShm shm = ClockBoundShm.open(path, dir.resolve("no-vmclock"), 10, 0))
        {
            assertThat(ErrorBounds.isBounded(shm.errorBound(asOfNs + SECOND))).isTrue();
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
            {
                channel.truncate(0);
            }
            for (int i = 0; i < 20_000; i++)
            {
                assertThat(shm.errorBound(asOfNs + SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
            }
            Files.write(path, new Segment().bytes());
            assertThat(ErrorBounds.isBounded(shm.errorBound(asOfNs + SECOND))).isTrue();
        }
    }

    /**
     * The daemon's wipe, over and over, under readers: truncate, rewrite the header with version and
     * generation 0 in small writes, zero the rest, set the version, then publish a new generation by the
     * protocol (odd, fields, even). Every read either reports why it has no snapshot or returns a whole one
     * (its fields encode its generation); no read throws, and the JVM survives (a reader that touched a
     * mapping of the file here would take SIGBUS: JDK 17 then raises an InternalError later, outside the
     * reader's reach). One reader reads the file on every read, one refreshes its copy every millisecond.
     */
    @Test
    @Timeout(60)
    void readersShouldNeverFailOrSeeATornSnapshotWhileTheDaemonTruncatesAndRewrites() throws Exception
    {
        final long seed = Seeds.seed("ClockBoundShmTest.truncatingDaemon");
        final Path path = write(daemonSegment(2));
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong cycles = new AtomicLong();
        final AtomicLong torn = new AtomicLong();
        final AtomicLong thrown = new AtomicLong();
        final AtomicLong[] eager = new AtomicLong[ClockBoundReadResult.values().length];
        final AtomicLong[] cached = new AtomicLong[eager.length];
        for (int i = 0; i < eager.length; i++)
        {
            eager[i] = new AtomicLong();
            cached[i] = new AtomicLong();
        }
        try (ClockBoundShm everyRead = ClockBoundShm.open(path, dir.resolve("no-vmclock"), 100, 0);
            ClockBoundShm everyMs = ClockBoundShm.open(path, dir.resolve("no-vmclock"), 100, INTERVAL))
        {
            final Thread daemon = new Thread(() ->
            {
                final SplittableRandom random = new SplittableRandom(seed);
                int generation = 2;
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
                {
                    while (!stop.get())
                    {
                        channel.truncate(0);
                        if (random.nextInt(4) == 0)
                        {
                            final long untilNs = System.nanoTime() + random.nextLong(20_000);
                            while (System.nanoTime() < untilNs)
                            {
                                Thread.onSpinWait(); // a daemon descheduled between truncate and write
                            }
                        }
                        final byte[] wiped = new Segment().bytes();
                        java.util.Arrays.fill(wiped, 12, 80, (byte)0);
                        int at = 0;
                        while (at < 80)
                        {
                            final int length = Math.min(80 - at, 1 + random.nextInt(24));
                            channel.write(ByteBuffer.wrap(wiped, at, length), at);
                            at += length;
                        }
                        channel.write(ByteBuffer.wrap(new Segment().bytes(), 12, 2), 12); // version 2
                        generation = generation + 2 == 0x1_0000 ? 2 : generation + 2;
                        final byte[] next = daemonSegment(generation).bytes();
                        channel.write(ByteBuffer.wrap(daemonSegment(generation - 1).bytes(), 14, 2), 14);
                        channel.write(ByteBuffer.wrap(next, 16, 64), 16);
                        channel.write(ByteBuffer.wrap(next, 14, 2), 14);
                        cycles.incrementAndGet();
                        if (random.nextInt(8) == 0)
                        {
                            // a real daemon rests about a second between updates: give the 1 ms copies a whole
                            // segment to find now and then
                            final long untilNs = System.nanoTime() + 1_500_000;
                            while (System.nanoTime() < untilNs)
                            {
                                Thread.onSpinWait();
                            }
                        }
                    }
                }
                catch (final IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            final Thread[] readers = {
                reader(everyRead, stop, eager, torn, thrown), reader(everyMs, stop, cached, torn, thrown)};
            daemon.start();
            for (final Thread reader : readers)
            {
                reader.start();
            }
            final long deadlineNs = System.nanoTime() + 20 * SECOND;
            while (System.nanoTime() < deadlineNs && (cycles.get() < 2_000 ||
                eager[ClockBoundReadResult.TRUNCATED.ordinal()].get() < 100 ||
                eager[ClockBoundReadResult.OK.ordinal()].get() < 100 ||
                cached[ClockBoundReadResult.OK.ordinal()].get() < 100))
            {
                Thread.sleep(10);
            }
            stop.set(true);
            daemon.join();
            for (final Thread reader : readers)
            {
                reader.join();
            }
        }
        final String counts = "seed " + seed + ", " + cycles.get() + " wipes; every read: " + counts(eager) +
            "; every ms: " + counts(cached);
        System.out.println("truncating daemon: " + counts);
        assertThat(thrown.get()).as(counts).isZero();
        assertThat(torn.get()).as(counts).isZero();
        assertThat(eager[ClockBoundReadResult.TRUNCATED.ordinal()].get()).as(counts).isPositive();
        assertThat(eager[ClockBoundReadResult.OK.ordinal()].get()).as(counts).isPositive();
        assertThat(cached[ClockBoundReadResult.OK.ordinal()].get()).as(counts).isPositive();
        for (final ClockBoundReadResult result : ClockBoundReadResult.values())
        {
            if (result != ClockBoundReadResult.OK && result != ClockBoundReadResult.TRUNCATED &&
                result != ClockBoundReadResult.NOT_INITIALIZED && result != ClockBoundReadResult.WRITER_STALLED)
            {
                assertThat(eager[result.ordinal()].get() + cached[result.ordinal()].get()).as(counts).isZero();
            }
        }
    }

    private static Thread reader(
        final ClockBoundShm shm,
        final AtomicBoolean stop,
        final AtomicLong[] results,
        final AtomicLong torn,
        final AtomicLong thrown)
    {
        final Thread reader = new Thread(() ->
        {
            final ClockBoundSnapshot snapshot = new ClockBoundSnapshot();
            while (!stop.get())
            {
                try
                {
                    final ClockBoundReadResult result = shm.read(snapshot);
                    results[result.ordinal()].incrementAndGet();
                    final long k = snapshot.generation();
                    if (result == ClockBoundReadResult.OK && (snapshot.asOfMonotonicNs() != k * SECOND ||
                        snapshot.boundNs() != k * 1_000 || snapshot.disruptionMarker() != k * 5 ||
                        snapshot.voidAfterMonotonicNs() != (k + 10) * SECOND))
                    {
                        torn.incrementAndGet();
                    }
                    shm.errorBound(snapshot.asOfMonotonicNs()); // the other entry point must not throw either
                }
                catch (final Throwable t) // the InternalError of a faulting mapped read would land here, if anywhere
                {
                    thrown.incrementAndGet();
                }
            }
        });
        reader.setUncaughtExceptionHandler((t, ex) -> thrown.incrementAndGet());
        return reader;
    }

    private static String counts(final AtomicLong[] results)
    {
        final StringBuilder text = new StringBuilder();
        for (final ClockBoundReadResult result : ClockBoundReadResult.values())
        {
            if (results[result.ordinal()].get() != 0)
            {
                text.append(text.length() == 0 ? "" : ", ").append(result).append('=').append(results[result.ordinal()]);
            }
        }
        return text.toString();
    }

    /** A segment whose fields encode its generation k: as-of k s, void-after k + 10 s, bound 1000 k, marker 5 k. */
    private static Segment daemonSegment(final int generation)
    {
        final Segment segment = new Segment();
        segment.generation = generation;
        segment.asOfSeconds = generation;
        segment.asOfNanos = 0;
        segment.voidAfterSeconds = generation + 10L;
        segment.voidAfterNanos = 0;
        segment.boundNs = generation * 1_000L;
        segment.disruptionMarker = generation * 5L;
        return segment;
    }

    /**
     * The refresh interval: a thread's copy serves its reads until the interval has passed since the refresh,
     * then the next read reads the file; each thread has its own copy.
     */
    @Test
    void aThreadsCopyShouldServeItsReadsForOneIntervalThenBeRefreshed() throws Exception
    {
        final Path path = write(new Segment());
        final long asOfNs = 100 * SECOND + 250;
        try (ClockBoundShm shm = openTimed(path, dir.resolve("no-vmclock")))
        {
            final ClockBoundSnapshot snapshot = new ClockBoundSnapshot();
            assertThat(shm.read(snapshot)).isEqualTo(ClockBoundReadResult.OK);
            assertThat(snapshot.boundNs()).isEqualTo(10_000);
            final Segment next = new Segment();
            next.generation = 12;
            next.asOfSeconds = 101;
            next.boundNs = 20_000;
            Files.write(path, next.bytes());
            clock.advance(INTERVAL - 1);
            assertThat(shm.read(snapshot)).isEqualTo(ClockBoundReadResult.OK);
            assertThat(snapshot.generation()).as("still the copy").isEqualTo(10);
            // The copy's bound still grows from its own as-of: what a read one interval earlier would give.
            assertThat(shm.errorBound(asOfNs + 2 * SECOND)).isEqualTo(ErrorBounds.of(12_001, ClockStatus.SYNCHRONIZED));
            final AtomicLong otherThread = new AtomicLong();
            final Thread other = new Thread(() -> otherThread.set(shm.errorBound(asOfNs + 2 * SECOND)));
            other.start();
            other.join();
            assertThat(ErrorBounds.boundNs(otherThread.get())).as("another thread reads the file itself")
                .isEqualTo(21_001);
            clock.advance(1);
            assertThat(shm.read(snapshot)).isEqualTo(ClockBoundReadResult.OK);
            assertThat(snapshot.generation()).isEqualTo(12);
            assertThat(snapshot.boundNs()).isEqualTo(20_000);
            clock.update(clock.nanoTime() - 1); // a clock that goes back does not extend a copy's life
            overwrite(path, 14, (buffer) -> buffer.putShort((short)0));
            assertThat(shm.read(snapshot)).isEqualTo(ClockBoundReadResult.NOT_INITIALIZED);
        }
        assertThatThrownBy(() -> ClockBoundShm.open(path, dir.resolve("no-vmclock"), 10, -1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshIntervalNs");
        assertThatThrownBy(() -> ClockBoundShm.open(path, dir.resolve("no-vmclock"), 10,
            ClockBoundShm.MAX_REFRESH_INTERVAL_NS + 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshIntervalNs");
    }

    private ClockBoundShm openTimed(final Path path, final Path vmClockPath) throws IOException
    {
        return ClockBoundShm.open(path, vmClockPath, ClockBoundShm.DEFAULT_MAX_RETRIES, INTERVAL, clock);
    }

    private void refreshDue()
    {
        clock.advance(INTERVAL);
    }

    /**
     * Issue 10 item 14: a writer caught mid-update (odd generation) does not make the reader spin and give up:
     * it serves the last good snapshot, aged from that snapshot's as-of like any other read (as AWS's client).
     */
    @Test
    void oddGenerationShouldServeTheLastGoodSnapshotAgedHonestly() throws Exception
    {
        final Path path = write(new Segment());
        try (ClockBoundShm shm = ClockBoundShm.open(path, path.resolveSibling("no-vmclock"), 10, 0))
        {
            final long asOfNs = 100 * SECOND + 250;
            final long good = shm.errorBound(asOfNs + SECOND);
            assertThat(ErrorBounds.isBounded(good)).isTrue();
            // The writer starts an update: generation odd, the as-of already moved, the bound half written.
            overwrite(path, 14, (buffer) -> buffer.putShort((short)11));
            overwrite(path, 16, (buffer) -> buffer.putLong(105));
            overwrite(path, 48, (buffer) -> buffer.putLong(1));
            final long later = shm.errorBound(asOfNs + 3 * SECOND);
            assertThat(ErrorBounds.isBounded(later)).as("served from the last good snapshot").isTrue();
            // Aged from the old as-of: 10_000 + 3 s at 1000 ppb (rounded up), never the half-written bound of 1.
            assertThat(ErrorBounds.boundNs(later)).isEqualTo(13_001);
            assertThat(ErrorBounds.status(later)).isEqualTo(ClockStatus.SYNCHRONIZED);
            // ...and it keeps ageing into FREE_RUNNING and UNKNOWN as the old snapshot's void-after passes.
            assertThat(ErrorBounds.status(shm.errorBound(asOfNs + 6 * SECOND))).isEqualTo(ClockStatus.FREE_RUNNING);
            assertThat(shm.errorBound(asOfNs + 10 * SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
            final ClockBoundSnapshot snapshot = new ClockBoundSnapshot();
            assertThat(shm.read(snapshot)).isEqualTo(ClockBoundReadResult.OK);
            assertThat(snapshot.generation()).isEqualTo(10);
            assertThat(snapshot.boundNs()).isEqualTo(10_000);
        }
    }

    @Test
    void oddGenerationBeforeAnyGoodReadShouldStillBeWriterStalled() throws Exception
    {
        final Segment torn = new Segment();
        torn.generation = 13;
        try (ClockBoundShm shm = ClockBoundShm.open(write(torn), 5))
        {
            assertThat(shm.read(new ClockBoundSnapshot())).isEqualTo(ClockBoundReadResult.WRITER_STALLED);
            assertThat(shm.errorBound(100 * SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
        }
    }

    /** Issue 10 item 14: with a writer updating as fast as it can, no read reports UNKNOWN after the first good one. */
    @Test
    @Timeout(20)
    void busyWriterShouldNeverMakeAReaderReportUnknown() throws Exception
    {
        final long seed = Seeds.seed("ClockBoundShmTest.busyWriter");
        final Segment initial = new Segment();
        initial.voidAfterSeconds = 1_000_000;
        final Path path = write(initial);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong unknown = new AtomicLong();
        final AtomicLong reads = new AtomicLong();
        try (ClockBoundShm shm = ClockBoundShm.open(path, path.resolveSibling("no-vmclock"),
                ClockBoundShm.DEFAULT_MAX_RETRIES, 0);
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final SegmentWriter writable = new SegmentWriter(channel.map(FileChannel.MapMode.READ_WRITE, 0, 80));
            final long asOfNs = 100 * SECOND + 250;
            assertThat(ErrorBounds.isBounded(shm.errorBound(asOfNs))).isTrue();
            final Thread writer = new Thread(() ->
            {
                final SplittableRandom random = new SplittableRandom(seed);
                int generation = 10;
                while (!stop.get())
                {
                    generation = (generation + 1) & 0xFFFF;
                    writable.putShortVolatile(14, (short)generation);
                    VarHandle.storeStoreFence();
                    writable.putLong(48, random.nextLong(1_000, 20_000));
                    generation = (generation + 1) & 0xFFFF;
                    if (generation == 0)
                    {
                        generation = 2;
                    }
                    writable.putShortVolatile(14, (short)generation);
                }
            });
            final Thread reader = new Thread(() ->
            {
                while (!stop.get())
                {
                    reads.incrementAndGet();
                    if (!ErrorBounds.isBounded(shm.errorBound(asOfNs + SECOND)))
                    {
                        unknown.incrementAndGet();
                    }
                }
            });
            writer.start();
            reader.start();
            Thread.sleep(500);
            stop.set(true);
            writer.join();
            reader.join();
        }
        assertThat(reads.get()).as("seed %d", seed).isPositive();
        assertThat(unknown.get()).as("seed %d: reads that reported UNKNOWN out of %d", seed, reads.get()).isZero();
    }

    /**
     * Issue 10 item 12 (AWS's VMClock check): while the daemon has clock disruption support, its status is
     * trusted only while the marker it copied equals the VMClock device's; the daemon may take long to notice a
     * snapshot restore or a live migration, the device knows at once.
     */
    @Test
    void vmClockMarkerAheadOfTheDaemonsShouldMakeTheClockUnknownUntilTheDaemonCatchesUp() throws Exception
    {
        final Segment segment = new Segment();
        segment.disruptionSupported = 1;
        segment.disruptionMarker = 7;
        final Path path = write(segment);
        final VmClock device = new VmClock();
        device.disruptionMarker = 7;
        final Path devicePath = device.writeTo(dir.resolve("vmclock0"));
        final long asOfNs = 100 * SECOND + 250;
        try (ClockBoundShm shm = openTimed(path, devicePath))
        {
            assertThat(shm.vmClockPath()).isEqualTo(devicePath);
            assertThat(shm.errorBound(asOfNs + SECOND)).isEqualTo(ErrorBounds.of(11_001, ClockStatus.SYNCHRONIZED));

            device.disruptionMarker = 8; // the hypervisor restored a snapshot; the daemon still says 7
            device.writeTo(devicePath);
            // The device is read on every read, even one served from the thread's copy of the segment.
            assertThat(shm.errorBound(asOfNs + SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
            final ClockBoundSnapshot snapshot = new ClockBoundSnapshot();
            assertThat(shm.read(snapshot)).isEqualTo(ClockBoundReadResult.VMCLOCK_DISRUPTED);
            assertThat(snapshot.disruptionMarker()).isEqualTo(7);

            segment.disruptionMarker = 8; // the daemon caught up (with a new generation)
            segment.generation = 12;
            Files.write(path, segment.bytes());
            refreshDue();
            assertThat(shm.errorBound(asOfNs + SECOND)).isEqualTo(ErrorBounds.of(11_001, ClockStatus.SYNCHRONIZED));
        }
    }

    @Test
    void unreadableVmClockShouldMakeTheClockUnknownOnlyWhileTheDaemonHasDisruptionSupport() throws Exception
    {
        final Segment segment = new Segment();
        segment.disruptionSupported = 1;
        final Path path = write(segment);
        final long asOfNs = 100 * SECOND + 250;
        try (ClockBoundShm shm = openTimed(path, dir.resolve("no-such-device")))
        {
            assertThat(shm.errorBound(asOfNs + SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
            assertThat(shm.read(new ClockBoundSnapshot())).isEqualTo(ClockBoundReadResult.VMCLOCK_UNAVAILABLE);
            segment.disruptionSupported = 0;
            segment.generation = 12;
            Files.write(path, segment.bytes());
            refreshDue();
            assertThat(ErrorBounds.isBounded(shm.errorBound(asOfNs + SECOND))).isTrue();
        }
        final VmClock[] bad = {new VmClock(), new VmClock(), new VmClock()};
        bad[0].magic = 0x12345678;
        bad[1].version = 2;
        bad[2].seqCount = 11; // mid-update in a file that plays the device (the kernel's read never returns odd)
        segment.disruptionSupported = 1;
        Files.write(path, segment.bytes());
        for (final VmClock device : bad)
        {
            device.disruptionMarker = segment.disruptionMarker;
            final Path devicePath = device.writeTo(Files.createTempFile(dir, "vmclock", ""));
            try (ClockBoundShm shm = ClockBoundShm.open(path, devicePath))
            {
                assertThat(shm.read(new ClockBoundSnapshot())).as("%s", device)
                    .isEqualTo(ClockBoundReadResult.VMCLOCK_UNAVAILABLE);
                assertThat(shm.errorBound(asOfNs + SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
            }
        }
    }

    @Test
    void interruptedReaderShouldReportUnknownAndLeaveTheDeviceUsableForOthers() throws Exception
    {
        final Segment segment = new Segment();
        segment.disruptionSupported = 1;
        final VmClock device = new VmClock();
        device.disruptionMarker = segment.disruptionMarker;
        final long asOfNs = 100 * SECOND + 250;
        try (ClockBoundShm shm = ClockBoundShm.open(write(segment), device.writeTo(dir.resolve("vmclock0"))))
        {
            Thread.currentThread().interrupt();
            try
            {
                assertThat(shm.errorBound(asOfNs + SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
            }
            finally
            {
                assertThat(Thread.interrupted()).as("the interrupt is left for the caller").isTrue();
            }
            assertThat(ErrorBounds.isBounded(shm.errorBound(asOfNs + SECOND))).isTrue();
        }
    }

    /**
     * A writer on a mapped segment through VarHandle views (no Agrona, no JVM flag): ClockBound's writer
     * protocol needs a volatile (release) store of the generation and plain stores of the fields.
     */
    static final class SegmentWriter
    {
        private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());
        private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
        private final ByteBuffer buffer;

        SegmentWriter(final ByteBuffer buffer)
        {
            this.buffer = buffer;
        }

        void putShortVolatile(final int offset, final short value)
        {
            SHORT.setVolatile(buffer, offset, value);
        }

        void putLong(final int offset, final long value)
        {
            LONG.set(buffer, offset, value);
        }
    }

    /**
     * A file that plays the VMClock device: the layout of AWS's {@code clock-bound-vmclock} crate
     * ({@code VMClockShmHeader} + {@code VMClockShmBody}, 104 bytes, little endian), written here byte by byte.
     */
    static final class VmClock
    {
        int magic = 0x4B4C4356;
        int size = 104;
        int version = 1;
        int seqCount = 10;
        long disruptionMarker = 1;

        Path writeTo(final Path path) throws IOException
        {
            final ByteBuffer buffer = ByteBuffer.allocate(104).order(ByteOrder.LITTLE_ENDIAN);
            buffer.putInt(magic).putInt(size).putShort((short)version).put((byte)0).put((byte)0).putInt(seqCount);
            buffer.putLong(disruptionMarker);
            Files.write(path, buffer.array());
            return path;
        }

        @Override
        public String toString()
        {
            return "VmClock{magic=0x" + Integer.toHexString(magic) + ", version=" + version + ", seq=" + seqCount + "}";
        }
    }

    /** The fields of a version 2 segment, defaulting to a valid, synchronized one. */
    static final class Segment
    {
        int magic0 = 0x414D5A4E;
        int magic1 = 0x43420200;
        int segmentSize = 80;
        int version = 2;
        int generation = 10;
        long asOfSeconds = 100;
        long asOfNanos = 250;
        long voidAfterSeconds = 110;
        long voidAfterNanos = 250;
        long boundNs = 10_000;
        long disruptionMarker = 0xDEAD_BEEF_0000_0001L;
        int maxDriftPpb = 1_000;
        int status = 1;
        byte disruptionSupported = 0;

        byte[] bytes()
        {
            final ByteBuffer buffer = ByteBuffer.allocate(80).order(ByteOrder.nativeOrder());
            buffer.putInt(magic0).putInt(magic1).putInt(segmentSize);
            buffer.putShort((short)version).putShort((short)generation);
            buffer.putLong(asOfSeconds).putLong(asOfNanos).putLong(voidAfterSeconds).putLong(voidAfterNanos);
            buffer.putLong(boundNs).putLong(disruptionMarker).putInt(maxDriftPpb).putInt(status);
            buffer.put(disruptionSupported);
            assertThat(buffer.position()).isEqualTo(73);
            return buffer.array();
        }
    }

    private Path write(final Segment segment) throws IOException
    {
        final Path path = Files.createTempFile(dir, "shm", ".seg");
        Files.write(path, segment.bytes());
        return path;
    }

    private interface Filler
    {
        void fill(ByteBuffer buffer);
    }

    private static void overwrite(final Path path, final long offset, final Filler filler) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        filler.fill(buffer);
        buffer.flip();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            channel.write(buffer, offset);
        }
    }
}
