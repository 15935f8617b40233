package dev.ordo.ntp.cli;

import dev.ordo.ntp.nts.NtsChronyd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ntp-probe --nts}: against a real chronyd NTS server (authenticated, in the table and the JSON), mixed with
 * a plain server; and against a misbehaving NTS-KE server played by a small JSSE TLS server in the test (wrong
 * certificate, wrong host name, no ALPN, an error record, an unknown critical record, no common AEAD algorithm):
 * each is a clear one-line error and exit status 3, with no stack trace. Skipped loudly without chrony or
 * openssl; failed when CI=true.
 */
class NtsCliTest
{
    @TempDir
    static Path dir;

    private static NtsChronyd chronyd;
    private static Path localhostCert;
    private static Path otherCert;

    @BeforeAll
    static void start() throws Exception
    {
        NtsChronyd.requireTools();
        chronyd = NtsChronyd.start(dir, null, null);
        localhostCert = chronyd.certificate();
        otherCert = NtsChronyd.makeCertificate(dir, "other", "DNS:other.example");
        NtsChronyd.pkcs12(dir, "localhost");
        NtsChronyd.pkcs12(dir, "other");
    }

    @AfterAll
    static void stop()
    {
        if (chronyd != null)
        {
            chronyd.close();
        }
    }

    private static InetAddress loopbackOnly(final String host) throws UnknownHostException
    {
        if (host.equals("localhost") || host.matches("127[0-9.]+"))
        {
            return InetAddress.getByName(host.equals("localhost") ? "127.0.0.1" : host);
        }
        throw new UnknownHostException(host);
    }

    private record Run(int status, String out, String err)
    {
    }

    private static Run run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = new NtpProbeCli(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), List.of(), NtsCliTest::loopbackOnly).run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anNtsServerShouldBeReportedAsAuthenticatedInTheTableAndTheJson() throws Exception
    {
        final Run table = run("-q", "-n", "3", "-i", "20ms", "--nts", "localhost:" + chronyd.kePort(),
            "--trust-cert", localhostCert.toString());
        assertThat(table.status()).as(table.err()).isZero();
        assertThat(table.out()).contains("ok, agrees, NTS-authenticated").contains(" (NTS-authenticated)");
        final Run json = run("-q", "-n", "3", "-i", "20ms", "--json", "--nts", "localhost:" + chronyd.kePort(),
            "--trust-cert", localhostCert.toString());
        assertThat(json.status()).as(json.err()).isZero();
        final Map<String, Object> server = server(json.out(), 0);
        assertThat(server.get("authenticated")).isEqualTo(Boolean.TRUE);
        assertThat(server.get("authFailures")).isEqualTo(0L);
        assertThat(combined(json.out()).get("authenticated")).isEqualTo(Boolean.TRUE);
    }

    @Test
    void plainAndNtsServersShouldMixInOneRun()
    {
        final Run run = run("-q", "-n", "3", "-i", "20ms", "--json", "127.0.0.1:" + chronyd.ntpPort(), "--nts",
            "localhost:" + chronyd.kePort(), "--trust-cert", localhostCert.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(server(run.out(), 0).get("authenticated")).isEqualTo(Boolean.FALSE);
        assertThat(server(run.out(), 1).get("authenticated")).isEqualTo(Boolean.TRUE);
    }

    @Test
    void anUntrustedCertificateShouldFailTheKeyExchangeInOneLine()
    {
        final Run run = run("-q", "-n", "1", "--nts", "localhost:" + chronyd.kePort()); // self-signed: not in the system store
        assertKeyExchangeError(run, "is not trusted by the system trust store (use --trust-cert FILE");
    }

    @Test
    void aCertificateForAnotherHostShouldFailTheKeyExchangeInOneLine() throws Exception
    {
        try (MisbehavingKeServer server = new MisbehavingKeServer("other", true, null))
        {
            final Run run = run("-q", "-n", "1", "--nts", "localhost:" + server.port(), "--trust-cert", otherCert.toString());
            assertKeyExchangeError(run, "certificate does not name host localhost (it names other.example)");
        }
    }

    @Test
    void aServerWithoutAlpnShouldFailTheKeyExchangeInOneLine() throws Exception
    {
        try (MisbehavingKeServer server = new MisbehavingKeServer("localhost", false, null))
        {
            final Run run = run("-q", "-n", "1", "--nts", "localhost:" + server.port(), "--trust-cert", localhostCert.toString());
            assertKeyExchangeError(run, "did not agree to ALPN ntske/1 (no ALPN)");
        }
    }

    @Test
    void anErrorRecordShouldFailTheKeyExchangeInOneLine() throws Exception
    {
        try (MisbehavingKeServer server = new MisbehavingKeServer("localhost", true,
            new byte[]{(byte)0x80, 2, 0, 2, 0, 1, (byte)0x80, 0, 0, 0}))
        {
            final Run run = run("-q", "-n", "1", "--nts", "localhost:" + server.port(), "--trust-cert", localhostCert.toString());
            assertKeyExchangeError(run, "the server sent error 1 (bad request)");
        }
    }

    @Test
    void anUnknownCriticalRecordShouldFailTheKeyExchangeInOneLine() throws Exception
    {
        try (MisbehavingKeServer server = new MisbehavingKeServer("localhost", true,
            new byte[]{(byte)0x80, 1, 0, 2, 0, 0, (byte)0x80, 0x4D, 0, 1, 9, (byte)0x80, 0, 0, 0}))
        {
            final Run run = run("-q", "-n", "1", "--nts", "localhost:" + server.port(), "--trust-cert", localhostCert.toString());
            assertKeyExchangeError(run, "unrecognized critical record type 77");
        }
    }

    @Test
    void noCommonAeadAlgorithmShouldFailTheKeyExchangeInOneLine() throws Exception
    {
        try (MisbehavingKeServer server = new MisbehavingKeServer("localhost", true,
            new byte[]{(byte)0x80, 1, 0, 2, 0, 0, (byte)0x80, 4, 0, 0, (byte)0x80, 0, 0, 0}))
        {
            final Run run = run("-q", "-n", "1", "--nts", "localhost:" + server.port(), "--trust-cert", localhostCert.toString());
            assertKeyExchangeError(run, "no common AEAD algorithm (we offered AEAD_AES_SIV_CMAC_256, " +
                "AEAD_AES_SIV_CMAC_512)");
        }
    }

    @Test
    void theVerdictShouldCountRepliesThatFailedTheNtsChecks()
    {
        final dev.ordo.ntp.ServerResult attacked = new dev.ordo.ntp.ServerResult("ntp.example:4460", "192.0.2.1:123",
            dev.ordo.ntp.ServerStatus.OK, null, null, 1_000, 50_000, 90_000, 1_000, 0, 0, 0, 2, 0, -20, 0, 1, 1, 3,
            List.of(), true, 2, "unique identifier does not match our request (replayed or misdirected reply)");
        final String verdict = NtpProbeCli.Reports.verdict(dev.ordo.ntp.ProbeResult.combine(List.of(attacked)));
        assertThat(verdict).contains("(NTS-authenticated)").endsWith("; 2 replies failed the NTS checks and were not used");
    }

    @Test
    void aMissingTrustFileOrTrustWithoutNtsShouldBeUsageErrors()
    {
        final Run missing = run("-q", "--nts", "localhost", "--trust-cert", dir.resolve("nope.pem").toString());
        assertThat(missing.status()).isEqualTo(NtpProbeCli.EXIT_USAGE);
        assertThat(missing.err().strip()).isEqualTo("ntp-probe: --trust-cert: cannot read certificate file " +
            dir.resolve("nope.pem") + ": no such file");
        final Run alone = run("-q", "--trust-cert", localhostCert.toString(), "127.0.0.1");
        assertThat(alone.status()).isEqualTo(NtpProbeCli.EXIT_USAGE);
        assertThat(alone.err().strip()).isEqualTo("ntp-probe: --trust-cert needs --nts");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> server(final String json, final int index)
    {
        final Map<String, Object> root = (Map<String, Object>)Json.parse(json);
        return ((List<Map<String, Object>>)root.get("servers")).get(index);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> combined(final String json)
    {
        return (Map<String, Object>)((Map<String, Object>)Json.parse(json)).get("combined");
    }

    private static void assertKeyExchangeError(final Run run, final String reason)
    {
        assertThat(run.status()).as(run.err()).isEqualTo(NtpProbeCli.EXIT_NO_USABLE_SERVER);
        final List<String> errorLines = run.err().lines().filter(line -> line.startsWith("ntp-probe:")).toList();
        assertThat(errorLines).hasSize(1);
        assertThat(errorLines.get(0)).startsWith("ntp-probe: NTS-KE with localhost:").contains(" failed: ")
            .contains(reason);
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run.out()).contains("key exchange failed");
    }

    /**
     * A TLS 1.3 server (the JDK's) that plays a broken NTS-KE server: it presents the certificate {@code name},
     * offers ALPN ntske/1 or nothing, reads the request and answers with fixed records.
     */
    private static final class MisbehavingKeServer implements AutoCloseable
    {
        private final SSLServerSocket socket;
        private final Thread thread;

        MisbehavingKeServer(final String name, final boolean alpn, final byte[] response) throws Exception
        {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12")))
            {
                store.load(in, "test".toCharArray());
            }
            final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, "test".toCharArray());
            final SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keys.getKeyManagers(), null, null);
            socket = (SSLServerSocket)context.getServerSocketFactory().createServerSocket(0, 5,
                InetAddress.getLoopbackAddress());
            thread = new Thread(() -> serve(alpn, response), "misbehaving-nts-ke");
            thread.setDaemon(true);
            thread.start();
        }

        int port()
        {
            return socket.getLocalPort();
        }

        private void serve(final boolean alpn, final byte[] response)
        {
            while (!socket.isClosed())
            {
                try (SSLSocket client = (SSLSocket)socket.accept())
                {
                    client.setSoTimeout(5_000);
                    final SSLParameters parameters = client.getSSLParameters();
                    parameters.setProtocols(new String[]{"TLSv1.3"});
                    if (alpn)
                    {
                        parameters.setApplicationProtocols(new String[]{"ntske/1"});
                    }
                    client.setSSLParameters(parameters);
                    client.startHandshake();
                    if (response != null)
                    {
                        final byte[] request = new byte[18];
                        client.getInputStream().readNBytes(request, 0, request.length);
                        client.getOutputStream().write(response);
                        client.getOutputStream().flush();
                    }
                    else
                    {
                        client.getInputStream().read(); // wait for the client to give up
                    }
                }
                catch (final IOException ex)
                {
                    // the client hung up (as it should on a bad certificate or no ALPN), or we are closing
                }
            }
        }

        @Override
        public void close() throws Exception
        {
            socket.close();
            thread.join(2_000);
        }
    }
}
