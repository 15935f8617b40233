package dev.ordo.ntp;

import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class NtpTimestampsTest
{
    @Test
    void unixEpochShouldBeNtpSecond2208988800()
    {
        assertThat(NtpTimestamps.fromEpochNanos(0)).isEqualTo(NtpTimestamps.NTP_TO_UNIX_SECONDS << 32);
        assertThat(NtpTimestamps.toEpochNanos(NtpTimestamps.NTP_TO_UNIX_SECONDS << 32)).isZero();
    }

    @Test
    void conversionShouldRoundTripWithinOneNanosecondAcrossThe2036EraWrap()
    {
        final long seed = Seeds.seed("ntp timestamp round trip");
        final SplittableRandom random = new SplittableRandom(seed);
        final long from = 0;
        final long to = 4_000_000_000L * 1_000_000_000L; // 2096
        for (int i = 0; i < 100_000; i++)
        {
            final long epochNs = random.nextLong(from, to);
            final long back = NtpTimestamps.toEpochNanos(NtpTimestamps.fromEpochNanos(epochNs));
            assertThat(Math.abs(back - epochNs)).as("seed %d, epochNs %d", seed, epochNs).isLessThanOrEqualTo(1);
        }
    }
}
