package dev.ordo.ntp;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.TimeInterval;
import dev.ordo.clocks.bounded.DriftErrorBound;
import dev.ordo.clocks.bounded.ErrorBoundedClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe feeds the bounded clock's drift model: intervals then come from a real measurement and contain
 * the reference's time; a failed probe feeds nothing.
 */
class ProbeFeedsBoundedClockTest
{
    private static final ProbeSettings FAST = new ProbeSettings(4, 2_000_000L, 200_000_000L);

    private static DriftErrorBound drift()
    {
        return DriftErrorBound.withMaxDriftPpm(15, TimeUnit.SECONDS.toNanos(64), TimeUnit.SECONDS.toNanos(1024));
    }

    @Test
    void intervalsShouldContainTheReferenceTimeMeasuredByTheProbe() throws Exception
    {
        for (final long offsetNs : new long[]{7_000_000L, -12_500_000L, 0})
        {
            try (TestResponder reference = new TestResponder())
            {
                reference.offsetNs = offsetNs;
                reference.replyPathDelayNs = 3_000_000L; // asymmetric: the bound must still hold
                final ProbeResult result;
                try (NtpProbe probe = NtpProbe.open(List.of(reference.spec()), FAST))
                {
                    result = probe.measure();
                }
                final DriftErrorBound drift = drift();
                assertThat(result.feed(drift::updateBound)).as("%s", result).isTrue();
                assertThat(drift.lastSyncBoundNs()).isEqualTo(result.worstCaseOffsetNs());

                final ErrorBoundedClock clock = ErrorBoundedClock.system(drift);
                final TimeInterval interval = clock.now(new TimeInterval());
                assertThat(interval.status()).isEqualTo(ClockStatus.SYNCHRONIZED);
                assertThat(interval.contains(interval.readingNs() + offsetNs))
                    .as("offset %d ns: %s from %s", offsetNs, interval, result).isTrue();
                // Honest but not useless: the interval is the measured worst case (plus a little drift since), not
                // arbitrarily wide. (Compared with the measurement, not a fixed figure: on a loaded machine the
                // round trip, and with it the bound, can take tens of milliseconds.)
                assertThat(interval.widthNs() / 2).as("%s from %s", interval, result)
                    .isGreaterThanOrEqualTo(result.worstCaseOffsetNs())
                    .isLessThanOrEqualTo(result.worstCaseOffsetNs() + 1_000_000L);
            }
        }
    }

    @Test
    void aFailedProbeShouldFeedNothing() throws Exception
    {
        try (TestResponder silent = new TestResponder())
        {
            silent.mode = TestResponder.Mode.SILENT;
            final ProbeResult result;
            try (NtpProbe probe = NtpProbe.open(List.of(silent.spec()), new ProbeSettings(2, 0, 50_000_000L)))
            {
                result = probe.measure();
            }
            final DriftErrorBound drift = drift();
            assertThat(result.ok()).isFalse();
            assertThat(result.feed(drift::updateBound)).isFalse();
            final TimeInterval interval = ErrorBoundedClock.system(drift).now(new TimeInterval());
            assertThat(interval.status()).isEqualTo(ClockStatus.UNKNOWN);
            assertThat(interval.isBounded()).isFalse();
        }
    }
}
