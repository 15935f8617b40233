package dev.ordo.ntp;

import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real chronyd serving NTP on 127.0.0.1 at a free unprivileged port, never touching the system clock
 * ({@code -x}), optionally under libfaketime to give it a known offset. Always {@link #close()} it.
 */
public final class Chronyd implements AutoCloseable
{
    public static final Path FAKETIME_LIBRARY = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

    private final Process process;
    private final int port;
    private final Path logFile;

    private Chronyd(final Process process, final int port, final Path logFile)
    {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * @return chronyd's path, or null if it is not installed.
     */
    public static Path executable()
    {
        for (final String candidate : new String[]{"/usr/sbin/chronyd", "/usr/bin/chronyd", "/sbin/chronyd"})
        {
            if (Files.isExecutable(Path.of(candidate)))
            {
                return Path.of(candidate);
            }
        }
        return null;
    }

    /**
     * Skips the calling test (loudly) when a tool is missing, or fails it when the environment variable
     * CI=true, so CI cannot pass without really running against chronyd.
     *
     * @param available whether the tool is there.
     * @param what      what is missing and how to install it.
     */
    public static void requireTool(final boolean available, final String what)
    {
        if (available)
        {
            return;
        }
        final String message = "*** " + what + " is not installed: the real-NTP-server tests did NOT run ***";
        System.err.println(message);
        if ("true".equalsIgnoreCase(System.getenv("CI")))
        {
            Assertions.fail(message + " (CI=true: failing instead of skipping)");
        }
        Assumptions.assumeTrue(false, message);
    }

    /**
     * Starts chronyd and waits until it answers.
     *
     * @param dir           a private temporary directory for its configuration, pid and drift files.
     * @param fakeOffsetSec a libfaketime offset such as "+5.25" (over 1 s), or null for the real clock.
     * @return the running server.
     */
    public static Chronyd start(final Path dir, final String fakeOffsetSec) throws Exception
    {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            final int port = freeUdpPort();
            final Path conf = dir.resolve("chrony-" + port + ".conf");
            Files.writeString(conf, String.join("\n",
                "port " + port,
                "bindaddress 127.0.0.1",
                "allow 127.0.0.1",
                "local stratum 8",
                "cmdport 0",
                "driftfile " + dir.resolve("drift-" + port),
                "pidfile " + dir.resolve("chronyd-" + port + ".pid"),
                ""));
            final List<String> command = new ArrayList<>(List.of(executable().toString(), "-x", "-d", "-f",
                conf.toString()));
            final ProcessBuilder builder = new ProcessBuilder(command);
            final Path log = dir.resolve("chronyd-" + port + ".log");
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            if (fakeOffsetSec != null)
            {
                builder.environment().put("FAKETIME", fakeOffsetSec + "s");
                builder.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
                builder.environment().put("LD_PRELOAD", FAKETIME_LIBRARY.toString());
            }
            final Process process = builder.start();
            // Even if the test JVM is stopped abruptly, never leave a chronyd behind.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-chronyd-" + port));
            final Chronyd chronyd = new Chronyd(process, port, log);
            if (chronyd.awaitReady(5_000))
            {
                return chronyd;
            }
            last = new IOException("chronyd did not answer on 127.0.0.1:" + port + "; log:\n" + chronyd.log());
            chronyd.close();
        }
        throw last;
    }

    /**
     * @return the port it serves on (127.0.0.1).
     */
    public int port()
    {
        return port;
    }

    /**
     * @return it as a server spec.
     */
    public ServerSpec spec()
    {
        return new ServerSpec("127.0.0.1", port);
    }

    /**
     * @return everything chronyd logged so far.
     */
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

    private boolean awaitReady(final long timeoutMs) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final ByteBuffer bytes = ByteBuffer.allocateDirect(512);
        final NtpExchange exchange = new NtpExchange(1, 1_000);
        final NtpSample sample = new NtpSample();
        try (DatagramChannel channel = DatagramChannel.open())
        {
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            channel.configureBlocking(false);
            while (System.nanoTime() < deadline && process.isAlive())
            {
                final long start = System.nanoTime();
                bytes.clear().limit(exchange.prepareRequest(bytes, 0, SystemEpochNanoClock.INSTANCE.nanoTime()));
                try
                {
                    channel.write(bytes);
                    Thread.sleep(50);
                    bytes.clear();
                    if (channel.read(bytes) > 0 && exchange.acceptReply(bytes, 0, bytes.position(),
                        System.nanoTime() - start, System.nanoTime(), sample) == ReplyCheck.OK)
                    {
                        return true;
                    }
                }
                catch (final java.net.PortUnreachableException ex)
                {
                    Thread.sleep(50); // not listening yet
                }
            }
        }
        return false;
    }

    /**
     * Stops chronyd (SIGTERM, then SIGKILL) and waits for it.
     */
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

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
    }
}
