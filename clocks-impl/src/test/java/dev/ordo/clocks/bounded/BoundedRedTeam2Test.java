package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBounds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Red-team round 2 on the bounded clock's read order and the per-thread ClockBound copy: each test states a
 * property an attack tried to break.
 */
class BoundedRedTeam2Test
{
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    /**
     * ErrorBoundSource's contract: a snapshot is valid until the thread's next <em>snapshot</em> of the source.
     * A same-thread {@code errorBound(m)} or {@code read(out)} in between (a wrapping source, a health check,
     * logging) must not turn the snapshot into a newer state: a narrower bound published after the real-time
     * read would otherwise judge that reading (the hazard the read order exists to prevent).
     */
    @Test
    void errorBoundOrReadBetweenSnapshotAndErrorBoundFromShouldNotChangeTheSnapshot() throws Exception
    {
        final ClockBoundShmTest.Segment segment = new ClockBoundShmTest.Segment();
        final Path path = write(segment);
        final long readNs = 101 * SECOND;
        final long oldBound = ErrorBounds.of(10_000 + DriftErrorBound.driftNs(SECOND - 250, 1_000, SECOND - 1_000),
            ClockStatus.SYNCHRONIZED);
        try (ClockBoundShm shm = ClockBoundShm.open(path, dir.resolve("no-vmclock"), 10, 0))
        {
            final Object snapshot = shm.snapshot();
            segment.generation = 12; // the daemon steps the clock and publishes a narrower bound
            segment.boundNs = 5;
            overwriteSegment(path, segment);
            assertThat(ErrorBounds.boundNs(shm.errorBound(readNs))).as("a fresh read sees the new bound")
                .isLessThan(ErrorBounds.boundNs(oldBound));
            assertThat(shm.errorBoundFrom(snapshot, readNs)).as("after errorBound(m) on the same thread")
                .isEqualTo(oldBound);
            assertThat(shm.read(new ClockBoundSnapshot())).isEqualTo(ClockBoundReadResult.OK);
            assertThat(shm.errorBoundFrom(snapshot, readNs)).as("after read(out) on the same thread")
                .isEqualTo(oldBound);
        }
    }

    /**
     * A snapshot handed to another thread is outside the contract; it must not give that thread a bound at all
     * (the owner thread may be rewriting it in place), so it reads as unknown rather than a torn bound.
     */
    @Test
    void aSnapshotUsedOnAnotherThreadShouldBeUnknown() throws Exception
    {
        final Path path = write(new ClockBoundShmTest.Segment());
        try (ClockBoundShm shm = ClockBoundShm.open(path, dir.resolve("no-vmclock"), 10, 0))
        {
            final Object snapshot = shm.snapshot();
            assertThat(ErrorBounds.isBounded(shm.errorBoundFrom(snapshot, 101 * SECOND))).isTrue();
            final AtomicLong elsewhere = new AtomicLong();
            final Thread other = new Thread(() -> elsewhere.set(shm.errorBoundFrom(snapshot, 101 * SECOND)));
            other.start();
            other.join();
            assertThat(elsewhere.get()).isEqualTo(ErrorBounds.UNKNOWN);
        }
    }

    /** A snapshot of one reader is not a snapshot of another (closed and reopened on the same file). */
    @Test
    void aSnapshotOfAClosedReaderShouldNotServeItsSuccessor() throws Exception
    {
        final Path path = write(new ClockBoundShmTest.Segment());
        final ClockBoundShm first = ClockBoundShm.open(path, dir.resolve("no-vmclock"), 10, 0);
        final Object snapshot = first.snapshot();
        first.close();
        try (ClockBoundShm second = ClockBoundShm.open(path, dir.resolve("no-vmclock"), 10, 0))
        {
            assertThat(second.errorBoundFrom(snapshot, 101 * SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
        }
    }

    /**
     * A FIFO at the segment's path (a misconfiguration, or a path an attacker controls) must fail open() with a
     * clear error, not block it forever waiting for a writer. /dev/zero must fail too (not a segment).
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void openOfAFifoOrACharacterDeviceShouldFailFast() throws Exception
    {
        final Path fifo = dir.resolve("fifo");
        final Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        final java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        final Thread opener = new Thread(() ->
        {
            try
            {
                ClockBoundShm.open(fifo, dir.resolve("no-vmclock")).close();
            }
            catch (final Throwable ex)
            {
                thrown.set(ex);
            }
        });
        opener.setDaemon(true);
        opener.start();
        opener.join(5_000);
        final boolean blocked = opener.isAlive();
        if (blocked)
        {
            try (FileChannel unblock = FileChannel.open(fifo, StandardOpenOption.WRITE))
            {
                opener.join(5_000); // a writer lets the blocked open() return
            }
        }
        assertThat(blocked).as("open() of a FIFO blocked until a writer came").isFalse();
        assertThat(thrown.get()).isInstanceOf(ClockBoundSegmentException.class).hasMessageContaining("regular file");
        assertThatThrownBy(() -> ClockBoundShm.open(Path.of("/dev/zero"), dir.resolve("no-vmclock")).close())
            .isInstanceOf(IOException.class);
    }

    /** Absurd fields never narrow: a bound near Long.MAX, a drift near 1, as-of in the future, void-after first. */
    @Test
    void absurdFieldsShouldNeverGiveASmallBound() throws Exception
    {
        final long readNs = 101 * SECOND;
        final ClockBoundShmTest.Segment huge = new ClockBoundShmTest.Segment();
        huge.boundNs = Long.MAX_VALUE - 1;
        assertThat(ErrorBounds.isBounded(boundOf(huge, readNs))).isFalse();
        final ClockBoundShmTest.Segment drift = new ClockBoundShmTest.Segment();
        drift.maxDriftPpb = 999_999_999;
        final long driftBound = boundOf(drift, readNs);
        assertThat(!ErrorBounds.isBounded(driftBound) || ErrorBounds.boundNs(driftBound) >= 10_000 + SECOND - 250)
            .as(ErrorBounds.toString(driftBound)).isTrue();
        final ClockBoundShmTest.Segment future = new ClockBoundShmTest.Segment();
        future.asOfSeconds = 200;
        assertThat(boundOf(future, readNs)).isEqualTo(ErrorBounds.UNKNOWN);
        final ClockBoundShmTest.Segment voidFirst = new ClockBoundShmTest.Segment();
        voidFirst.voidAfterSeconds = 50; // before as-of: only the restart grace trusts it, never longer
        assertThat(boundOf(voidFirst, readNs + 6 * SECOND)).isEqualTo(ErrorBounds.UNKNOWN);
        final ClockBoundShmTest.Segment negative = new ClockBoundShmTest.Segment();
        negative.maxDriftPpb = -1; // u32 4294967295 ppb: more than 1
        assertThat(boundOf(negative, readNs)).isEqualTo(ErrorBounds.UNKNOWN);
    }

    private long boundOf(final ClockBoundShmTest.Segment segment, final long readNs) throws IOException
    {
        try (ClockBoundShm shm = ClockBoundShm.open(write(segment), dir.resolve("no-vmclock"), 10, 0))
        {
            return shm.errorBoundFrom(shm.snapshot(), readNs);
        }
    }

    private Path write(final ClockBoundShmTest.Segment segment) throws IOException
    {
        final Path path = Files.createTempFile(dir, "shm", ".seg");
        Files.write(path, segment.bytes());
        return path;
    }

    private static void overwriteSegment(final Path path, final ClockBoundShmTest.Segment segment) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(segment.bytes()), 0);
        }
    }
}
