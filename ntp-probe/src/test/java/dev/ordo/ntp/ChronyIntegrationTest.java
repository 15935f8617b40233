package dev.ordo.ntp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe against real chronyd servers on loopback: one on the host's clock, one under libfaketime at a known
 * +5.25 s, and a cross-check against {@code chronyd -Q}. Skipped loudly when chrony or libfaketime is missing;
 * failed instead when CI=true.
 */
class ChronyIntegrationTest
{
    private static final long INJECTED_OFFSET_NS = 5_250_000_000L;
    private static final ProbeSettings SETTINGS = new ProbeSettings(6, 100_000_000L, 1_000_000_000L);

    @TempDir
    static Path dir;

    private static Chronyd real;
    private static Chronyd faked;
    private static Process crossCheck;
    private static Path crossCheckLog;

    @BeforeAll
    static void startServers() throws Exception
    {
        Chronyd.requireTool(Chronyd.executable() != null, "chronyd (apt-get install chrony)");
        Chronyd.requireTool(Files.exists(Chronyd.FAKETIME_LIBRARY),
            "libfaketime at " + Chronyd.FAKETIME_LIBRARY + " (apt-get install faketime)");
        real = Chronyd.start(dir, null);
        faked = Chronyd.start(dir, "+5.25");
        // chronyd -Q takes about 4 s: start it now, read it in the cross-check test.
        crossCheckLog = dir.resolve("chronyd-Q.log");
        crossCheck = new ProcessBuilder(Chronyd.executable().toString(), "-Q", "-f", "/dev/null",
            "server 127.0.0.1 port " + faked.port() + " iburst maxsamples 4")
            .redirectErrorStream(true).redirectOutput(crossCheckLog.toFile()).start();
    }

    @AfterAll
    static void stopServers() throws Exception
    {
        if (crossCheck != null)
        {
            crossCheck.destroyForcibly();
        }
        if (real != null)
        {
            real.close();
        }
        if (faked != null)
        {
            faked.close();
        }
    }

    private static ServerResult probeOne(final Chronyd server) throws Exception
    {
        try (NtpProbe probe = NtpProbe.open(List.of(server.spec()), SETTINGS))
        {
            final ProbeResult result = probe.measure();
            assertThat(result.ok()).as("%s; chronyd log:%n%s", result, server.log()).isTrue();
            return result.servers().get(0);
        }
    }

    @Test
    void shouldMeasureTheInjectedFaketimeOffsetWithin1MsWithABoundThatContainsIt() throws Exception
    {
        final ServerResult s = probeOne(faked);
        System.out.println("[chronyd +5.25 s] " + s.offsetNs() + " ns ± " + s.boundNs() + " ns, delay " + s.delayNs());
        assertThat(Math.abs(s.offsetNs() - INJECTED_OFFSET_NS)).as("%s", s).isLessThan(1_000_000L)
            .isLessThanOrEqualTo(s.boundNs());
        assertThat(s.stratum()).as("local stratum 8").isEqualTo(8);
        assertThat(s.usedSamples()).isEqualTo(SETTINGS.samples() - 1);
    }

    @Test
    void aBoundedClockFedByTheProbeShouldHoldTheFakedServersTimeInItsInterval() throws Exception
    {
        // Treat the +5.25 s chronyd as "true time": the host clock is then 5.25 s behind, and a bounded clock
        // fed with the probe's measurement must widen its interval enough to contain the server's time.
        final ProbeResult result;
        try (NtpProbe probe = NtpProbe.open(List.of(faked.spec()), SETTINGS))
        {
            result = probe.measure();
        }
        final dev.ordo.clocks.bounded.DriftErrorBound drift = dev.ordo.clocks.bounded.DriftErrorBound.withMaxDriftPpm(
            15, TimeUnit.SECONDS.toNanos(64), TimeUnit.SECONDS.toNanos(1024));
        assertThat(result.feed(drift::updateBound)).isTrue();
        final dev.ordo.clocks.bounded.ErrorBoundedClock clock = dev.ordo.clocks.bounded.ErrorBoundedClock.system(drift);
        final dev.ordo.clocks.api.TimeInterval interval = clock.now(new dev.ordo.clocks.api.TimeInterval());
        assertThat(interval.status()).isEqualTo(dev.ordo.clocks.api.ClockStatus.SYNCHRONIZED);
        final long serverTimeNs = interval.readingNs() + INJECTED_OFFSET_NS;
        System.out.println("[bounded clock fed by the probe] " + interval);
        assertThat(interval.contains(serverTimeNs)).as("%s should contain %d", interval, serverTimeNs).isTrue();
        assertThat(interval.widthNs()).isLessThan(2 * (INJECTED_OFFSET_NS + 5_000_000L));
    }

    @Test
    void shouldAgreeWithApacheCommonsNetWithin2MsAndSayMore() throws Exception
    {
        // Commons Net's NTPUDPClient: one NTPv3 sample per call, offset and delay in whole milliseconds, no
        // bound. Take its lowest-delay sample of five, as a careful user would.
        long commonsOffsetMs = 0;
        long commonsDelayMs = Long.MAX_VALUE;
        final org.apache.commons.net.ntp.NTPUDPClient client = new org.apache.commons.net.ntp.NTPUDPClient();
        client.setDefaultTimeout(java.time.Duration.ofSeconds(1));
        client.open();
        try
        {
            for (int i = 0; i < 5; i++)
            {
                final org.apache.commons.net.ntp.TimeInfo info =
                    client.getTime(java.net.InetAddress.getLoopbackAddress(), faked.port());
                info.computeDetails();
                if (info.getDelay() != null && info.getOffset() != null && info.getDelay() < commonsDelayMs)
                {
                    commonsDelayMs = info.getDelay();
                    commonsOffsetMs = info.getOffset();
                }
            }
        }
        finally
        {
            client.close();
        }
        final ServerResult s = probeOne(faked);
        System.out.println("[cross-check] Commons Net: " + commonsOffsetMs + " ms (delay " + commonsDelayMs +
            " ms, no bound); Ordo: " + s.offsetNs() + " ns ± " + s.boundNs() + " ns (delay " + s.delayNs() + " ns)");
        assertThat(commonsDelayMs).as("Commons Net got a reply").isLessThan(Long.MAX_VALUE);
        assertThat(Math.abs(commonsOffsetMs * 1_000_000L - s.offsetNs())).isLessThanOrEqualTo(2_000_000L);
        assertThat(Math.abs(s.offsetNs() - INJECTED_OFFSET_NS)).isLessThanOrEqualTo(s.boundNs());
    }

    @Test
    void shouldFindNoOffsetAgainstAChronydOnTheSameClock() throws Exception
    {
        final ServerResult s = probeOne(real);
        System.out.println("[chronyd real] " + s.offsetNs() + " ns ± " + s.boundNs() + " ns, delay " + s.delayNs());
        assertThat(Math.abs(s.offsetNs())).as("%s", s).isLessThanOrEqualTo(s.boundNs()).isLessThan(1_000_000L);
    }

    @Test
    void theFakedServerShouldBeTheFalsetickerAmongThree() throws Exception
    {
        try (TestResponder responder = new TestResponder();
            NtpProbe probe = NtpProbe.open(List.of(real.spec(), faked.spec(), responder.spec()), SETTINGS))
        {
            final ProbeResult result = probe.measure();
            assertThat(result.status()).isEqualTo(ProbeStatus.OK);
            assertThat(result.falsetickers()).containsExactly(faked.spec().toString());
            assertThat(result.truechimers()).containsExactly(real.spec().toString(), responder.spec().toString());
            assertThat(Math.abs(result.offsetNs())).isLessThanOrEqualTo(result.boundNs());
        }
    }

    @Test
    void shouldAgreeWithChronydQueryModeWithin1Ms() throws Exception
    {
        final ServerResult s = probeOne(faked);
        assertThat(crossCheck.waitFor(15, TimeUnit.SECONDS)).as("chronyd -Q finished").isTrue();
        final String output = Files.readString(crossCheckLog, StandardCharsets.UTF_8);
        final Matcher m = Pattern.compile("System clock wrong by (-?[0-9.]+) seconds").matcher(output);
        assertThat(m.find()).as("chronyd -Q output:%n%s", output).isTrue();
        final long chronyNs = Math.round(Double.parseDouble(m.group(1)) * 1e9);
        System.out.println("[cross-check] chronyd -Q " + chronyNs + " ns, ntp-probe " + s.offsetNs() + " ns ± " +
            s.boundNs() + " ns");
        assertThat(Math.abs(chronyNs - s.offsetNs())).as("chronyd -Q %d ns vs probe %s", chronyNs, s)
            .isLessThan(1_000_000L);
    }
}
