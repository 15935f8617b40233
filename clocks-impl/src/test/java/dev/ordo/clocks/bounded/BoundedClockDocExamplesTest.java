package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.IntervalOrder;
import dev.ordo.clocks.api.TimeInterval;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of docs/bounded-clock.md, compiled and run. */
class BoundedClockDocExamplesTest
{
    @TempDir
    Path dir;

    @Test
    void quickStart() throws Exception
    {
        final ErrorBoundedClock clock = ErrorBoundedClock.system(new FixedErrorBound(2_000_000));
        final TimeInterval now = new TimeInterval();

        clock.now(now);
        final long commitTs = now.latestNs();
        final long waitedNs = clock.commitWait(commitTs);
        final boolean passed = clock.after(commitTs);
        final boolean notYet = clock.before(commitTs);

        assertThat(waitedNs).isPositive();
        assertThat(passed).isTrue();
        assertThat(notYet).isFalse();
    }

    @Test
    void driftModel()
    {
        final DriftErrorBound drift = new DriftErrorBound(
            DriftErrorBound.NTP_PHI_PPB, 64_000_000_000L, 600_000_000_000L);
        final ErrorBoundedClock clock = ErrorBoundedClock.system(drift);
        assertThat(clock.now(new TimeInterval()).status()).isEqualTo(ClockStatus.UNKNOWN);

        final long offsetNs = -350_000;
        final long rootDelayNs = 1_200_000;
        final long rootDispersionNs = 80_000;
        drift.update(offsetNs, rootDelayNs, rootDispersionNs, SystemNanoClock.INSTANCE.nanoTime());

        final TimeInterval now = clock.now(new TimeInterval());
        assertThat(now.status()).isEqualTo(ClockStatus.SYNCHRONIZED);
        assertThat(now.widthNs()).isGreaterThanOrEqualTo(2 * (350_000 + 600_000 + 80_000));
    }

    @Test
    void clockBound() throws Exception
    {
        final ClockBoundShmTest.Segment segment = new ClockBoundShmTest.Segment();
        segment.asOfSeconds = SystemNanoClock.INSTANCE.nanoTime() / 1_000_000_000L;
        segment.voidAfterSeconds = segment.asOfSeconds + 60;
        final Path path = dir.resolve("shm0");
        Files.write(path, segment.bytes());

        try (ClockBoundShm shm = ClockBoundShm.open(path))
        {
            final ErrorBoundedClock clock = ErrorBoundedClock.system(shm);
            final TimeInterval now = clock.now(new TimeInterval());
            assertThat(now.status()).isEqualTo(ClockStatus.SYNCHRONIZED);
        }
    }

    @Test
    void ordering()
    {
        final TimeInterval a = new TimeInterval(100, 200, ClockStatus.SYNCHRONIZED);
        final TimeInterval b = new TimeInterval(150, 300, ClockStatus.SYNCHRONIZED);
        final IntervalOrder order = a.order(b);
        assertThat(order).isEqualTo(IntervalOrder.OVERLAPPING);
        assertThat(TimeInterval.order(100, 200, 201, 300)).isEqualTo(IntervalOrder.BEFORE);
    }

    @Test
    void leaseAndFencing()
    {
        final ErrorBoundedClock clock = ErrorBoundedClock.system(new FixedErrorBound(1_000_000));
        final FencingTokenGuard guard = new FencingTokenGuard();
        final Object resource = new Object();
        final long token = 42;
        final long expiryNs = clock.now(new TimeInterval()).latestNs() + 10_000_000_000L;

        final Lease lease = new Lease(clock);
        lease.grant(token, expiryNs);
        boolean applied = false;
        if (lease.isHeld())
        {
            synchronized (resource)
            {
                if (guard.tryAcceptCurrent(lease.token()))
                {
                    applied = true;
                }
            }
        }
        assertThat(applied).isTrue();
        assertThat(guard.tryAcceptCurrent(41)).isFalse();
    }
}
