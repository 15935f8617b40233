package dev.ordo.ntp;

import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProbeResultTest
{
    private static ServerResult failedServer(final String name, final ServerStatus status, final String message)
    {
        return new ServerResult(name, null, status, message, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            List.of());
    }

    private static ServerResult okServer(final String name, final long offsetNs, final long boundNs, final long atNs)
    {
        return new ServerResult(name, name, ServerStatus.OK, null, null, offsetNs, boundNs, 2 * boundNs / 3, boundNs / 3,
            0, 0, 0, 2, 0, -20, 0, atNs, atNs, 4, List.of());
    }

    @Test
    void aFailedRoundShouldFailEveryWorstCaseCheckInsteadOfPassingAsAPerfectMeasurement()
    {
        final ProbeResult failed = ProbeResult.combine(List.of(
            failedServer("127.0.0.1:9", ServerStatus.UNREACHABLE, "port unreachable: no NTP server answers at 127.0.0.1:9"),
            failedServer("a.example:123", ServerStatus.UNKNOWN_HOST, "unknown host: a.example")));
        assertThat(failed.ok()).isFalse();
        // The caller who forgets to check ok(): every limit is exceeded, the interval is the whole line.
        for (final long limitNs : new long[]{0, 1, 1_000_000, Long.MAX_VALUE - 1})
        {
            assertThat(failed.worstCaseOffsetNs() > limitNs).as("worst case > %d", limitNs).isTrue();
        }
        assertThat(failed.boundNs()).isEqualTo(ProbeResult.UNBOUNDED);
        assertThat(failed.rootDelayNs()).isEqualTo(ProbeResult.UNBOUNDED);
        assertThat(failed.rootDispersionNs()).isEqualTo(ProbeResult.UNBOUNDED);
        assertThat(failed.lowNs()).isEqualTo(Long.MIN_VALUE);
        assertThat(failed.highNs()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(failed::offsetNs).isInstanceOf(IllegalStateException.class)
            .hasMessage("offsetNs of a failed probe round: no usable server (port unreachable: no NTP server answers " +
                "at 127.0.0.1:9; unknown host: a.example); check ok() first");
        assertThatThrownBy(failed::measuredAtMonoNs).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(failed::measuredAtEpochNs).isInstanceOf(IllegalStateException.class);
        assertThat(failed.feed((boundNs, atNs) -> true)).as("a failed round feeds nothing").isFalse();
    }

    @Test
    void aRoundWithoutAMajorityShouldBeUnboundedAndNameTheDisagreement()
    {
        final ProbeResult split = ProbeResult.combine(List.of(
            okServer("a:123", 0, 1_000, 10), okServer("b:123", 5_000_000_000L, 1_000, 10)));
        assertThat(split.status()).isEqualTo(ProbeStatus.NO_MAJORITY);
        assertThat(split.worstCaseOffsetNs()).isEqualTo(ProbeResult.UNBOUNDED);
        assertThat(split.failure()).isEqualTo("no majority: the servers disagree (a:123, b:123)");
        assertThatThrownBy(split::offsetNs).hasMessageContaining("no majority");
    }

    @Test
    void aFailedServerShouldBeUnboundedAndRefuseItsMeasurements()
    {
        final ServerResult s = failedServer("x:123", ServerStatus.NO_REPLY, "no valid reply from x:123");
        assertThat(s.boundNs()).isEqualTo(ProbeResult.UNBOUNDED);
        assertThat(s.boundAtNs(12345)).isEqualTo(ProbeResult.UNBOUNDED);
        assertThat(s.rootDelayNs()).isEqualTo(ProbeResult.UNBOUNDED);
        assertThatThrownBy(s::offsetNs).hasMessageContaining("no valid reply from x:123");
        assertThatThrownBy(s::delayNs).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::jitterNs).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::measuredAtMonoNs).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anAgedBoundShouldSaturateInsteadOfOverflowing()
    {
        final ServerResult s = okServer("a:123", 0, Long.MAX_VALUE - 10, 0);
        assertThat(s.boundAtNs(Long.MAX_VALUE)).isEqualTo(ProbeResult.UNBOUNDED);
        final ServerResult fresh = okServer("a:123", 0, 1_000, 0);
        assertThat(fresh.boundAtNs(1_000_000_000L)).isEqualTo(1_000 + 15_000);
        assertThat(fresh.boundAtNs(1)).isEqualTo(1_001);
    }

    @Test
    void anOkRoundsWorstCaseShouldBeItsOffsetMagnitudePlusBoundAndCoverEveryAgreeingServer()
    {
        final long seed = Seeds.seed("probe result worst case");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 2_000; trial++)
        {
            final long truthNs = random.nextLong(-10_000_000_000L, 10_000_000_000L);
            final List<ServerResult> servers = new ArrayList<>();
            final int n = random.nextInt(1, 6);
            for (int i = 0; i < n; i++)
            {
                final long boundNs = random.nextLong(1, 50_000_000);
                servers.add(okServer("s" + i, truthNs + random.nextLong(-boundNs, boundNs + 1), boundNs, 100));
            }
            final ProbeResult r = ProbeResult.combine(servers);
            assertThat(r.ok()).as("seed %d: honest servers always intersect", seed).isTrue();
            assertThat(r.worstCaseOffsetNs()).isEqualTo(Math.abs(r.offsetNs()) + r.boundNs());
            assertThat(r.boundNs()).isPositive();
            assertThat(truthNs).as("seed %d", seed).isBetween(r.lowNs(), r.highNs())
                .isBetween(r.offsetNs() - r.boundNs(), r.offsetNs() + r.boundNs());
        }
    }

    @Test
    void anOkResultShouldRefuseNonsenseAtConstruction()
    {
        assertThatThrownBy(() -> new ProbeResult(ProbeStatus.OK, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(),
            List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bound >= 1 ns");
        assertThatThrownBy(() -> new ProbeResult(ProbeStatus.OK, 5, 1, 6, 7, 0, 0, 0, 0, 0, List.of(), List.of(),
            List.of())).isInstanceOf(IllegalArgumentException.class);
    }
    /**
     * Attack: the record's generated toString() printed a failed round's raw fields, "offsetNs=0, boundNs=0,
     * lowNs=0, highNs=0, rootDelayNs=0": in a log line a failed round read as a perfect measurement. It must show
     * what the accessors show: unbounded, and why it failed.
     */
    @Test
    void aFailedRoundsTextShouldNotReadAsAPerfectMeasurement()
    {
        final ProbeResult failed = ProbeResult.combine(List.of(
            failedServer("127.0.0.1:9", ServerStatus.UNREACHABLE, "port unreachable")));
        final String text = failed.toString();
        assertThat(text).contains("NO_USABLE_SERVER").contains("port unreachable").contains("unbounded")
            .doesNotContain("boundNs=0").doesNotContain("offsetNs=0");
        assertThat(failed.servers().get(0).toString()).contains("UNREACHABLE").contains("unbounded")
            .doesNotContain("boundNs=0").doesNotContain("offsetNs=0");
        final ProbeResult ok = ProbeResult.combine(List.of(okServer("a:123", 5_000, 1_000, 10)));
        assertThat(ok.toString()).contains("OK").contains("offsetNs=5000").contains("boundNs=" + ok.boundNs());
    }
}
