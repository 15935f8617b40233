package dev.ordo.ntp;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.TimeInterval;
import dev.ordo.clocks.bounded.DriftErrorBound;
import dev.ordo.clocks.bounded.ErrorBoundedClock;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scheduled feeder: a bounded clock fed by a real chronyd (under libfaketime at +5.25 s) holds the
 * server's time in its interval; RATE doubles the interval, DENY stops the feeder, close() is prompt.
 */
class NtpFeederTest
{
    private static final ProbeSettings QUICK = new ProbeSettings(3, 5_000_000L, 200_000_000L);

    @TempDir
    Path dir;

    private static DriftErrorBound drift()
    {
        return DriftErrorBound.withMaxDriftPpm(15, TimeUnit.SECONDS.toNanos(64), TimeUnit.SECONDS.toNanos(1024));
    }

    private static NtpFeeder.Builder quick(final List<ServerSpec> servers, final ProbeResult.BoundSink sink)
    {
        return NtpFeeder.builder(servers, sink).allowShortIntervals().interval(Duration.ofMillis(50))
            .maxInterval(Duration.ofMillis(400)).settings(QUICK).jitter(0);
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            assertThat(System.nanoTime() - deadline).as("timed out waiting for " + what).isNegative();
            Thread.sleep(5);
        }
    }

    @Test
    void aBoundedClockFedByARealChronydShouldHoldTheServersTimeInItsInterval() throws Exception
    {
        Chronyd.requireTool(Chronyd.executable() != null, "chronyd (apt-get install chrony)");
        Chronyd.requireTool(Files.exists(Chronyd.FAKETIME_LIBRARY),
            "libfaketime at " + Chronyd.FAKETIME_LIBRARY + " (apt-get install faketime)");
        try (Chronyd faked = Chronyd.start(dir, "+5.25"))
        {
            final DriftErrorBound drift = drift();
            final ErrorBoundedClock clock = ErrorBoundedClock.system(drift);
            final NtpFeeder feeder = quick(List.of(faked.spec()), drift::updateBound).interval(Duration.ofMillis(200))
                .threadName("feeder-under-test").start();
            try (feeder)
            {
                assertThat(feeder.thread().getName()).isEqualTo("feeder-under-test");
                assertThat(feeder.thread().isDaemon()).isTrue();
                assertThat(feeder.awaitFirstFeed(Duration.ofSeconds(10))).as("%s", feeder.lastResult()).isTrue();
                await(() -> feeder.feeds() >= 3, "three feeds");
                final TimeInterval interval = clock.now(new TimeInterval());
                assertThat(interval.status()).isEqualTo(ClockStatus.SYNCHRONIZED);
                // The server runs 5.25 s ahead of this host: the host's interval must reach the server's time.
                assertThat(interval.contains(interval.readingNs() + 5_250_000_000L))
                    .as("%s, last %s", interval, feeder.lastResult()).isTrue();
                assertThat(drift.lastSyncBoundNs()).isEqualTo(feeder.lastResult().worstCaseOffsetNs());
                assertThat(feeder.lastError()).isNull();
            }
            assertThat(feeder.state()).isEqualTo(NtpFeeder.State.CLOSED);
            assertThat(feeder.thread().isAlive()).isFalse();
        }
    }

    @Test
    void rateKissesShouldDoubleTheIntervalUpToTheMaximumAndACleanRoundShouldRestoreIt() throws Exception
    {
        try (TestResponder server = new TestResponder())
        {
            server.mode = TestResponder.Mode.KISS;
            server.kissCode = "RATE";
            final List<Duration> intervals = new CopyOnWriteArrayList<>();
            final NtpFeeder[] self = new NtpFeeder[1];
            try (NtpFeeder feeder = quick(List.of(server.spec()), (b, t) -> true)
                .onRound(r -> intervals.add(self[0] == null ? null : self[0].currentInterval())).start())
            {
                self[0] = feeder;
                await(() -> feeder.currentInterval().equals(Duration.ofMillis(400)), "backoff to the maximum");
                assertThat(feeder.state()).isEqualTo(NtpFeeder.State.RUNNING);
                assertThat(feeder.feeds()).isZero();
                server.mode = TestResponder.Mode.NORMAL;
                await(() -> feeder.currentInterval().equals(Duration.ofMillis(50)), "back to the base interval");
                await(() -> feeder.feeds() > 0, "a feed once the server stops kissing");
            }
            assertThat(intervals).contains(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400))
                .doesNotContain(Duration.ofMillis(800));
        }
    }

    @Test
    void denyFromEveryServerShouldStopTheFeederAndItsThread() throws Exception
    {
        try (TestResponder denying = new TestResponder())
        {
            denying.mode = TestResponder.Mode.KISS;
            denying.kissCode = "DENY";
            try (NtpFeeder feeder = quick(List.of(denying.spec()), (b, t) -> true).start())
            {
                await(() -> feeder.state() == NtpFeeder.State.REFUSED, "the feeder to stop");
                feeder.thread().join(5_000);
                assertThat(feeder.thread().isAlive()).isFalse();
                assertThat(feeder.stopReason()).isEqualTo(
                    "every server refused us (DENY or RSTR): " + denying.spec());
                final int requests = denying.requests.get();
                Thread.sleep(200);
                assertThat(denying.requests.get()).as("no request after DENY").isEqualTo(requests);
                assertThat(feeder.awaitFirstFeed(Duration.ofSeconds(5))).as("returns at once: stopped").isFalse();
            }
        }
    }

    @Test
    void aDeniedServerShouldBeDroppedWhileTheOthersKeepFeeding() throws Exception
    {
        try (TestResponder denying = new TestResponder(); TestResponder good = new TestResponder())
        {
            denying.mode = TestResponder.Mode.KISS;
            denying.kissCode = "RSTR";
            try (NtpFeeder feeder = quick(List.of(denying.spec(), good.spec()), (b, t) -> true).start())
            {
                await(() -> feeder.feeds() >= 3, "three feeds from the good server");
                assertThat(feeder.state()).isEqualTo(NtpFeeder.State.RUNNING);
                assertThat(denying.requests.get()).as("asked once, then never again").isEqualTo(1);
                assertThat(feeder.lastResult().servers()).extracting(ServerResult::server)
                    .containsExactly(good.spec().toString());
            }
        }
    }

    @Test
    void closeShouldInterruptALongRoundPromptly() throws Exception
    {
        try (TestResponder silent = new TestResponder())
        {
            silent.mode = TestResponder.Mode.SILENT;
            final NtpFeeder feeder = NtpFeeder.builder(List.of(silent.spec()), (b, t) -> true)
                .settings(new ProbeSettings(64, 1_000_000_000L, 1_000_000_000L)).start();
            await(() -> silent.requests.get() > 0, "the round to start");
            final long startNs = System.nanoTime();
            feeder.close();
            feeder.close();
            assertThat(System.nanoTime() - startNs).as("close() of a 64 s round").isLessThan(2_000_000_000L);
            assertThat(feeder.thread().isAlive()).isFalse();
            assertThat(feeder.state()).isEqualTo(NtpFeeder.State.CLOSED);
            assertThat(feeder.feeds()).isZero();
        }
    }

    @Test
    void failedRoundsShouldFeedNothingAndAThrowingSinkShouldNotKillTheFeeder() throws Exception
    {
        try (TestResponder silent = new TestResponder(); TestResponder good = new TestResponder())
        {
            silent.mode = TestResponder.Mode.SILENT;
            try (NtpFeeder feeder = quick(List.of(silent.spec()), (b, t) -> true).start())
            {
                assertThat(feeder.awaitFirstFeed(Duration.ofMillis(1500))).isFalse();
                assertThat(feeder.rounds()).isPositive();
                assertThat(feeder.feeds()).isZero();
                assertThat(feeder.lastResult().ok()).isFalse();
            }
            try (NtpFeeder feeder = quick(List.of(good.spec()), (b, t) ->
            {
                throw new IllegalStateException("sink is broken");
            }).start())
            {
                await(() -> feeder.rounds() >= 3, "rounds despite the sink");
                assertThat(feeder.lastError()).isEqualTo("the sink threw java.lang.IllegalStateException: sink is broken");
                assertThat(feeder.state()).isEqualTo(NtpFeeder.State.RUNNING);
            }
        }
    }

    @Test
    void jitterShouldKeepEveryWaitWithinItsFractionOfTheInterval()
    {
        final long seed = Seeds.seed("feeder jitter");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 100_000; i++)
        {
            final long intervalNs = random.nextLong(1, 10_000_000_000_000L);
            final double jitter = random.nextDouble(0, 0.5);
            final long delayNs = NtpFeeder.nextDelayNs(intervalNs, jitter, random.nextDouble());
            assertThat(delayNs).as("seed %d", seed).isPositive()
                .isBetween((long)Math.floor(intervalNs * (1 - jitter)) - 1, (long)Math.ceil(intervalNs * (1 + jitter)) + 1);
        }
        assertThat(NtpFeeder.nextDelayNs(1_000, 0.1, 0)).isEqualTo(900);
        assertThat(NtpFeeder.nextDelayNs(1_000, 0.1, 0.5)).isEqualTo(1_000);
    }

    @Test
    void badSettingsShouldBeRefusedBeforeAnyThreadStarts()
    {
        final List<ServerSpec> one = List.of(ServerSpec.parse("127.0.0.1:9"));
        assertThatThrownBy(() -> NtpFeeder.start(List.of(), Duration.ofSeconds(64), (b, t) -> true))
            .hasMessage("no NTP server to feed from");
        assertThatThrownBy(() -> NtpFeeder.start(one, Duration.ofMillis(10), (b, t) -> true))
            .hasMessageContaining("at least 1 s");
        assertThatThrownBy(() -> NtpFeeder.builder(one, (b, t) -> true).jitter(0.7)).hasMessageContaining("0 to 0.5");
        assertThatThrownBy(() -> NtpFeeder.builder(one, (b, t) -> true).interval(Duration.ofSeconds(64))
            .maxInterval(Duration.ofSeconds(10)).start()).hasMessageContaining("shorter than the interval");
    }
    /**
     * Attack: a RATE kiss on a feeder whose interval is above 2^62 ns used to double it into a negative number,
     * so the next wait was 1 ns and the feeder hammered the server that had just asked it to slow down.
     */
    @Test
    void rateBackoffOnAnAbsurdIntervalShouldSaturateInsteadOfWrappingIntoABusyLoop() throws Exception
    {
        try (TestResponder server = new TestResponder())
        {
            server.mode = TestResponder.Mode.KISS;
            server.kissCode = "RATE";
            try (NtpFeeder feeder = NtpFeeder.builder(List.of(server.spec()), (b, t) -> true).settings(QUICK)
                .interval(Duration.ofNanos(Long.MAX_VALUE / 2 + 1)).maxInterval(Duration.ofNanos(Long.MAX_VALUE))
                .start())
            {
                await(() -> feeder.rounds() >= 1, "the first round");
                Thread.sleep(300);
                assertThat(feeder.currentInterval()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
                assertThat(feeder.rounds()).as("no second round within 300 ms").isEqualTo(1);
            }
        }
    }

    /**
     * Attack: an interrupt that is not close()'s (a stray one, from code that interrupts every thread it can see)
     * used to cut the wait short: a new round at once, ignoring the schedule (and any RATE backoff).
     */
    @Test
    void aStrayInterruptShouldNotCutTheWaitBetweenRoundsShort() throws Exception
    {
        try (TestResponder server = new TestResponder())
        {
            try (NtpFeeder feeder = NtpFeeder.builder(List.of(server.spec()), (b, t) -> true).settings(QUICK)
                .interval(Duration.ofSeconds(60)).start())
            {
                await(() -> feeder.rounds() >= 1, "the first round");
                for (int i = 0; i < 5; i++)
                {
                    feeder.thread().interrupt();
                    Thread.sleep(50);
                }
                Thread.sleep(200);
                assertThat(feeder.rounds()).as("still waiting out its 60 s").isEqualTo(1);
                assertThat(feeder.state()).isEqualTo(NtpFeeder.State.RUNNING);
            }
        }
    }

    /**
     * Attack: durations beyond 292 years (Duration.ofSeconds(Long.MAX_VALUE)) used to escape as a bare
     * ArithmeticException from awaitFirstFeed, interval and maxInterval; they saturate like the clock's own.
     */
    @Test
    void absurdDurationsShouldSaturateInsteadOfThrowingArithmeticException() throws Exception
    {
        final Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        try (TestResponder denying = new TestResponder())
        {
            denying.mode = TestResponder.Mode.KISS;
            denying.kissCode = "DENY";
            try (NtpFeeder feeder = NtpFeeder.builder(List.of(denying.spec()), (b, t) -> true).settings(QUICK)
                .interval(forever).maxInterval(forever).start())
            {
                assertThat(feeder.awaitFirstFeed(forever)).as("returns once DENY stops the feeder").isFalse();
                assertThat(feeder.state()).isEqualTo(NtpFeeder.State.REFUSED);
                assertThat(feeder.awaitFirstFeed(Duration.ofSeconds(-5))).isFalse();
            }
        }
    }

    /** Held: close twice from two threads at once while a round runs; nothing is fed after close() returns. */
    @Test
    void concurrentClosesShouldBothReturnAndNothingShouldBeFedAfterwards() throws Exception
    {
        try (TestResponder server = new TestResponder())
        {
            final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
            final java.util.concurrent.atomic.AtomicInteger lateFeeds = new java.util.concurrent.atomic.AtomicInteger();
            final NtpFeeder feeder = quick(List.of(server.spec()), (b, t) ->
            {
                if (closed.get())
                {
                    lateFeeds.incrementAndGet();
                }
                return true;
            }).start();
            await(() -> feeder.feeds() >= 2, "two feeds");
            final Thread other = new Thread(feeder::close);
            other.start();
            feeder.close();
            other.join(5_000);
            closed.set(true);
            assertThat(other.isAlive()).isFalse();
            assertThat(feeder.thread().isAlive()).isFalse();
            final long feeds = feeder.feeds();
            Thread.sleep(150);
            assertThat(feeder.feeds()).isEqualTo(feeds);
            assertThat(lateFeeds.get()).isZero();
            assertThat(feeder.state()).isEqualTo(NtpFeeder.State.CLOSED);
        }
    }
}
