package dev.ordo.ntp;

import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NtpProbeTest
{
    private static final ProbeSettings FAST = new ProbeSettings(4, 5_000_000L, 200_000_000L);
    private final List<TestResponder> responders = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception
    {
        for (final TestResponder responder : responders)
        {
            responder.close();
        }
    }

    private TestResponder responder() throws Exception
    {
        final TestResponder responder = new TestResponder();
        responders.add(responder);
        return responder;
    }

    private static ProbeResult probe(final ProbeSettings settings, final ServerSpec... servers) throws Exception
    {
        try (NtpProbe probe = NtpProbe.open(List.of(servers), settings))
        {
            return probe.measure();
        }
    }

    @Test
    void shouldMeasureAKnownOffsetWithABoundThatContainsIt() throws Exception
    {
        final TestResponder server = responder();
        server.offsetNs = -3_141_592_653L;
        final ProbeResult result = probe(FAST, server.spec());
        assertThat(result.status()).isEqualTo(ProbeStatus.OK);
        final ServerResult s = result.servers().get(0);
        assertThat(s.status()).isEqualTo(ServerStatus.OK);
        assertThat(Math.abs(s.offsetNs() - server.offsetNs)).as("%s", s).isLessThanOrEqualTo(s.boundNs());
        assertThat(Math.abs(result.offsetNs() - server.offsetNs)).isLessThanOrEqualTo(result.boundNs());
        assertThat(s.samples()).hasSize(4);
        assertThat(s.samples().get(0).warmup()).isTrue();
        assertThat(s.samples().get(0).best()).isFalse();
        assertThat(s.usedSamples()).isEqualTo(3);
        assertThat(s.samples().stream().filter(SampleRecord::best)).hasSize(1);
        assertThat(result.measuredAtMonoNs()).isEqualTo(s.measuredAtMonoNs());
        assertThat(server.requests.get()).isEqualTo(4);
    }

    @Test
    void boundShouldContainTheTrueOffsetUnderAsymmetricDelay() throws Exception
    {
        final TestResponder slowThere = responder();
        slowThere.offsetNs = 250_000_000L;
        slowThere.requestPathDelayNs = 30_000_000L;
        final TestResponder slowBack = responder();
        slowBack.offsetNs = 250_000_000L;
        slowBack.replyPathDelayNs = 30_000_000L;
        final ProbeResult result = probe(new ProbeSettings(3, 0, 500_000_000L), slowThere.spec(), slowBack.spec());
        for (final ServerResult s : result.servers())
        {
            assertThat(s.ok()).as("%s", s).isTrue();
            assertThat(Math.abs(s.offsetNs() - 250_000_000L)).as("%s", s).isLessThanOrEqualTo(s.boundNs())
                .as("asymmetry really shifts the offset").isGreaterThan(10_000_000L);
        }
        assertThat(result.servers().get(0).offsetNs()).isGreaterThan(250_000_000L);
        assertThat(result.servers().get(1).offsetNs()).isLessThan(250_000_000L);
        assertThat(result.status()).isEqualTo(ProbeStatus.OK);
        assertThat(Math.abs(result.offsetNs() - 250_000_000L)).isLessThanOrEqualTo(result.boundNs());
        assertThat(result.boundNs()).as("intersecting two honest intervals narrows the bound")
            .isLessThan(result.servers().get(0).boundNs());
    }

    @Test
    void shouldNameTheFalsetickerAmongFourServers() throws Exception
    {
        final TestResponder a = responder();
        final TestResponder b = responder();
        final TestResponder c = responder();
        final TestResponder liar = responder();
        liar.offsetNs = 2_000_000_000L;
        final ProbeResult result = probe(FAST, a.spec(), b.spec(), liar.spec(), c.spec());
        assertThat(result.status()).isEqualTo(ProbeStatus.OK);
        assertThat(result.falsetickers()).containsExactly(liar.spec().toString());
        assertThat(result.truechimers()).containsExactly(a.spec().toString(), b.spec().toString(), c.spec().toString());
        assertThat(Math.abs(result.offsetNs())).isLessThanOrEqualTo(result.boundNs());
    }

    @Test
    void twoDisagreeingServersShouldGiveNoMajority() throws Exception
    {
        final TestResponder a = responder();
        final TestResponder b = responder();
        b.offsetNs = 2_000_000_000L;
        final ProbeResult result = probe(FAST, a.spec(), b.spec());
        assertThat(result.status()).isEqualTo(ProbeStatus.NO_MAJORITY);
        assertThat(result.falsetickers()).hasSize(2);
    }

    @Test
    void denyKissShouldStopQueryingAndReportTheCode() throws Exception
    {
        final TestResponder server = responder();
        server.mode = TestResponder.Mode.KISS;
        server.kissCode = "DENY";
        final ProbeResult result = probe(FAST, server.spec());
        final ServerResult s = result.servers().get(0);
        assertThat(s.status()).isEqualTo(ServerStatus.KISS_OF_DEATH);
        assertThat(s.kissCode()).isEqualTo("DENY");
        assertThat(s.message()).contains("DENY").contains("stopped querying");
        assertThat(server.requests.get()).isEqualTo(1);
        assertThat(result.status()).isEqualTo(ProbeStatus.NO_USABLE_SERVER);
    }

    @Test
    void rstrKissShouldStopQuerying() throws Exception
    {
        final TestResponder server = responder();
        server.mode = TestResponder.Mode.KISS;
        server.kissCode = "RSTR";
        final ProbeResult result = probe(FAST, server.spec());
        assertThat(result.servers().get(0).kissCode()).isEqualTo("RSTR");
        assertThat(server.requests.get()).isEqualTo(1);
    }

    @Test
    void rateKissShouldBackOffButKeepTheSamplesAlreadyTaken() throws Exception
    {
        final TestResponder server = responder();
        server.normalRepliesBeforeSwitch = 2;
        server.modeAfter = TestResponder.Mode.KISS;
        server.kissCode = "RATE";
        final ProbeResult result = probe(new ProbeSettings(8, 1_000_000L, 200_000_000L), server.spec());
        final ServerResult s = result.servers().get(0);
        assertThat(s.status()).isEqualTo(ServerStatus.OK);
        assertThat(s.kissCode()).isEqualTo("RATE");
        // requests 1, 2 ok, 3 RATE, skip 1, 5 RATE, skip 2, 8 RATE: 5 requests instead of 8.
        assertThat(server.requests.get()).isEqualTo(5);
        assertThat(s.samples().stream().map(SampleRecord::outcome)).containsExactly(
            "ok", "ok", "kiss-of-death", "skipped", "kiss-of-death", "skipped", "skipped", "kiss-of-death");
    }

    @Test
    void anUnsynchronizedServerShouldBeRejectedWithAClearMessage() throws Exception
    {
        final TestResponder server = responder();
        server.mode = TestResponder.Mode.LEAP_UNSYNCHRONIZED;
        final ServerResult s = probe(FAST, server.spec()).servers().get(0);
        assertThat(s.status()).isEqualTo(ServerStatus.REJECTED);
        assertThat(s.message()).contains("unsynchronized");
    }

    @Test
    void forgedTruncatedGarbageAndForeignRepliesShouldBeIgnoredUntilTimeout() throws Exception
    {
        for (final TestResponder.Mode mode : List.of(TestResponder.Mode.WRONG_ORIGIN, TestResponder.Mode.TRUNCATED,
            TestResponder.Mode.GARBAGE, TestResponder.Mode.FROM_OTHER_PORT, TestResponder.Mode.CLIENT_MODE,
            TestResponder.Mode.VERSION_2, TestResponder.Mode.SILENT))
        {
            final TestResponder server = responder();
            server.mode = mode;
            final ServerResult s = probe(new ProbeSettings(2, 0, 30_000_000L), server.spec()).servers().get(0);
            assertThat(s.status()).as("%s", mode).isEqualTo(ServerStatus.NO_REPLY);
            assertThat(s.samples()).as("%s", mode).allMatch(r -> r.outcome().equals("timeout"));
            assertThat(s.message()).as("%s", mode).contains("no valid reply");
        }
    }

    @Test
    void badServerDataShouldBeRejected() throws Exception
    {
        for (final TestResponder.Mode mode : List.of(TestResponder.Mode.ZERO_TRANSMIT, TestResponder.Mode.STRATUM_16,
            TestResponder.Mode.SENT_BEFORE_RECEIVED, TestResponder.Mode.HUGE_ROOT_DISPERSION))
        {
            final TestResponder server = responder();
            server.mode = mode;
            final ServerResult s = probe(new ProbeSettings(2, 0, 100_000_000L), server.spec()).servers().get(0);
            assertThat(s.status()).as("%s", mode).isEqualTo(ServerStatus.REJECTED);
        }
    }

    @Test
    void aReplayedTransmitTimestampShouldNotBecomeASample() throws Exception
    {
        final TestResponder server = responder();
        server.normalRepliesBeforeSwitch = 1;
        server.modeAfter = TestResponder.Mode.REPLAY;
        final ServerResult s = probe(new ProbeSettings(3, 0, 100_000_000L), server.spec()).servers().get(0);
        assertThat(s.samples().stream().map(SampleRecord::outcome)).containsExactly("ok", "replay", "replay");
    }

    @Test
    void duplicateRepliesShouldBeIgnored() throws Exception
    {
        final TestResponder server = responder();
        server.mode = TestResponder.Mode.DUPLICATE;
        final ServerResult s = probe(FAST, server.spec()).servers().get(0);
        assertThat(s.samples()).allMatch(SampleRecord::ok);
    }

    @Test
    void aClosedPortShouldBeReportedAsUnreachable() throws Exception
    {
        final int port;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            port = socket.getLocalPort();
        }
        final ServerResult s = probe(FAST, new ServerSpec("127.0.0.1", port)).servers().get(0);
        assertThat(s.status()).isEqualTo(ServerStatus.UNREACHABLE);
        assertThat(s.message()).isEqualTo("port unreachable: no NTP server answers at 127.0.0.1:" + port);
    }

    @Test
    void anIpv6AddressShouldBeBracketedInMessages() throws Exception
    {
        final int port;
        try (java.nio.channels.DatagramChannel channel = java.nio.channels.DatagramChannel.open())
        {
            channel.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            port = ((InetSocketAddress)channel.getLocalAddress()).getPort();
        }
        catch (final java.io.IOException ex)
        {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback on this host: " + ex.getMessage());
            return;
        }
        final ProbeResult result = probe(FAST, ServerSpec.parse("[::1]:" + port));
        final ServerResult s = result.servers().get(0);
        assertThat(s.server()).isEqualTo("[::1]:" + port);
        assertThat(s.address()).isEqualTo("[::1]:" + port);
        assertThat(s.message()).isEqualTo("port unreachable: no NTP server answers at [::1]:" + port);
        assertThat(result.failure()).contains("[::1]:" + port).doesNotContain("0:0:0");
    }

    @Test
    void anUnknownHostShouldBeReportedWithoutStoppingTheOtherServers() throws Exception
    {
        final TestResponder server = responder();
        try (NtpProbe probe = NtpProbe.open(List.of(new ServerSpec("no.such.host", 123), server.spec()), FAST,
            SystemEpochNanoClock.INSTANCE, SystemNanoClock.INSTANCE, host ->
            {
                if (host.equals("127.0.0.1"))
                {
                    return InetAddress.getLoopbackAddress();
                }
                throw new UnknownHostException(host);
            }))
        {
            final ProbeResult result = probe.measure();
            assertThat(result.servers().get(0).status()).isEqualTo(ServerStatus.UNKNOWN_HOST);
            assertThat(result.servers().get(0).message()).isEqualTo("unknown host: no.such.host");
            assertThat(result.servers().get(1).ok()).isTrue();
            assertThat(result.status()).isEqualTo(ProbeStatus.OK);
        }
    }

    @Test
    void progressShouldBeReportedForEveryRequest() throws Exception
    {
        final TestResponder server = responder();
        final List<String> events = new ArrayList<>();
        try (NtpProbe probe = NtpProbe.open(List.of(server.spec()), FAST))
        {
            probe.measure((name, index, outcome) -> events.add(name + "#" + index + "=" + outcome));
        }
        final String name = server.spec().toString();
        assertThat(events).containsExactly(name + "#0=ok", name + "#1=ok", name + "#2=ok", name + "#3=ok");
    }

    @Test
    void sessionsShouldSurviveSeveralRounds() throws Exception
    {
        final TestResponder server = responder();
        try (NtpProbe probe = NtpProbe.open(List.of(server.spec()), FAST))
        {
            final ProbeResult first = probe.measure();
            final ProbeResult second = probe.measure();
            assertThat(first.ok()).isTrue();
            assertThat(second.ok()).isTrue();
            assertThat(second.measuredAtMonoNs()).isGreaterThan(first.measuredAtMonoNs());
            assertThat(first.servers().get(0).usedSamples()).isEqualTo(3);
            assertThat(second.servers().get(0).usedSamples()).as("only the first round warms up").isEqualTo(4);
            assertThat(second.servers().get(0).samples()).noneMatch(SampleRecord::warmup);
        }
    }

    @Test
    void badSettingsShouldBeRejectedNamingTheValue()
    {
        assertThatThrownBy(() -> new ProbeSettings(0, 0, 1_000_000_000L))
            .hasMessageContaining("samples must be 1-64: 0");
        assertThatThrownBy(() -> new ProbeSettings(8, -1, 1_000_000_000L)).hasMessageContaining("-1 ns");
        assertThatThrownBy(() -> new ProbeSettings(8, 0, 5)).hasMessageContaining("5 ns");
        assertThatThrownBy(() -> NtpProbe.open(List.of(), FAST)).hasMessageContaining("no NTP server");
    }
}
