package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.ForwardJumpPolicy;
import dev.ordo.clocks.api.PhysicalClockJumpedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@link ForwardJumpPolicy#REFUSE}, no timestamp taken from a jumped physical reading may be issued before
 * the jump is acknowledged, even by a thread racing the one that detects the jump. The interleaving is forced
 * with latches inside the physical and monotonic clocks (no sleeps, bounded waits).
 */
class ForwardJumpRefuseRaceTest
{
    private static final long T0 = 1_795_000_000_000L;
    private static final long ONE_HOUR_MS = 3_600_000L;

    @Test
    void aThreadRacingTheDetectorShouldNotIssueATimestampFromTheJumpedReading() throws Exception
    {
        final AtomicLong physicalMs = new AtomicLong(T0);
        final AtomicLong monotonicNs = new AtomicLong(1_000_000_000L);
        final CountDownLatch detectorInMonotonicRead = new CountDownLatch(1);
        final CountDownLatch racerDone = new CountDownLatch(1);
        final AtomicReference<Thread> racer = new AtomicReference<>();
        final AtomicReference<Thread> detector = new AtomicReference<>();

        final AtomicHybridClock clock = AtomicHybridClock.builder()
            .epochClock(() ->
            {
                if (Thread.currentThread() == racer.get())
                {
                    await(detectorInMonotonicRead); // read the jumped time only once the detector is mid-check
                }
                return physicalMs.get();
            })
            .monotonicClock(() ->
            {
                if (Thread.currentThread() == detector.get())
                {
                    detectorInMonotonicRead.countDown();
                    await(racerDone); // the racer finishes its call while the detector is mid-check
                }
                return monotonicNs.get();
            })
            .forwardJumpThreshold(Duration.ofMillis(100))
            .forwardJumpPolicy(ForwardJumpPolicy.REFUSE)
            .build();
        final long before = clock.now(); // sets the baseline
        physicalMs.addAndGet(ONE_HOUR_MS); // the wall clock steps 1 h ahead; monotonic time does not move

        final AtomicReference<Object> racerOutcome = new AtomicReference<>();
        final AtomicReference<Object> detectorOutcome = new AtomicReference<>();
        final Thread racerThread = new Thread(() -> call(clock, racerOutcome, racerDone));
        final Thread detectorThread = new Thread(() -> call(clock, detectorOutcome, null));
        racer.set(racerThread);
        detector.set(detectorThread);
        racerThread.start();
        detectorThread.start();
        racerThread.join(10_000);
        detectorThread.join(10_000);

        assertThat(detectorOutcome.get()).isInstanceOf(PhysicalClockJumpedException.class);
        assertThat(racerOutcome.get())
            .as("the racer's now() read the jumped time: it must be refused, not issued")
            .isInstanceOf(PhysicalClockJumpedException.class);
        assertThat(clock.current()).isEqualTo(before);
        assertThat(clock.forwardJumps()).isEqualTo(1);
        clock.acknowledgeForwardJump();
        assertThat(clock.now() >>> 16).isEqualTo(T0 + ONE_HOUR_MS);
    }

    private static void call(final AtomicHybridClock clock, final AtomicReference<Object> outcome, final CountDownLatch done)
    {
        try
        {
            outcome.set(clock.now());
        }
        catch (final RuntimeException ex)
        {
            outcome.set(ex);
        }
        finally
        {
            if (done != null)
            {
                done.countDown();
            }
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
