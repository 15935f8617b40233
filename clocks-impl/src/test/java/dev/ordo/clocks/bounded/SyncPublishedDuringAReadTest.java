package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.BoundedClock;
import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBoundSource;
import dev.ordo.clocks.api.TimeInterval;
import dev.ordo.clocks.api.TimeIntervalValue;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read takes a snapshot of the source's state, then real time {@code r}, then monotonic time {@code m}, then the
 * snapshot's bound at {@code m}, checked to be still current. These tests hold a reading thread between two of
 * those steps (as a preemption or a GC pause would) and let the sync daemon act meanwhile: every placement of every
 * kind of change, on every source, for every operation of the clock, deterministically (no sampling: each
 * interleaving is built by hand through the clocks' hooks). The daemon is honest at every instant (the source's
 * current bound always covers the clock's current error); the clock must then always contain a true time of the
 * call.
 */
class SyncPublishedDuringAReadTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long HOUR = 3_600 * SECOND;
    private static final long TRUE_START_NS = 1_800_000_000_000_000_000L;

    @TempDir
    Path dir;

    /**
     * Deterministic replay of the race (open until the read order changed): the real-time clock is 800 ms ahead,
     * and the last sync (bound 900 ms) says so honestly. A reader takes its real-time reading, then is held for
     * 10 ms (preemption, a GC); meanwhile the daemon steps the clock back by 800 ms, measures, and publishes a 1 ms
     * bound. Read in the old order (real time, monotonic time, then the source), the monotonic read and the source
     * read saw the new sync and wrapped the stale, 800 ms-wrong reading in a 1 ms interval.
     */
    @Test
    void aSyncPublishedBetweenTheRealTimeAndMonotonicReadsShouldNotNarrowAStaleReading()
    {
        final AtomicLong trueNs = new AtomicLong(TRUE_START_NS);
        final AtomicLong clockErrorNs = new AtomicLong(800 * MS);
        final AtomicLong monoNs = new AtomicLong(1_000 * SECOND);
        final DriftErrorBound source = DriftErrorBound.builder().monotonicClock(monoNs::get).build();
        source.updateBound(900 * MS, monoNs.get()); // honest: the clock is 800 ms off
        final boolean[] raced = {false};
        final ErrorBoundedClock clock = new ErrorBoundedClock(() ->
        {
            final long readingNs = trueNs.get() + clockErrorNs.get();
            if (!raced[0])
            {
                raced[0] = true;
                // The reader is held for 10 ms; the daemon steps the clock right and publishes a fresh sync.
                trueNs.addAndGet(10 * MS);
                monoNs.addAndGet(10 * MS);
                clockErrorNs.set(0);
                source.updateBound(MS, monoNs.get());
            }
            return readingNs;
        }, monoNs::get, source);

        final long trueAtStartNs = trueNs.get();
        final TimeInterval interval = clock.now(new TimeInterval());
        final long trueAtEndNs = trueNs.get();
        assertThat(interval.earliestNs()).as("%s must contain a true time during the call", interval)
            .isLessThanOrEqualTo(trueAtEndNs);
        assertThat(interval.latestNs()).isGreaterThanOrEqualTo(trueAtStartNs);
        // Not by giving up: the read was taken again, after the sync, and is judged by it.
        assertThat(interval.status()).isEqualTo(ClockStatus.SYNCHRONIZED);
        assertThat(interval.readingNs()).isEqualTo(trueAtEndNs);
    }

    /** Where the daemon's action lands in the reader's sequence of steps. */
    enum Placement
    {
        /** After the snapshot, before the real-time reading (old order: before the whole read). */
        BEFORE_THE_REAL_TIME_READING,
        /** Between the real-time and the monotonic readings (the race the old order lost). */
        BETWEEN_THE_REAL_TIME_AND_MONOTONIC_READINGS,
        /** After the monotonic reading, before the source is asked for the bound (old order: lost too). */
        AFTER_THE_MONOTONIC_READING
    }

    /** What the daemon does; each keeps the source's current bound above the clock's current error. */
    enum Change
    {
        /** Steps the clock to true time, then publishes a 1 ms bound (the bound shrinks after the clock moved). */
        NARROWER_SYNC_AFTER_A_STEP,
        /** Publishes a 5 s bound, then the clock moves 3 s off (the bound grows before the clock moves). */
        WIDER_BOUND_BEFORE_THE_CLOCK_MOVES,
        /** Reports a disruption, then the clock is an hour off (a VM restored from a snapshot). */
        DISRUPTION_THEN_A_JUMP
    }

    /** The sources; each is driven the way its own daemon would drive it. */
    enum Kind
    {
        DRIFT_ERROR_BOUND,
        CHRONY_TRACKING_BOUND,
        CLOCK_BOUND_SHM
    }

    /** The clock's operations; each is checked against the true times of its call. */
    enum Operation
    {
        NOW,
        NOW_VALUE,
        AFTER_HALF_A_SECOND_AHEAD,
        AFTER_HALF_A_SECOND_BEHIND,
        BEFORE_HALF_A_SECOND_AHEAD,
        BEFORE_HALF_A_SECOND_BEHIND,
        COMMIT_WAIT_HALF_A_SECOND_AHEAD
    }

    static Stream<Arguments> everyInterleaving()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final Kind kind : Kind.values())
        {
            for (final Change change : Change.values())
            {
                if (kind == Kind.CLOCK_BOUND_SHM && change == Change.WIDER_BOUND_BEFORE_THE_CLOCK_MOVES)
                {
                    // ClockBound's daemon learns that chrony moved the clock by polling chrony, so it can only ever
                    // publish a wider bound after the clock moved: this honest-at-every-instant change does not exist
                    // for it, and the reader (like AWS's client) does not look for a newer generation after its copy.
                    continue;
                }
                for (final Placement placement : Placement.values())
                {
                    for (final Operation operation : Operation.values())
                    {
                        for (final long sign : new long[] {1, -1})
                        {
                            cases.add(Arguments.of(kind, change, placement, operation, sign));
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    /**
     * The property: whatever the change and wherever it lands, the clock's answer holds for some true time during
     * the call, and a change that leaves the source bounded leaves the clock bounded (the read is taken again, not
     * given up).
     */
    @ParameterizedTest(name = "{0}: {1} {2}, {3}, clock error sign {4}")
    @MethodSource("everyInterleaving")
    void theAnswerShouldHoldForATrueTimeOfTheCallWhereverTheDaemonActs(
        final Kind kind, final Change change, final Placement placement, final Operation operation, final long sign)
        throws Exception
    {
        final World world = new World(kind, change, placement, sign);
        try
        {
            final long trueAtStartNs = world.trueNs.get();
            final long aheadNs = trueAtStartNs + 500 * MS;
            final long behindNs = trueAtStartNs - 500 * MS;
            final ErrorBoundedClock clock = world.clock;
            switch (operation)
            {
                case NOW ->
                {
                    final TimeInterval interval = clock.now(new TimeInterval());
                    world.checkInterval(interval.earliestNs(), interval.latestNs(), interval.status(), trueAtStartNs);
                }
                case NOW_VALUE ->
                {
                    final TimeIntervalValue value = clock.now();
                    world.checkInterval(value.earliestNs(), value.latestNs(), value.status(), trueAtStartNs);
                }
                case AFTER_HALF_A_SECOND_AHEAD -> world.checkAfter(clock.after(aheadNs), aheadNs);
                case AFTER_HALF_A_SECOND_BEHIND -> world.checkAfter(clock.after(behindNs), behindNs);
                case BEFORE_HALF_A_SECOND_AHEAD -> world.checkBefore(clock.before(aheadNs), aheadNs, trueAtStartNs);
                case BEFORE_HALF_A_SECOND_BEHIND -> world.checkBefore(clock.before(behindNs), behindNs, trueAtStartNs);
                case COMMIT_WAIT_HALF_A_SECOND_AHEAD ->
                {
                    final long waitedNs = clock.commitWait(aheadNs, 30 * SECOND);
                    if (waitedNs != BoundedClock.TIMED_OUT)
                    {
                        assertThat(aheadNs).as("commit wait returned before its target passed").isLessThan(world.trueNs.get());
                    }
                    else
                    {
                        assertThat(change).as("only a disruption leaves the clock unbounded")
                            .isEqualTo(Change.DISRUPTION_THEN_A_JUMP);
                    }
                }
                default -> throw new AssertionError(operation);
            }
            assertThat(world.changed).as("the daemon acted during the call").isTrue();
        }
        finally
        {
            world.close();
        }
    }

    /**
     * True time, the real-time clock's error, the monotonic clock, one source and its daemon. The clock's own
     * real-time and monotonic clocks are hooks: the first read through them at {@code placement} lets the daemon
     * act once. Commit waits advance the world by the time they idle.
     */
    private final class World implements AutoCloseable
    {
        final AtomicLong trueNs = new AtomicLong(TRUE_START_NS);
        final AtomicLong clockErrorNs = new AtomicLong();
        final AtomicLong monoNs = new AtomicLong(System.nanoTime() - 200 * SECOND); // sources may check it
        final Kind kind;
        final Change change;
        final Placement placement;
        final long sign;
        final ErrorBoundSource source;
        final ErrorBoundedClock clock;
        DriftErrorBound drift;
        ChronyTrackingBound chrony;
        ClockBoundShm shm;
        Path segmentPath;
        Path devicePath;
        boolean changed;

        World(final Kind kind, final Change change, final Placement placement, final long sign) throws IOException
        {
            this.kind = kind;
            this.change = change;
            this.placement = placement;
            this.sign = sign;
            clockErrorNs.set(sign * 800 * MS);
            switch (kind)
            {
                case DRIFT_ERROR_BOUND ->
                {
                    drift = DriftErrorBound.builder().monotonicClock(monoNs::get).build();
                    drift.updateBound(900 * MS, monoNs.get());
                    source = drift;
                }
                case CHRONY_TRACKING_BOUND ->
                {
                    chrony = ChronyTrackingBound.builder().build(); // not started: fed here, as its refresh does
                    chrony.drift().updateBound(900 * MS, monoNs.get());
                    source = chrony;
                }
                case CLOCK_BOUND_SHM ->
                {
                    segmentPath = dir.resolve("shm0");
                    devicePath = dir.resolve("vmclock0");
                    writeSegment(10, monoNs.get(), 900 * MS);
                    final ClockBoundShmTest.VmClock device = new ClockBoundShmTest.VmClock();
                    device.disruptionMarker = 7;
                    device.writeTo(devicePath);
                    shm = ClockBoundShm.open(segmentPath, devicePath);
                    source = shm;
                }
                default -> throw new AssertionError(kind);
            }
            final EpochNanoClock realTime = () ->
            {
                actAt(Placement.BEFORE_THE_REAL_TIME_READING);
                final long readingNs = trueNs.get() + clockErrorNs.get();
                actAt(Placement.BETWEEN_THE_REAL_TIME_AND_MONOTONIC_READINGS);
                return readingNs;
            };
            final NanoClock monotonic = () ->
            {
                final long readingNs = monoNs.get();
                actAt(Placement.AFTER_THE_MONOTONIC_READING);
                return readingNs;
            };
            clock = ErrorBoundedClock.builder(source).realTimeClock(realTime).monotonicClock(monotonic)
                .waitStrategy(this::pass).build();
        }

        private void pass(final long ns)
        {
            trueNs.addAndGet(ns);
            monoNs.addAndGet(ns);
        }

        private void actAt(final Placement here)
        {
            if (changed || here != placement)
            {
                return;
            }
            changed = true;
            pass(10 * MS); // the reader is held for 10 ms
            try
            {
                switch (change)
                {
                    case NARROWER_SYNC_AFTER_A_STEP ->
                    {
                        clockErrorNs.set(0);
                        publishBound(MS);
                    }
                    case WIDER_BOUND_BEFORE_THE_CLOCK_MOVES ->
                    {
                        publishBound(5 * SECOND);
                        clockErrorNs.set(sign * 3 * SECOND);
                    }
                    case DISRUPTION_THEN_A_JUMP ->
                    {
                        disrupt();
                        clockErrorNs.set(sign * HOUR);
                    }
                    default -> throw new AssertionError(change);
                }
            }
            catch (final IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        }

        private void publishBound(final long boundNs) throws IOException
        {
            switch (kind)
            {
                case DRIFT_ERROR_BOUND -> drift.updateBound(boundNs, monoNs.get());
                case CHRONY_TRACKING_BOUND -> chrony.drift().updateBound(boundNs, monoNs.get());
                case CLOCK_BOUND_SHM -> writeSegment(12, monoNs.get(), boundNs);
                default -> throw new AssertionError(kind);
            }
        }

        private void disrupt() throws IOException
        {
            switch (kind)
            {
                case DRIFT_ERROR_BOUND -> drift.markDisrupted(monoNs.get());
                case CHRONY_TRACKING_BOUND -> chrony.drift().markDisrupted(monoNs.get());
                case CLOCK_BOUND_SHM ->
                {
                    // The hypervisor bumps the VMClock marker at once; the daemon still has the old one.
                    final ClockBoundShmTest.VmClock device = new ClockBoundShmTest.VmClock();
                    device.disruptionMarker = 8;
                    device.writeTo(devicePath);
                }
                default -> throw new AssertionError(kind);
            }
        }

        /** Rewrites the segment in place (no truncation), as one update of the daemon, marker 7. */
        private void writeSegment(final int generation, final long asOfNs, final long boundNs) throws IOException
        {
            final ClockBoundShmTest.Segment segment = new ClockBoundShmTest.Segment();
            segment.generation = generation;
            segment.asOfSeconds = asOfNs / SECOND;
            segment.asOfNanos = asOfNs % SECOND;
            segment.voidAfterSeconds = segment.asOfSeconds + 3_600;
            segment.voidAfterNanos = segment.asOfNanos;
            segment.boundNs = boundNs;
            segment.maxDriftPpb = 15_000;
            segment.disruptionMarker = 7;
            segment.disruptionSupported = 1;
            try (FileChannel channel = FileChannel.open(segmentPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE))
            {
                channel.write(ByteBuffer.wrap(segment.bytes()), 0);
            }
        }

        void checkInterval(final long earliestNs, final long latestNs, final ClockStatus status, final long trueAtStartNs)
        {
            final long trueAtEndNs = trueNs.get();
            assertThat(earliestNs).as("[%d, %d] %s must contain a true time of the call [%d, %d]",
                earliestNs, latestNs, status, trueAtStartNs, trueAtEndNs).isLessThanOrEqualTo(trueAtEndNs);
            assertThat(latestNs).as("[%d, %d] %s must contain a true time of the call [%d, %d]",
                earliestNs, latestNs, status, trueAtStartNs, trueAtEndNs).isGreaterThanOrEqualTo(trueAtStartNs);
            if (change == Change.DISRUPTION_THEN_A_JUMP)
            {
                assertThat(status).isIn(ClockStatus.DISRUPTED, ClockStatus.UNKNOWN);
            }
            else
            {
                assertThat(status).as("a sync leaves the clock bounded: the read is taken again, not given up")
                    .isEqualTo(ClockStatus.SYNCHRONIZED);
            }
        }

        void checkAfter(final boolean after, final long timeNs)
        {
            if (after)
            {
                assertThat(timeNs).as("after(%d) said it had certainly passed", timeNs).isLessThan(trueNs.get());
            }
        }

        void checkBefore(final boolean before, final long timeNs, final long trueAtStartNs)
        {
            if (before)
            {
                assertThat(timeNs).as("before(%d) said it had certainly not arrived", timeNs)
                    .isGreaterThan(trueAtStartNs);
            }
        }

        @Override
        public void close()
        {
            if (shm != null)
            {
                shm.close();
            }
            if (chrony != null)
            {
                chrony.close();
            }
        }
    }
}
