package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.BoundedClock;
import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBoundSource;
import dev.ordo.clocks.api.ErrorBounds;
import dev.ordo.clocks.api.TimeInterval;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ErrorBoundedClockTest
{
    private static final long START_NS = 1_700_000_000_000_000_000L;

    private final CachedNanoClock real = new CachedNanoClock();
    private final CachedNanoClock mono = new CachedNanoClock();

    ErrorBoundedClockTest()
    {
        real.update(START_NS);
        mono.update(5_000);
    }

    @Test
    void nowShouldBeReadingPlusMinusBound()
    {
        final ErrorBoundedClock clock = new ErrorBoundedClock(real::nanoTime, mono, new FixedErrorBound(500));
        final TimeInterval interval = clock.now(new TimeInterval());
        assertThat(interval.earliestNs()).isEqualTo(START_NS - 500);
        assertThat(interval.latestNs()).isEqualTo(START_NS + 500);
        assertThat(interval.readingNs()).isEqualTo(START_NS);
        assertThat(interval.status()).isEqualTo(ClockStatus.SYNCHRONIZED);
    }

    @Test
    void afterShouldHoldOnlyWhenEarliestIsPastAndBeforeOnlyWhenLatestIsShort()
    {
        final ErrorBoundedClock clock = new ErrorBoundedClock(real::nanoTime, mono, new FixedErrorBound(500));
        assertThat(clock.after(START_NS - 501)).isTrue();
        assertThat(clock.after(START_NS - 500)).isFalse();
        assertThat(clock.after(START_NS)).isFalse();
        assertThat(clock.before(START_NS + 501)).isTrue();
        assertThat(clock.before(START_NS + 500)).isFalse();
        assertThat(clock.before(START_NS)).isFalse();
    }

    @Test
    void shouldPassMonotonicTimeToTheSource()
    {
        final long[] seen = new long[1];
        final ErrorBoundedClock clock = new ErrorBoundedClock(real::nanoTime, mono, (monotonicNs) ->
        {
            seen[0] = monotonicNs;
            return ErrorBounds.synchronizedBound(1);
        });
        mono.update(123_456);
        clock.now(new TimeInterval());
        assertThat(seen[0]).isEqualTo(123_456);
    }

    /**
     * The read order every operation follows: the source's snapshot before the real-time read, its bound after the
     * monotonic read, from that snapshot.
     */
    @Test
    void everyOperationShouldSnapshotTheSourceBeforeTheRealTimeReadAndAskForTheBoundAfterTheMonotonicRead()
        throws Exception
    {
        final StringBuilder steps = new StringBuilder();
        final Object token = new Object();
        final ErrorBoundSource source = new ErrorBoundSource()
        {
            @Override
            public long errorBound(final long monotonicNs)
            {
                throw new AssertionError("a clock reads a snapshot-aware source through its snapshot");
            }

            @Override
            public Object snapshot()
            {
                steps.append("snapshot ");
                return token;
            }

            @Override
            public long errorBoundFrom(final Object snapshot, final long monotonicNs)
            {
                assertThat(snapshot).isSameAs(token);
                steps.append("bound@").append(monotonicNs).append(' ');
                return ErrorBounds.synchronizedBound(1_000);
            }
        };
        final ErrorBoundedClock clock = new ErrorBoundedClock(() ->
        {
            steps.append("real ");
            return START_NS;
        }, () ->
        {
            steps.append("mono ");
            return 77;
        }, source);
        final String oneRead = "snapshot real mono bound@77 ";
        clock.now(new TimeInterval());
        assertThat(steps.toString()).isEqualTo(oneRead);
        steps.setLength(0);
        assertThat(clock.now().latestNs()).isEqualTo(START_NS + 1_000);
        assertThat(steps.toString()).isEqualTo(oneRead);
        steps.setLength(0);
        assertThat(clock.after(START_NS - 1_001)).isTrue();
        assertThat(steps.toString()).isEqualTo(oneRead);
        steps.setLength(0);
        assertThat(clock.before(START_NS + 1_001)).isTrue();
        assertThat(steps.toString()).isEqualTo(oneRead);
        steps.setLength(0);
        assertThat(clock.commitWait(START_NS - 1_001)).isZero();
        assertThat(steps.toString()).isEqualTo("mono " + oneRead);
    }

    /**
     * A source that keeps the defaults (a lambda, written before snapshots existed) is read in the old order and
     * gets the monotonic time read after the real-time clock.
     */
    @Test
    void aSourceWithoutSnapshotsShouldBeAskedAfterBothClockReads()
    {
        final StringBuilder steps = new StringBuilder();
        final ErrorBoundedClock clock = new ErrorBoundedClock(() ->
        {
            steps.append("real ");
            return START_NS;
        }, () ->
        {
            steps.append("mono ");
            return 5;
        }, (monotonicNs) ->
        {
            steps.append("bound@").append(monotonicNs);
            return ErrorBounds.synchronizedBound(1);
        });
        assertThat(clock.now(new TimeInterval()).isBounded()).isTrue();
        assertThat(steps.toString()).isEqualTo("real mono bound@5");
        final ErrorBoundSource lambda = (m) -> 42;
        assertThat(lambda.snapshot()).isNull();
        assertThat(lambda.errorBoundFrom(null, 1)).isEqualTo(42);
    }

    /** A change of the source during a read: everything is read again, once, and the second read is reported. */
    @Test
    void aReadThatRacedWithAChangeShouldBeTakenAgainWhole()
    {
        final int[] snapshots = {0};
        final ErrorBoundSource source = new ErrorBoundSource()
        {
            @Override
            public long errorBound(final long monotonicNs)
            {
                return ErrorBounds.synchronizedBound(1_000);
            }

            @Override
            public Object snapshot()
            {
                return ++snapshots[0];
            }

            @Override
            public long errorBoundFrom(final Object snapshot, final long monotonicNs)
            {
                return snapshot.equals(1) ? ErrorBounds.SNAPSHOT_CHANGED : ErrorBounds.synchronizedBound(1_000);
            }
        };
        final long[] readings = {START_NS, START_NS + 5_000};
        final int[] realReads = {0};
        final ErrorBoundedClock clock = new ErrorBoundedClock(() -> readings[Math.min(realReads[0]++, 1)], mono, source);
        final TimeInterval interval = clock.now(new TimeInterval());
        assertThat(snapshots[0]).isEqualTo(2);
        assertThat(realReads[0]).isEqualTo(2);
        assertThat(interval.readingNs()).as("the second reading, judged by the second snapshot").isEqualTo(START_NS + 5_000);
        assertThat(interval.status()).isEqualTo(ClockStatus.SYNCHRONIZED);
    }

    /**
     * A source that changes during every read (a publisher without pause): each call gives up after
     * MAX_READ_ATTEMPTS reads and reports what it cannot bound as UNKNOWN; a commit wait keeps looking, idling as
     * while unbounded, and times out.
     */
    @Test
    void aSourceThatChangesDuringEveryReadShouldCostAtMostMaxReadAttemptsAndBeUnknown() throws Exception
    {
        final int[] snapshots = {0};
        final ErrorBoundSource source = new ErrorBoundSource()
        {
            @Override
            public long errorBound(final long monotonicNs)
            {
                return ErrorBounds.synchronizedBound(1_000);
            }

            @Override
            public Object snapshot()
            {
                snapshots[0]++;
                return null;
            }

            @Override
            public long errorBoundFrom(final Object snapshot, final long monotonicNs)
            {
                return ErrorBounds.SNAPSHOT_CHANGED;
            }
        };
        final SimulatedWorld world = new SimulatedWorld(START_NS);
        final ErrorBoundedClock clock = world.node((t) -> 0, source);
        final TimeInterval interval = clock.now(new TimeInterval());
        assertThat(snapshots[0]).isEqualTo(ErrorBoundedClock.MAX_READ_ATTEMPTS);
        assertThat(interval.isBounded()).isFalse();
        assertThat(interval.status()).isEqualTo(ClockStatus.UNKNOWN);
        assertThat(interval.readingNs()).isEqualTo(START_NS);
        assertThat(clock.now().status()).isEqualTo(ClockStatus.UNKNOWN);
        assertThat(clock.after(Long.MIN_VALUE)).isFalse();
        assertThat(clock.before(Long.MAX_VALUE)).isFalse();
        assertThat(snapshots[0]).isEqualTo(4 * ErrorBoundedClock.MAX_READ_ATTEMPTS);
        final long startNs = world.trueNs;
        assertThat(clock.commitWait(START_NS - 1_000_000_000L, 3 * ErrorBoundedClock.UNBOUNDED_POLL_NS))
            .isEqualTo(BoundedClock.TIMED_OUT);
        assertThat(world.trueNs - startNs).isEqualTo(3 * ErrorBoundedClock.UNBOUNDED_POLL_NS);
    }

    @Test
    void unknownOrNonsenseSourceShouldGiveAnUnboundedIntervalNeverANarrowerOne()
    {
        final long[] reports = {
            ErrorBounds.UNKNOWN, -5L, Long.MIN_VALUE, ErrorBounds.of(-5, ClockStatus.SYNCHRONIZED),
            ErrorBounds.of(Long.MAX_VALUE, ClockStatus.FREE_RUNNING), ErrorBounds.of(7, ClockStatus.UNKNOWN)};
        for (final long report : reports)
        {
            final ErrorBoundedClock clock = new ErrorBoundedClock(real::nanoTime, mono, (m) -> report);
            final TimeInterval interval = clock.now(new TimeInterval());
            assertThat(interval.earliestNs()).as("report %d", report).isEqualTo(Long.MIN_VALUE);
            assertThat(interval.latestNs()).as("report %d", report).isEqualTo(Long.MAX_VALUE);
            assertThat(interval.status()).as("report %d", report).isEqualTo(ClockStatus.UNKNOWN);
            assertThat(interval.readingNs()).as("report %d", report).isEqualTo(START_NS);
            assertThat(clock.after(Long.MIN_VALUE)).as("report %d", report).isFalse();
            assertThat(clock.before(Long.MAX_VALUE)).as("report %d", report).isFalse();
        }
    }

    @Test
    void disruptedSourceShouldGiveAnUnboundedDisruptedInterval()
    {
        final ErrorBoundedClock clock = new ErrorBoundedClock(
            real::nanoTime, mono, (m) -> ErrorBounds.of(10, ClockStatus.DISRUPTED));
        final TimeInterval interval = clock.now(new TimeInterval());
        assertThat(interval.isBounded()).isFalse();
        assertThat(interval.status()).isEqualTo(ClockStatus.DISRUPTED);
        assertThat(clock.after(0)).isFalse();
    }

    @Test
    void shouldSaturateInsteadOfWrapping()
    {
        real.update(Long.MAX_VALUE - 10);
        final ErrorBoundedClock clock = new ErrorBoundedClock(real::nanoTime, mono, new FixedErrorBound(100));
        final TimeInterval interval = clock.now(new TimeInterval());
        assertThat(interval.latestNs()).isEqualTo(Long.MAX_VALUE);
        assertThat(interval.earliestNs()).isEqualTo(Long.MAX_VALUE - 110);
        assertThat(clock.before(Long.MIN_VALUE)).isFalse();
    }

    @Test
    void commitWaitShouldWaitExactlyTwiceTheBoundForItsOwnLatest() throws Exception
    {
        final SimulatedWorld world = new SimulatedWorld(START_NS);
        final ErrorBoundedClock clock = world.node((t) -> 0, new FixedErrorBound(1_000));
        final long commitNs = clock.now(new TimeInterval()).latestNs();
        final long waitedNs = clock.commitWait(commitNs);
        assertThat(waitedNs).isEqualTo(2 * 1_000 + 1);
        assertThat(clock.after(commitNs)).isTrue();
        assertThat(clock.commitWait(commitNs)).as("already passed").isZero();
    }

    @Test
    void commitWaitWithTimeoutShouldGiveUpCleanlyWhileUnbounded() throws Exception
    {
        final SimulatedWorld world = new SimulatedWorld(START_NS);
        final ErrorBoundedClock clock = world.node((t) -> 0, (m) -> ErrorBounds.UNKNOWN);
        final long before = world.trueNs;
        assertThat(clock.commitWait(START_NS - 1_000_000_000L, 5_000_000)).isEqualTo(BoundedClock.TIMED_OUT);
        assertThat(world.trueNs - before).isEqualTo(5_000_000);
        assertThat(clock.commitWait(START_NS, 0)).isEqualTo(BoundedClock.TIMED_OUT);
    }

    @Test
    void commitWaitWithTimeoutShouldSucceedWhenTheTargetComesFirst() throws Exception
    {
        final SimulatedWorld world = new SimulatedWorld(START_NS);
        final ErrorBoundedClock clock = world.node((t) -> 0, new FixedErrorBound(1_000));
        assertThat(clock.commitWait(START_NS + 10_000, 1_000_000)).isEqualTo(11_001);
        assertThat(clock.commitWait(START_NS + 10_000_000, 1_000_000)).isEqualTo(BoundedClock.TIMED_OUT);
    }

    @Test
    void shouldRejectNegativeTimeoutAndNullParts()
    {
        final ErrorBoundedClock clock = new ErrorBoundedClock(real::nanoTime, mono, new FixedErrorBound(1));
        assertThatThrownBy(() -> clock.commitWait(0, -1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-1");
        assertThatThrownBy(() -> new ErrorBoundedClock(null, mono, new FixedErrorBound(1)))
            .isInstanceOf(NullPointerException.class).hasMessageContaining("realTimeClock");
        assertThatThrownBy(() -> new ErrorBoundedClock(real::nanoTime, mono, null))
            .isInstanceOf(NullPointerException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> new FixedErrorBound(-1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-1");
        assertThatThrownBy(() -> CommitWaitStrategy.parkThenSpin(-3)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-3");
    }

    @Test
    @Timeout(10)
    void commitWaitOnSystemClocksShouldReturnOnlyOnceTheTargetCertainlyPassed() throws Exception
    {
        final ErrorBoundedClock clock = ErrorBoundedClock.system(new FixedErrorBound(1_000_000));
        final long commitNs = clock.now(new TimeInterval()).latestNs();
        final long waitedNs = clock.commitWait(commitNs);
        assertThat(clock.after(commitNs)).isTrue();
        // The real-time clock had to advance by more than 2 ms; the monotonic clock measures about the same.
        assertThat(waitedNs).isGreaterThan(1_900_000);
    }

    @Test
    @Timeout(10)
    void commitWaitOnSystemClocksShouldTimeOutWhenUnbounded() throws Exception
    {
        final ErrorBoundedClock clock = new ErrorBoundedClock(
            SystemEpochNanoClock.INSTANCE, SystemNanoClock.INSTANCE, (m) -> ErrorBounds.UNKNOWN);
        assertThat(clock.commitWait(0, TimeUnit.MILLISECONDS.toNanos(3))).isEqualTo(BoundedClock.TIMED_OUT);
    }

    @Test
    @Timeout(10)
    void commitWaitShouldBeInterruptible() throws Exception
    {
        final ErrorBoundedClock clock = new ErrorBoundedClock(
            SystemEpochNanoClock.INSTANCE, SystemNanoClock.INSTANCE, (m) -> ErrorBounds.UNKNOWN);
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final CountDownLatch started = new CountDownLatch(1);
        final Thread waiter = new Thread(() ->
        {
            started.countDown();
            try
            {
                clock.commitWait(0);
            }
            catch (final Throwable ex)
            {
                thrown.set(ex);
            }
        });
        waiter.start();
        started.await();
        waiter.interrupt();
        waiter.join(5_000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);

        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> clock.commitWait(Long.MAX_VALUE, 1_000_000)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("interrupt consumed").isFalse();
    }
}
