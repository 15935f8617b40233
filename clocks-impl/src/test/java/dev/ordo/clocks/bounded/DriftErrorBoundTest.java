package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBounds;
import dev.ordo.clocks.api.TimeInterval;
import dev.ordo.clocks.testing.Seeds;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriftErrorBoundTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final long FREE_RUNNING_AFTER_NS = 64 * SECOND;
    private static final long VOID_AFTER_NS = 600 * SECOND;
    /** A monotonic clock for tests that stamp syncs with made-up times: no stamp is ever in its future. */
    private static final NanoClock SYNTHETIC_TIME = () -> Long.MAX_VALUE;

    @Test
    void shouldBeUnknownBeforeTheFirstSync()
    {
        final DriftErrorBound source = new DriftErrorBound(DriftErrorBound.NTP_PHI_PPB, SECOND, 2 * SECOND, SYNTHETIC_TIME);
        assertThat(source.errorBound(123)).isEqualTo(ErrorBounds.UNKNOWN);
    }

    /**
     * The snapshot read order: a snapshot's bound is the one errorBound gives while nothing was published; every
     * publication in between (sync, disruption; not an ignored older sync) makes it SNAPSHOT_CHANGED.
     */
    @Test
    void aSnapshotShouldGiveTheSameBoundUntilAnythingIsPublishedAfterIt()
    {
        final DriftErrorBound source = new DriftErrorBound(DriftErrorBound.NTP_PHI_PPB, SECOND, 2 * SECOND, SYNTHETIC_TIME);
        final Object none = source.snapshot();
        assertThat(none).as("no sync yet").isNull();
        assertThat(source.errorBoundFrom(none, 5)).isEqualTo(ErrorBounds.UNKNOWN);
        source.updateBound(1_000, 10 * SECOND);
        assertThat(source.errorBoundFrom(none, 10 * SECOND)).as("the first sync").isEqualTo(ErrorBounds.SNAPSHOT_CHANGED);

        final Object first = source.snapshot();
        for (final long readNs : new long[] {10 * SECOND, 10 * SECOND + 1, 11 * SECOND, 10 * SECOND - 7, 13 * SECOND})
        {
            assertThat(source.errorBoundFrom(first, readNs)).as("read at %d", readNs).isEqualTo(source.errorBound(readNs));
        }
        assertThat(source.updateBound(5, 9 * SECOND)).as("older: ignored").isFalse();
        assertThat(source.errorBoundFrom(first, 10 * SECOND)).as("nothing was published").isEqualTo(source.errorBound(10 * SECOND));
        source.updateBound(1_000, 10 * SECOND); // the same values again: still a new publication
        assertThat(source.errorBoundFrom(first, 10 * SECOND)).isEqualTo(ErrorBounds.SNAPSHOT_CHANGED);

        final Object second = source.snapshot();
        source.markDisrupted(10 * SECOND + 5);
        assertThat(source.errorBoundFrom(second, 11 * SECOND)).isEqualTo(ErrorBounds.SNAPSHOT_CHANGED);
        final Object disrupted = source.snapshot();
        assertThat(ErrorBounds.status(source.errorBoundFrom(disrupted, 11 * SECOND))).isEqualTo(ClockStatus.DISRUPTED);
        assertThat(source.errorBoundFrom("not a snapshot", 11 * SECOND)).isEqualTo(ErrorBounds.SNAPSHOT_CHANGED);

        final ChronyTrackingBound chrony = ChronyTrackingBound.builder().build(); // delegates to its drift model
        assertThat(chrony.snapshot()).isNull();
        assertThat(chrony.errorBoundFrom(null, 1)).isEqualTo(ErrorBounds.UNKNOWN);
        final long nowNs = System.nanoTime();
        chrony.drift().updateBound(1_000, nowNs);
        final Object synced = chrony.snapshot();
        assertThat(synced).isNotNull();
        assertThat(chrony.errorBoundFrom(synced, nowNs)).isEqualTo(chrony.errorBound(nowNs));
        chrony.drift().updateBound(500, nowNs);
        assertThat(chrony.errorBoundFrom(synced, nowNs)).isEqualTo(ErrorBounds.SNAPSHOT_CHANGED);
    }

    @Test
    void shouldFollowClockBoundsFormula()
    {
        final DriftErrorBound source = new DriftErrorBound(1_000, FREE_RUNNING_AFTER_NS, VOID_AFTER_NS, SYNTHETIC_TIME);
        assertThat(source.update(-4_000, 3_001, 2_000, 10 * SECOND)).isTrue();
        // |offset| + ceil(delay / 2) + dispersion
        assertThat(source.lastSyncBoundNs()).isEqualTo(4_000 + 1_501 + 2_000);
        assertThat(source.errorBound(10 * SECOND)).isEqualTo(ErrorBounds.of(7_501, ClockStatus.SYNCHRONIZED));
        // 2 s at 1 ppm: 2000 ns, plus the 1/(1 - 1e-6) correction rounded up (2000.002 -> 2001)
        assertThat(ErrorBounds.boundNs(source.errorBound(12 * SECOND))).isEqualTo(7_501 + 2_001);
    }

    @Test
    void intervalShouldContainTrueTimeWhileRealDriftStaysWithinTheConfiguredRate() throws Exception
    {
        final long seed = Seeds.seed("DriftErrorBoundTest.containsTrueTime");
        final SplittableRandom random = new SplittableRandom(seed);
        final long maxDriftPpb = 50_000;
        for (int trial = 0; trial < 2_000; trial++)
        {
            final DriftingHost host = new DriftingHost(random, maxDriftPpb * 9 / 10);
            final DriftErrorBound source = new DriftErrorBound(maxDriftPpb, FREE_RUNNING_AFTER_NS, VOID_AFTER_NS, host::monotonicNs);
            final ErrorBoundedClock clock = new ErrorBoundedClock(host::realNs, host::monotonicNs, source);
            final TimeInterval interval = new TimeInterval();

            for (int sync = 0; sync < 3; sync++)
            {
                host.trueNs += random.nextLong(1_000, 100 * SECOND);
                host.measureAndPublish(random, source);
                for (int read = 0; read < 20; read++)
                {
                    host.trueNs += random.nextLong(1_000, 60 * SECOND);
                    clock.now(interval);
                    final long sinceSync = host.monotonicNs() - source.lastSyncMonotonicNs();
                    if (interval.status().isBounded())
                    {
                        assertThat(interval.contains(host.trueNs))
                            .as("seed %d trial %d: %s must contain %d (drift %d ppb, %d ns since sync)", seed, trial,
                                interval, host.trueNs, host.driftPpb, sinceSync)
                            .isTrue();
                    }
                    final ClockStatus expected = sinceSync > VOID_AFTER_NS ? ClockStatus.UNKNOWN :
                        sinceSync > FREE_RUNNING_AFTER_NS ? ClockStatus.FREE_RUNNING : ClockStatus.SYNCHRONIZED;
                    assertThat(interval.status()).as("seed %d trial %d, %d ns since sync", seed, trial, sinceSync)
                        .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void shouldReportFreeRunningThenUnknownAsTheSyncAges()
    {
        final DriftErrorBound source = new DriftErrorBound(10_000, FREE_RUNNING_AFTER_NS, VOID_AFTER_NS, SYNTHETIC_TIME);
        source.updateBound(1_000, 0);
        assertThat(ErrorBounds.status(source.errorBound(FREE_RUNNING_AFTER_NS))).isEqualTo(ClockStatus.SYNCHRONIZED);
        assertThat(ErrorBounds.status(source.errorBound(FREE_RUNNING_AFTER_NS + 1)))
            .isEqualTo(ClockStatus.FREE_RUNNING);
        assertThat(ErrorBounds.status(source.errorBound(VOID_AFTER_NS))).isEqualTo(ClockStatus.FREE_RUNNING);
        assertThat(source.errorBound(VOID_AFTER_NS + 1)).isEqualTo(ErrorBounds.UNKNOWN);
        // free running keeps growing
        assertThat(ErrorBounds.boundNs(source.errorBound(VOID_AFTER_NS)))
            .isGreaterThan(ErrorBounds.boundNs(source.errorBound(FREE_RUNNING_AFTER_NS + 1)));
        // a new sync brings it back
        source.updateBound(2_000, VOID_AFTER_NS + 5);
        assertThat(source.errorBound(VOID_AFTER_NS + 5)).isEqualTo(ErrorBounds.of(2_000, ClockStatus.SYNCHRONIZED));
    }

    @Test
    void monotonicTimeBeforeTheSyncShouldWidenTheBoundOrBeUnknownNeverNarrow()
    {
        final DriftErrorBound source = new DriftErrorBound(10_000, FREE_RUNNING_AFTER_NS, VOID_AFTER_NS, SYNTHETIC_TIME);
        source.updateBound(1_000, 10 * SECOND);
        final long backward = ErrorBounds.boundNs(source.errorBound(10 * SECOND - 500_000_000L));
        final long forward = ErrorBounds.boundNs(source.errorBound(10 * SECOND + 500_000_000L));
        assertThat(backward).isEqualTo(forward).isGreaterThan(1_000);
        assertThat(source.errorBound(10 * SECOND - DriftErrorBound.MAX_BACKWARD_NS - 1)).isEqualTo(ErrorBounds.UNKNOWN);
        assertThat(source.errorBound(Long.MIN_VALUE)).isEqualTo(ErrorBounds.UNKNOWN);
    }

    @Test
    void shouldIgnoreASyncOlderThanTheCurrentOne()
    {
        final DriftErrorBound source = new DriftErrorBound(10_000, FREE_RUNNING_AFTER_NS, VOID_AFTER_NS, SYNTHETIC_TIME);
        assertThat(source.updateBound(1_000, 10 * SECOND)).isTrue();
        assertThat(source.updateBound(5, 9 * SECOND)).isFalse();
        assertThat(source.lastSyncBoundNs()).isEqualTo(1_000);
        assertThat(source.lastSyncMonotonicNs()).isEqualTo(10 * SECOND);
    }

    @Test
    void disruptionShouldLastUntilASyncTakenAfterIt()
    {
        final DriftErrorBound source = new DriftErrorBound(10_000, FREE_RUNNING_AFTER_NS, VOID_AFTER_NS, SYNTHETIC_TIME);
        source.updateBound(1_000, 10 * SECOND);
        source.markDisrupted(11 * SECOND);
        assertThat(ErrorBounds.status(source.errorBound(12 * SECOND))).isEqualTo(ClockStatus.DISRUPTED);
        assertThat(ErrorBounds.isBounded(source.errorBound(12 * SECOND))).isFalse();
        assertThat(source.updateBound(1_000, 11 * SECOND)).as("taken before the disruption was seen").isFalse();
        assertThat(source.updateBound(1_000, 11 * SECOND + 1)).isTrue();
        assertThat(ErrorBounds.status(source.errorBound(12 * SECOND))).isEqualTo(ClockStatus.SYNCHRONIZED);
    }

    /**
     * Attack: a disruption reported after a sync that was taken after it (the detector is slower than the
     * feeder) used to make the source DISRUPTED, unbounded, until the next sync (a whole poll interval), although
     * the newest sync already measured the clock after the disruption. The outcome must not depend on which of
     * the two is reported first: the order "disruption, then sync" has always ended SYNCHRONIZED.
     */
    @Test
    void aDisruptionReportedAfterASyncTakenAfterItShouldNotMakeTheSourceDisrupted()
    {
        final DriftErrorBound syncFirst = new DriftErrorBound(10_000, FREE_RUNNING_AFTER_NS, VOID_AFTER_NS, SYNTHETIC_TIME);
        syncFirst.updateBound(1_000, 10 * SECOND);
        syncFirst.markDisrupted(9 * SECOND);
        final DriftErrorBound disruptionFirst =
            new DriftErrorBound(10_000, FREE_RUNNING_AFTER_NS, VOID_AFTER_NS, SYNTHETIC_TIME);
        disruptionFirst.markDisrupted(9 * SECOND);
        disruptionFirst.updateBound(1_000, 10 * SECOND);
        assertThat(disruptionFirst.errorBound(12 * SECOND)).isEqualTo(syncFirst.errorBound(12 * SECOND));
        assertThat(ErrorBounds.status(syncFirst.errorBound(12 * SECOND))).isEqualTo(ClockStatus.SYNCHRONIZED);
        assertThat(syncFirst.updateBound(1_000, 9 * SECOND)).as("a sync from before the disruption").isFalse();

        syncFirst.markDisrupted(10 * SECOND); // at the sync's own instant: the sync may predate it
        assertThat(ErrorBounds.status(syncFirst.errorBound(12 * SECOND))).isEqualTo(ClockStatus.DISRUPTED);
    }

    /** Issue 10 item 15: an hour-ahead sync used to be accepted, and every real sync refused for that hour. */
    @Test
    void syncStampedInTheFutureShouldBeRefusedAndLeaveTheStateUnchanged()
    {
        final DriftErrorBound source = new DriftErrorBound(DriftErrorBound.NTP_PHI_PPB, FREE_RUNNING_AFTER_NS, VOID_AFTER_NS);
        final long syncNs = System.nanoTime();
        assertThat(source.updateBound(1_000, syncNs)).isTrue();
        assertThatThrownBy(() -> source.updateBound(2_000, System.nanoTime() + 3_600 * SECOND))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("future");
        assertThatThrownBy(() -> source.update(0, 0, 0, Long.MAX_VALUE))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("future");
        assertThat(source.lastSyncMonotonicNs()).isEqualTo(syncNs);
        assertThat(source.lastSyncBoundNs()).isEqualTo(1_000);
        final long laterNs = System.nanoTime();
        assertThat(source.updateBound(3_000, laterNs)).as("a real sync is still accepted").isTrue();
        assertThat(source.errorBound(laterNs)).isEqualTo(ErrorBounds.of(3_000, ClockStatus.SYNCHRONIZED));
    }

    /** Issue 10 item 15: markDisrupted(Long.MAX_VALUE) used to wedge the source DISRUPTED forever. */
    @Test
    void disruptionStampedInTheFutureShouldBeRefusedAndNeverWedgeTheSource()
    {
        final DriftErrorBound source = new DriftErrorBound(DriftErrorBound.NTP_PHI_PPB, FREE_RUNNING_AFTER_NS, VOID_AFTER_NS);
        source.updateBound(1_000, System.nanoTime());
        assertThatThrownBy(() -> source.markDisrupted(Long.MAX_VALUE))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("future");
        assertThat(ErrorBounds.status(source.errorBound(System.nanoTime()))).isEqualTo(ClockStatus.SYNCHRONIZED);

        final long disruptedNs = System.nanoTime();
        source.markDisrupted(disruptedNs);
        assertThat(ErrorBounds.status(source.errorBound(System.nanoTime()))).isEqualTo(ClockStatus.DISRUPTED);
        long syncNs = System.nanoTime();
        while (syncNs <= disruptedNs)
        {
            syncNs = System.nanoTime();
        }
        assertThat(source.updateBound(1_000, syncNs)).as("the next real sync ends the disruption").isTrue();
        assertThat(ErrorBounds.status(source.errorBound(syncNs))).isEqualTo(ClockStatus.SYNCHRONIZED);
    }

    /** The division-free drift term is never below the exact ceiling and at most 1 ns above it. */
    @Test
    void divisionFreeDriftShouldNeverBeBelowTheExactValueNorMoreThanOneNanosecondAbove()
    {
        final long seed = Seeds.seed("DriftErrorBoundTest.divisionFreeDrift");
        final SplittableRandom random = new SplittableRandom(seed);
        final java.math.BigInteger billion = java.math.BigInteger.valueOf(1_000_000_000L);
        for (int i = 0; i < 200_000; i++)
        {
            final long ppb = i % 3 == 0 ? random.nextLong(0, 100_000) : random.nextLong(0, 1_000_000_000L);
            final long elapsedNs = i % 5 == 0 ? random.nextLong(0, 1_000_000L) :
                random.nextLong(0, Long.MAX_VALUE);
            final DriftErrorBound source = new DriftErrorBound(ppb, 0, Long.MAX_VALUE, SYNTHETIC_TIME);
            final java.math.BigInteger[] qr = java.math.BigInteger.valueOf(elapsedNs).multiply(java.math.BigInteger.valueOf(ppb))
                .divideAndRemainder(billion.subtract(java.math.BigInteger.valueOf(ppb)));
            final java.math.BigInteger ceiling = qr[1].signum() == 0 ? qr[0] : qr[0].add(java.math.BigInteger.ONE);
            final long exact = ceiling.min(java.math.BigInteger.valueOf(ErrorBounds.MAX_BOUND_NS)).longValue();
            final long drift = Math.min(source.driftNs(elapsedNs), ErrorBounds.MAX_BOUND_NS);
            assertThat(drift).as("seed %d: %d ns at %d ppb", seed, elapsedNs, ppb)
                .isBetween(exact, exact == ErrorBounds.MAX_BOUND_NS ? exact : exact + 1);
        }
    }

    /**
     * The read path (fast and slow) against a BigInteger model of the formula, on random and extreme inputs:
     * same status, bound never below the exact value and at most 1 ns above its ceiling, unbounded exactly when
     * the model is.
     */
    @Test
    void errorBoundShouldMatchAnExactModelOnRandomAndExtremeInputs()
    {
        final long seed = Seeds.seed("DriftErrorBoundTest.exactModel");
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] extremes = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        final BigInteger billion = BigInteger.valueOf(1_000_000_000L);
        for (int i = 0; i < 100_000; i++)
        {
            final long ppb = i % 4 == 0 ? random.nextLong(0, 1_000_000_000L) : random.nextLong(0, 200_000);
            final long freeNs = random.nextLong(0, 1_000 * SECOND);
            final long voidNs = i % 7 == 0 ? Long.MAX_VALUE : freeNs + random.nextLong(0, 10_000 * SECOND);
            final long syncNs = i % 11 == 0 ? extremes[random.nextInt(extremes.length)] : random.nextLong();
            final long boundNs = i % 13 == 0 ? random.nextLong(0, Long.MAX_VALUE) : random.nextLong(0, 10_000_000);
            final long readNs;
            switch (i % 5)
            {
                case 0: readNs = extremes[random.nextInt(extremes.length)]; break;
                case 1: readNs = syncNs + random.nextLong(-2 * SECOND, 2 * SECOND); break;
                default: readNs = syncNs + random.nextLong(0, Math.min(voidNs, Long.MAX_VALUE / 2) / 2 + 1); break;
            }
            final DriftErrorBound source = new DriftErrorBound(ppb, freeNs, voidNs, SYNTHETIC_TIME);
            if (syncNs < -1)
            {
                // More than 2^63 ns before the synthetic clock's Long.MAX_VALUE: refused, never published.
                assertThatThrownBy(() -> source.updateBound(boundNs, syncNs)).hasMessageContaining("2^63");
                continue;
            }
            source.updateBound(boundNs, syncNs);
            final long packed = source.errorBound(readNs);

            final BigInteger elapsed = BigInteger.valueOf(readNs).subtract(BigInteger.valueOf(syncNs));
            final String context = String.format("seed %d: ppb %d free %d void %d sync %d bound %d read %d",
                seed, ppb, freeNs, voidNs, syncNs, boundNs, readNs);
            if (elapsed.compareTo(BigInteger.valueOf(-DriftErrorBound.MAX_BACKWARD_NS)) < 0 ||
                elapsed.abs().compareTo(BigInteger.valueOf(voidNs)) > 0 || elapsed.bitLength() > 63)
            {
                assertThat(packed).as(context).isEqualTo(ErrorBounds.UNKNOWN);
                continue;
            }
            final BigInteger age = elapsed.abs();
            final BigInteger[] qr = age.multiply(BigInteger.valueOf(ppb)).divideAndRemainder(
                billion.subtract(BigInteger.valueOf(ppb)));
            final BigInteger exact = BigInteger.valueOf(boundNs).add(qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE));
            final ClockStatus status = age.compareTo(BigInteger.valueOf(freeNs)) > 0 ? ClockStatus.FREE_RUNNING :
                ClockStatus.SYNCHRONIZED;
            assertThat(ErrorBounds.status(packed)).as(context).isEqualTo(status);
            if (exact.compareTo(BigInteger.valueOf(ErrorBounds.MAX_BOUND_NS)) >= 0)
            {
                assertThat(ErrorBounds.isBounded(packed)).as(context).isFalse();
            }
            else if (ErrorBounds.isBounded(packed))
            {
                assertThat(ErrorBounds.boundNs(packed)).as(context)
                    .isBetween(exact.longValue(), exact.longValue() + 1);
            }
            else
            {
                assertThat(exact.add(BigInteger.ONE).compareTo(BigInteger.valueOf(ErrorBounds.MAX_BOUND_NS)))
                    .as(context).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void builderShouldTakeDurationsAndAControlledMonotonicClock() throws Exception
    {
        final long[] nowNs = {50 * SECOND};
        final DriftErrorBound source = DriftErrorBound.builder()
            .maxDriftPpm(20)
            .freeRunningAfter(java.time.Duration.ofSeconds(30))
            .voidAfter(java.time.Duration.ofMinutes(5))
            .monotonicClock(() -> nowNs[0])
            .build();
        assertThat(source.maxDriftPpb()).isEqualTo(20_000);
        assertThat(source.freeRunningAfterNs()).isEqualTo(30 * SECOND);
        assertThat(source.voidAfterNs()).isEqualTo(300 * SECOND);
        assertThat(source.awaitFirstSync(java.time.Duration.ZERO)).isFalse();
        assertThatThrownBy(() -> source.updateBound(1_000, 50 * SECOND + 1)).hasMessageContaining("future");
        assertThat(source.updateBound(1_000, 50 * SECOND)).isTrue();
        assertThat(source.awaitFirstSync(java.time.Duration.ofSeconds(10))).isTrue();
        assertThatThrownBy(() -> DriftErrorBound.builder().maxDriftPpm(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> DriftErrorBound.builder().voidAfter(java.time.Duration.ofSeconds(1)).build())
            .hasMessageContaining("voidAfterNs");
    }

    @Test
    @Timeout(10)
    void awaitFirstSyncShouldReturnOnceAnotherThreadPublishesASync() throws Exception
    {
        final DriftErrorBound source = new DriftErrorBound(DriftErrorBound.NTP_PHI_PPB, FREE_RUNNING_AFTER_NS, VOID_AFTER_NS);
        final Thread feeder = new Thread(() ->
        {
            try
            {
                Thread.sleep(50);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            source.updateBound(1_000, System.nanoTime());
        });
        feeder.start();
        assertThat(source.awaitFirstSync(java.time.Duration.ofSeconds(5))).isTrue();
        assertThat(ErrorBounds.isBounded(source.errorBound(System.nanoTime()))).isTrue();
        feeder.join();
    }

    @Test
    void shouldRejectBadConfigurationNamingTheValue()
    {
        assertThatThrownBy(() -> new DriftErrorBound(-1, SECOND, SECOND))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDriftPpb").hasMessageContaining("-1");
        assertThatThrownBy(() -> new DriftErrorBound(1_000_000_000L, SECOND, SECOND))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000000000");
        assertThatThrownBy(() -> DriftErrorBound.withMaxDriftPpm(-15, SECOND, SECOND))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-15");
        assertThatThrownBy(() -> new DriftErrorBound(1_000, -1, SECOND))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("freeRunningAfterNs");
        assertThatThrownBy(() -> new DriftErrorBound(1_000, 2 * SECOND, SECOND))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("voidAfterNs");
        assertThat(DriftErrorBound.withMaxDriftPpm(15, SECOND, SECOND).maxDriftPpb()).isEqualTo(15_000);
    }

    @Test
    void shouldRejectNonsenseSyncsAndStayUnchanged()
    {
        final DriftErrorBound source = new DriftErrorBound(10_000, FREE_RUNNING_AFTER_NS, VOID_AFTER_NS, SYNTHETIC_TIME);
        source.updateBound(1_000, 10 * SECOND);
        assertThatThrownBy(() -> source.update(0, -1, 0, 11 * SECOND))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rootDelayNs").hasMessageContaining("-1");
        assertThatThrownBy(() -> source.update(0, 0, -2, 11 * SECOND))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rootDispersionNs");
        assertThatThrownBy(() -> source.update(Long.MIN_VALUE, 0, 0, 11 * SECOND))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offsetCorrectionNs");
        assertThatThrownBy(() -> source.updateBound(-3, 11 * SECOND))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-3");
        assertThat(source.lastSyncBoundNs()).isEqualTo(1_000);
        assertThat(source.lastSyncMonotonicNs()).isEqualTo(10 * SECOND);
    }

    @Test
    void hugeValuesShouldSaturateToUnbounded()
    {
        final DriftErrorBound source = new DriftErrorBound(999_999_999L, 0, Long.MAX_VALUE, SYNTHETIC_TIME);
        source.update(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, 0);
        assertThat(ErrorBounds.isBounded(source.errorBound(0))).isFalse();
        final DriftErrorBound fast = new DriftErrorBound(999_999_999L, 0, Long.MAX_VALUE, SYNTHETIC_TIME);
        fast.updateBound(0, 0);
        assertThat(ErrorBounds.isBounded(fast.errorBound(Long.MAX_VALUE))).isFalse();
        assertThat(fast.driftNs(Long.MAX_VALUE)).isEqualTo(ErrorBounds.MAX_BOUND_NS);
    }

    @Test
    @Timeout(20)
    void concurrentUpdatersShouldNeverLoseTheNewestSync() throws Exception
    {
        final long seed = Seeds.seed("DriftErrorBoundTest.concurrentUpdaters");
        final DriftErrorBound source = new DriftErrorBound(10_000, FREE_RUNNING_AFTER_NS, VOID_AFTER_NS, SYNTHETIC_TIME);
        final AtomicLong newest = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong failures = new AtomicLong();
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            final SplittableRandom random = new SplittableRandom(seed + t);
            threads[t] = new Thread(() ->
            {
                for (int i = 0; i < 20_000; i++)
                {
                    final long syncNs = random.nextLong(1_000_000_000_000L);
                    newest.accumulateAndGet(syncNs, Math::max);
                    source.updateBound(syncNs % 1_000, syncNs);
                    if (source.errorBound(syncNs) < 0)
                    {
                        failures.incrementAndGet(); // a packed bound is never negative
                    }
                }
            });
        }
        for (final Thread thread : threads)
        {
            thread.start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertThat(failures.get()).as("seed %d", seed).isZero();
        assertThat(source.lastSyncMonotonicNs()).as("seed %d", seed).isEqualTo(newest.get());
        assertThat(source.lastSyncBoundNs()).as("seed %d", seed).isEqualTo(newest.get() % 1_000);
    }

    /**
     * A host whose oscillator runs {@code driftPpb} fast (or slow): its real-time and monotonic clocks both
     * drift at that rate from a random initial error. True time is the independent variable.
     */
    private static final class DriftingHost
    {
        final long driftPpb;
        final long initialErrorNs;
        final long originNs = 1_700_000_000_000_000_000L;
        long trueNs = originNs;

        DriftingHost(final SplittableRandom random, final long maxDriftPpb)
        {
            this.driftPpb = random.nextLong(-maxDriftPpb, maxDriftPpb + 1);
            this.initialErrorNs = random.nextLong(-50_000_000, 50_000_001);
        }

        long driftSinceOriginNs()
        {
            return Math.floorDiv(Math.multiplyExact(trueNs - originNs, driftPpb), 1_000_000_000L);
        }

        long realNs()
        {
            return trueNs + initialErrorNs + driftSinceOriginNs();
        }

        long monotonicNs()
        {
            return 7_000_000_000L + (trueNs - originNs) + driftSinceOriginNs();
        }

        /** An NTP-like measurement: offset within ±(delay/2 + dispersion) of the real error. */
        void measureAndPublish(final SplittableRandom random, final DriftErrorBound source)
        {
            final long rootDelayNs = random.nextLong(100_000, 20_000_000);
            final long rootDispersionNs = random.nextLong(10_000, 5_000_000);
            final long noiseLimitNs = rootDelayNs / 2 + rootDispersionNs;
            final long measuredOffsetNs = (trueNs - realNs()) + random.nextLong(-noiseLimitNs, noiseLimitNs + 1);
            assertThat(source.update(measuredOffsetNs, rootDelayNs, rootDispersionNs, monotonicNs())).isTrue();
        }
    }
}
