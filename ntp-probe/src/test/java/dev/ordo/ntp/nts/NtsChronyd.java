package dev.ordo.ntp.nts;

import dev.ordo.ntp.Chronyd;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real chronyd serving NTS on loopback: NTS-KE on TCP {@link #kePort()} with a self-signed certificate for
 * {@code localhost} and 127.0.0.1 ({@link #certificate()}), NTP on UDP {@link #ntpPort()}; never touching the
 * system clock ({@code -x}); optionally under libfaketime, and optionally telling clients (through the KE's
 * NTPv4 server record) to send NTP to another address, where a test relay can sit on the path.
 */
public final class NtsChronyd implements AutoCloseable
{
    private final Process process;
    private final int kePort;
    private final int ntpPort;
    private final Path certificate;
    private final Path logFile;

    private NtsChronyd(final Process process, final int kePort, final int ntpPort, final Path certificate,
        final Path logFile)
    {
        this.process = process;
        this.kePort = kePort;
        this.ntpPort = ntpPort;
        this.certificate = certificate;
        this.logFile = logFile;
    }

    /**
     * Skips (or, with CI=true, fails) the calling test when chronyd, libfaketime or openssl is missing.
     */
    public static void requireTools()
    {
        Chronyd.requireTool(Chronyd.executable() != null, "chronyd (apt-get install chrony)");
        Chronyd.requireTool(Files.exists(Chronyd.FAKETIME_LIBRARY),
            "libfaketime at " + Chronyd.FAKETIME_LIBRARY + " (apt-get install faketime)");
        Chronyd.requireTool(openssl() != null, "openssl (apt-get install openssl)");
    }

    public static Path openssl()
    {
        for (final String candidate : new String[]{"/usr/bin/openssl", "/bin/openssl", "/usr/local/bin/openssl"})
        {
            if (Files.isExecutable(Path.of(candidate)))
            {
                return Path.of(candidate);
            }
        }
        return null;
    }

    /**
     * Makes a self-signed EC certificate and key: {@code dir/name.pem}, {@code dir/name.key}.
     *
     * @param subjectAltName e.g. {@code DNS:localhost,IP:127.0.0.1}.
     * @return the certificate file.
     */
    public static Path makeCertificate(final Path dir, final String name, final String subjectAltName) throws Exception
    {
        final Path cert = dir.resolve(name + ".pem");
        final Path key = dir.resolve(name + ".key");
        run(List.of(openssl().toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + name,
            "-addext", "subjectAltName=" + subjectAltName), dir);
        return cert;
    }

    /** Bundles a certificate and its key into a PKCS#12 key store (password "test") for a JSSE test server. */
    public static Path pkcs12(final Path dir, final String name) throws Exception
    {
        final Path store = dir.resolve(name + ".p12");
        run(List.of(openssl().toString(), "pkcs12", "-export", "-in", dir.resolve(name + ".pem").toString(),
            "-inkey", dir.resolve(name + ".key").toString(), "-out", store.toString(), "-passout", "pass:test",
            "-name", name), dir);
        return store;
    }

    private static void run(final List<String> command, final Path dir) throws Exception
    {
        final Path log = Files.createTempFile(dir, "openssl", ".log");
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0)
        {
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }

    /**
     * Starts chronyd with NTS and waits until its KE port accepts connections.
     *
     * @param dir           a private temporary directory.
     * @param fakeOffsetSec a libfaketime offset such as "+5.25" (over 1 s), or null.
     * @param ntpServer     the address the KE tells clients to send NTP to (chronyd's {@code ntsntpserver}), or
     *                      null for chronyd's own.
     */
    public static NtsChronyd start(final Path dir, final String fakeOffsetSec, final String ntpServer) throws Exception
    {
        final Path cert = Files.exists(dir.resolve("localhost.pem")) ? dir.resolve("localhost.pem")
            : makeCertificate(dir, "localhost", "DNS:localhost,IP:127.0.0.1");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            final int ntpPort = freeUdpPort();
            final int kePort = freeTcpPort();
            final Path dump = Files.createDirectories(dir.resolve("ntsdump-" + kePort));
            final Path conf = dir.resolve("chrony-nts-" + kePort + ".conf");
            final List<String> lines = new ArrayList<>(List.of(
                "port " + ntpPort,
                "bindaddress 127.0.0.1",
                "allow 127.0.0.0/8",
                "local stratum 8",
                "cmdport 0",
                "driftfile " + dir.resolve("drift-" + kePort),
                "pidfile " + dir.resolve("chronyd-" + kePort + ".pid"),
                "ntsserverkey " + dir.resolve("localhost.key"),
                "ntsservercert " + cert,
                "ntsport " + kePort,
                "ntsdumpdir " + dump));
            if (ntpServer != null)
            {
                lines.add("ntsntpserver " + ntpServer);
            }
            Files.writeString(conf, String.join("\n", lines) + "\n");
            final ProcessBuilder builder = new ProcessBuilder(Chronyd.executable().toString(), "-x", "-d", "-u", "root",
                "-f", conf.toString());
            final Path log = dir.resolve("chronyd-nts-" + kePort + ".log");
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            if (fakeOffsetSec != null)
            {
                builder.environment().put("FAKETIME", fakeOffsetSec + "s");
                builder.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
                builder.environment().put("LD_PRELOAD", Chronyd.FAKETIME_LIBRARY.toString());
            }
            final Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-chronyd-nts-" + kePort));
            final NtsChronyd chronyd = new NtsChronyd(process, kePort, ntpPort, cert, log);
            if (chronyd.awaitKePort(5_000))
            {
                return chronyd;
            }
            last = new IOException("chronyd did not accept NTS-KE on 127.0.0.1:" + kePort + "; log:\n" + chronyd.log());
            chronyd.close();
        }
        throw last;
    }

    public int kePort()
    {
        return kePort;
    }

    public int ntpPort()
    {
        return ntpPort;
    }

    public Path certificate()
    {
        return certificate;
    }

    public String log()
    {
        try
        {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    private boolean awaitKePort(final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline && process.isAlive())
        {
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), kePort), 200);
                return true;
            }
            catch (final IOException notYet)
            {
                Thread.sleep(50);
            }
        }
        return false;
    }

    @Override
    public void close()
    {
        process.destroy();
        try
        {
            if (!process.waitFor(3, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(3, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
    }

    static int freeTcpPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
