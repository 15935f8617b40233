package dev.ordo.ntp.cli;

import dev.ordo.ntp.TestResponder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NtpProbeCliTest
{
    private final List<TestResponder> responders = new ArrayList<>();
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private List<Path> configFiles = List.of();

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() throws Exception
    {
        for (final TestResponder responder : responders)
        {
            responder.close();
        }
    }

    private TestResponder responder(final long offsetNs) throws Exception
    {
        final TestResponder responder = new TestResponder();
        responder.offsetNs = offsetNs;
        responders.add(responder);
        return responder;
    }

    /** Resolves IP literals only: no DNS query can leave the machine. */
    private static InetAddress literalsOnly(final String host) throws UnknownHostException
    {
        if (host.matches("[0-9.]+"))
        {
            return InetAddress.getByName(host);
        }
        throw new UnknownHostException(host);
    }

    private int run(final String... args)
    {
        outBytes.reset();
        errBytes.reset();
        final NtpProbeCli cli = new NtpProbeCli(new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8), configFiles, NtpProbeCliTest::literalsOnly);
        return cli.run(args);
    }

    private String out()
    {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err()
    {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private static String server(final TestResponder responder)
    {
        return "127.0.0.1:" + responder.port();
    }

    @Test
    void helpAndVersionShouldExitZero()
    {
        assertThat(run("--help")).isZero();
        assertThat(out()).startsWith("Usage: ntp-probe").contains("--max-offset").contains("Exit status");
        assertThat(run("-V")).isZero();
        assertThat(out()).isEqualTo("ntp-probe " + NtpProbeCli.version() + System.lineSeparator());
        assertThat(NtpProbeCli.version()).isNotEqualTo("unknown");
    }

    @Test
    void badUsageShouldPrintOneClearLineAndExit2()
    {
        final String[][] cases = {
            {"--bogus"}, {"-n"}, {"-n", "x"}, {"-n", "65"}, {"-i", "fast"}, {"-t", "0"}, {"--max-offset", "-1s"},
            {"--rounds", "3"}, {"127.0.0.1:99999"}, {"--json=yes"}, {"[::1"}, {"--max-offset", "100"},
            {"--max-offset=0.5"}, {"bad:port:x"}, {"--plot", "no-such-directory/plot.svg"},
        };
        for (final String[] args : cases)
        {
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(NtpProbeCli.EXIT_USAGE);
            assertThat(err().lines()).as(String.join(" ", args)).hasSize(1);
            assertThat(err()).as(String.join(" ", args)).startsWith("ntp-probe: ").doesNotContain("Exception")
                .doesNotContain("\tat ");
            assertThat(out()).isEmpty();
        }
        run("-n", "x");
        assertThat(err()).isEqualTo("ntp-probe: -n needs a whole number, not \"x\"" + System.lineSeparator());
    }

    @Test
    void maxOffsetShouldRequireAUnitBecauseABareNumberWouldSilentlyMeanSeconds()
    {
        assertThat(run("--max-offset", "100")).isEqualTo(NtpProbeCli.EXIT_USAGE);
        assertThat(err()).isEqualTo("ntp-probe: --max-offset needs a unit (ns, us, ms or s), e.g. 100ms or 100s, " +
            "not \"100\"" + System.lineSeparator());
        assertThat(run("bad:port:x")).isEqualTo(NtpProbeCli.EXIT_USAGE);
        assertThat(err()).contains("\"bad:port:x\"").contains("[ADDRESS]:PORT");
    }

    @Test
    void aPlotIntoAMissingDirectoryShouldBeAnErrorBeforeProbingNotACreatedDirectory()
    {
        final Path missing = dir.resolve("typo/plot.svg");
        assertThat(run("-q", "-n", "1", "--plot", missing.toString(), "127.0.0.1:9")).isEqualTo(NtpProbeCli.EXIT_USAGE);
        assertThat(err()).isEqualTo("ntp-probe: --plot: no such directory: " + dir.resolve("typo") +
            " (create it first)" + System.lineSeparator());
        assertThat(Files.exists(dir.resolve("typo"))).isFalse();
    }

    @Test
    void humanReportShouldShowATableAndAOneLineVerdict() throws Exception
    {
        final TestResponder a = responder(-5_000_000L);
        final TestResponder b = responder(-5_000_000L);
        final TestResponder c = responder(-5_000_000L);
        assertThat(run("-n", "4", "-i", "5ms", server(a), server(b), server(c))).isZero();
        final List<String> lines = out().lines().toList();
        assertThat(lines.get(0)).contains("server").contains("offset").contains("± bound").contains("delay");
        assertThat(lines).hasSize(5);
        assertThat(lines.get(4))
            .matches("verdict: this host is (4\\.9|5\\.0)[0-9]{2} ms ahead of 3 agreeing servers, ± .*");
        assertThat(err()).contains("probing 3 server(s)").contains("....");
    }

    @Test
    void jsonShouldBeOneValidObjectWithUnitsInTheKeys() throws Exception
    {
        final TestResponder a = responder(5_250_000_000L);
        final TestResponder liar = responder(0);
        final TestResponder c = responder(5_250_000_000L);
        assertThat(run("--json", "-n", "3", "-i", "0", server(a), server(liar), server(c))).isZero();
        assertThat(out().lines()).hasSize(1);
        @SuppressWarnings("unchecked") final Map<String, Object> root = (Map<String, Object>)Json.parse(out());
        assertThat(root).containsKeys("tool", "version", "settings", "servers", "combined", "exitStatus");
        @SuppressWarnings("unchecked") final Map<String, Object> combined = (Map<String, Object>)root.get("combined");
        assertThat(combined.get("status")).isEqualTo("ok");
        final long offsetNs = (Long)combined.get("offsetNs");
        final long boundNs = (Long)combined.get("boundNs");
        assertThat(Math.abs(offsetNs - 5_250_000_000L)).isLessThanOrEqualTo(boundNs);
        assertThat(combined.get("falsetickers")).isEqualTo(List.of(server(liar)));
        assertThat(combined).containsKeys("rootDelayNs", "rootDispersionNs", "measuredAtMonoNs", "lowNs", "highNs");
        @SuppressWarnings("unchecked") final List<Map<String, Object>> servers =
            (List<Map<String, Object>>)root.get("servers");
        assertThat(servers).hasSize(3);
        assertThat(servers.get(1).get("falseticker")).isEqualTo(true);
        assertThat(servers.get(0)).containsKeys("offsetNs", "boundNs", "delayNs", "jitterNs", "stratum", "samples");
        @SuppressWarnings("unchecked") final List<Map<String, Object>> samples =
            (List<Map<String, Object>>)servers.get(0).get("samples");
        assertThat(samples).hasSize(3);
        assertThat(samples.get(0).get("warmup")).isEqualTo(true);
        for (final String key : flattenKeys(root))
        {
            if (key.matches(".*(offset|bound|delay|dispersion|jitter|interval|timeout|At)$"))
            {
                throw new AssertionError("numeric key without a unit: " + key);
            }
        }
        assertThat(err().trim()).as("only progress on stderr").matches("[.]+");
    }

    private static List<String> flattenKeys(final Object node)
    {
        final List<String> keys = new ArrayList<>();
        if (node instanceof Map<?, ?> map)
        {
            map.forEach((k, v) ->
            {
                keys.add((String)k);
                keys.addAll(flattenKeys(v));
            });
        }
        else if (node instanceof List<?> list)
        {
            list.forEach(v -> keys.addAll(flattenKeys(v)));
        }
        return keys;
    }

    @Test
    void maxOffsetShouldFailWhenOffsetPlusBoundExceedsIt() throws Exception
    {
        final TestResponder server = responder(50_000_000L);
        assertThat(run("-q", "-n", "3", "-i", "0", "--max-offset", "10ms", server(server)))
            .isEqualTo(NtpProbeCli.EXIT_OVER_MAX_OFFSET);
        assertThat(out()).contains("exceeds 10.000 ms (FAIL)");
        assertThat(run("-q", "-n", "3", "-i", "0", "--max-offset", "1s", server(server))).isZero();
        assertThat(out()).contains("is within 1.000000 s (ok)");
    }

    @Test
    void noUsableServerShouldExit3WithOneLinePerServer() throws Exception
    {
        final int port;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            port = socket.getLocalPort();
        }
        final TestResponder silent = responder(0);
        silent.mode = TestResponder.Mode.SILENT;
        final TestResponder deny = responder(0);
        deny.mode = TestResponder.Mode.KISS;
        deny.kissCode = "DENY";
        assertThat(run("-q", "-n", "2", "-i", "0", "-t", "50ms", "127.0.0.1:" + port, server(silent), server(deny),
            "no.such.host")).isEqualTo(NtpProbeCli.EXIT_NO_USABLE_SERVER);
        assertThat(err().lines()).containsExactly(
            "ntp-probe: port unreachable: no NTP server answers at 127.0.0.1:" + port,
            "ntp-probe: no valid reply from " + server(silent) + " within the timeout to any of 2 requests",
            "ntp-probe: Kiss-o'-Death DENY from " + server(deny) +
                ": the server refuses us (access denied); stopped querying it",
            "ntp-probe: unknown host: no.such.host");
        assertThat(out()).contains("verdict: no usable server");
    }

    @Test
    void disagreeingServersShouldExit4() throws Exception
    {
        final TestResponder a = responder(0);
        final TestResponder b = responder(1_000_000_000L);
        assertThat(run("-q", "-n", "2", "-i", "0", server(a), server(b))).isEqualTo(NtpProbeCli.EXIT_NO_MAJORITY);
        assertThat(out()).contains("the servers disagree");
    }

    @Test
    void watchShouldPrintALinePerRoundTheDriftAndAPlot() throws Exception
    {
        final TestResponder a = responder(-2_000_000L);
        final TestResponder b = responder(-2_000_000L);
        final Path plot = dir.resolve("skew.svg");
        assertThat(run("-q", "--watch", "--rounds", "3", "--round-interval", "20ms", "-n", "3", "-i", "1ms",
            "--plot", plot.toString(), server(a), server(b))).isZero();
        final List<String> lines = out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("round   1").contains("2/2 agree").doesNotContain("drift");
        assertThat(lines.get(1)).startsWith("round   2").contains("drift");
        assertThat(lines.get(3)).startsWith("drift: this host's clock runs").contains("over 3 rounds");
        final Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(plot.toFile());
        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        // 2 servers x (3 rounds x 3 samples - 1 warm-up, not drawn), plus 3 combined points.
        assertThat(svg.getElementsByTagName("circle").getLength()).isEqualTo(2 * (3 * 3 - 1) + 3);
    }

    @Test
    void watchWithJsonShouldPrintOneObjectPerRound() throws Exception
    {
        final TestResponder a = responder(0);
        assertThat(run("--json", "--watch", "--rounds", "2", "--round-interval", "0", "-n", "2", "-i", "0",
            server(a))).isZero();
        final List<String> lines = out().lines().toList();
        assertThat(lines).hasSize(2);
        @SuppressWarnings("unchecked") final Map<String, Object> second = (Map<String, Object>)Json.parse(lines.get(1));
        assertThat(second.get("round")).isEqualTo(2L);
        assertThat(second.get("driftPpm")).isInstanceOf(Double.class);
    }

    @Test
    void withoutServersItShouldUseTheHostConfiguration() throws Exception
    {
        final TestResponder a = responder(0);
        final Path conf = dir.resolve("chrony.conf");
        Files.writeString(conf, "server 127.0.0.1 port " + a.port() + " iburst\n");
        configFiles = List.of(dir.resolve("missing.conf"), conf);
        assertThat(run("-n", "2", "-i", "0")).isZero();
        assertThat(err()).contains("using 1 server(s) from " + conf);
        assertThat(out()).contains(server(a));
    }

    @Test
    void withoutAnyConfigurationItShouldFallBackToThePoolWithoutSendingAnything()
    {
        configFiles = List.of(dir.resolve("missing.conf"));
        // The test resolver refuses every name, so no DNS query or NTP request leaves the machine.
        assertThat(run("-n", "1")).isEqualTo(NtpProbeCli.EXIT_NO_USABLE_SERVER);
        assertThat(err()).contains("using the fallback pool.ntp.org").contains("unknown host: pool.ntp.org");
    }

    @Test
    void anUnwritablePlotShouldBeOneClearLine() throws Exception
    {
        final TestResponder a = responder(0);
        final Path aDirectory = Files.createDirectory(dir.resolve("plot.svg"));
        assertThat(run("-q", "-n", "1", "--plot", aDirectory.toString(), server(a)))
            .isEqualTo(NtpProbeCli.EXIT_INTERNAL_ERROR);
        assertThat(err().lines()).hasSize(1);
        assertThat(err()).startsWith("ntp-probe: cannot write the plot to ");
    }
}
