package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBounds;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ChronyTrackingBound} against a real chronyd that synchronizes, without touching the system clock
 * ({@code -x}), to a second chronyd running 2.5 s ahead under libfaketime; and its decoder against crafted
 * replies.
 */
class ChronyTrackingBoundTest
{
    private static final Path CHRONYD = Path.of("/usr/sbin/chronyd");
    private static final Path CHRONYC = Path.of("/usr/bin/chronyc");
    private static final Path FAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");
    private static final long INJECTED_NS = 2_500_000_000L;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void boundFromARealChronydShouldContainTheInjectedOffset(@TempDir final Path dir) throws Exception
    {
        requireTool(Files.isExecutable(CHRONYD) && Files.isExecutable(CHRONYC), "chrony (apt-get install chrony)");
        requireTool(Files.exists(FAKETIME), "libfaketime (apt-get install faketime)");
        final int serverPort = freeUdpPort();
        final int commandPort = freeUdpPort();
        final Path serverConf = dir.resolve("server.conf");
        Files.writeString(serverConf, String.join("\n", "port " + serverPort, "bindaddress 127.0.0.1",
            "allow 127.0.0.1", "local stratum 8", "cmdport 0", "driftfile " + dir.resolve("server.drift"),
            "pidfile " + dir.resolve("server.pid"), ""));
        final Path socketDir = Files.createDirectory(dir.resolve("run"));
        Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwxrwx---"));
        final Path clientConf = dir.resolve("client.conf");
        Files.writeString(clientConf, String.join("\n",
            "server 127.0.0.1 port " + serverPort + " iburst minpoll 0 maxpoll 0", "makestep 1000 -1", "port 0",
            "cmdport " + commandPort, "bindcmdaddress 127.0.0.1", "bindcmdaddress " + socketDir.resolve("chronyd.sock"),
            "driftfile " + dir.resolve("client.drift"), "pidfile " + dir.resolve("client.pid"), ""));
        final ProcessBuilder server = new ProcessBuilder(CHRONYD.toString(), "-x", "-d", "-f", serverConf.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
        server.environment().put("LD_PRELOAD", FAKETIME.toString());
        server.environment().put("FAKETIME", "+2.5s");
        server.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        final ProcessBuilder client = new ProcessBuilder(CHRONYD.toString(), "-x", "-d", "-u", "root", "-f",
            clientConf.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("client.log").toFile());
        Process serverProcess = null;
        Process clientProcess = null;
        try (ChronyTrackingBound source = ChronyTrackingBound.builder()
            .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), commandPort))
            .refreshIntervalNs(200_000_000L).timeoutNs(300_000_000L)
            .staleness(1_000_000_000L, 3_000_000_000L).build())
        {
            serverProcess = server.start();
            clientProcess = client.start();
            final Process s = serverProcess;
            final Process c = clientProcess;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> { s.destroyForcibly(); c.destroyForcibly(); }));
            assertThat(ErrorBounds.status(source.errorBound(System.nanoTime()))).isEqualTo(ClockStatus.UNKNOWN);
            source.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            ChronyTrackingBound.Report report = null;
            while (System.nanoTime() < deadline)
            {
                report = source.lastReport();
                if (report != null && report.synchronised() && Math.abs(report.correctionNs()) > 2_000_000_000L &&
                    report.rootDispersionNs() < 5_000_000L)
                {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(report).as("chronyd synchronised within 45 s; last failure %s; client log:%n%s",
                source.lastFailure(), Files.readString(dir.resolve("client.log"))).isNotNull();
            assertThat(report.synchronised()).as("%s; client log:%n%s", report,
                Files.readString(dir.resolve("client.log"))).isTrue();
            final long packed = source.errorBound(System.nanoTime());
            System.out.println("chronyd tracking: " + report + " -> " + ErrorBounds.toString(packed));
            assertThat(ErrorBounds.status(packed)).isEqualTo(ClockStatus.SYNCHRONIZED);
            // the bound on |system clock − true time| contains the injected 2.5 s ...
            assertThat(ErrorBounds.boundNs(packed)).isGreaterThanOrEqualTo(INJECTED_NS);
            // ... and so does the interval chrony's estimate gives: correction ± (root delay / 2 + dispersion)
            final long radiusNs = report.boundNs() - report.correctionBoundNs() + 1_000;
            assertThat(Math.abs(report.correctionNs() - INJECTED_NS)).as("%s", report).isLessThanOrEqualTo(radiusNs);
            // cross-check the decoder against chronyc reading the same chronyd (the correction drifts slowly
            // in -x mode: 1 ms covers the time between the two reads)
            final String csv = run(CHRONYC.toString(), "-h", "127.0.0.1", "-p", Integer.toString(commandPort), "-c",
                "tracking");
            final String[] fields = csv.trim().split(",");
            final double chronycSystemTimeS = Double.parseDouble(fields[4]);
            assertThat(Math.abs(Math.abs(chronycSystemTimeS) * 1e9 - Math.abs(source.refresh().correctionNs())))
                .as("chronyc says %s", csv).isLessThan(1_000_000.0);
            assertThat(source.refreshes()).isGreaterThan(1);

            // chronyd gone: the bound ages, free-running after 1 s, unknown after 3 s
            clientProcess.destroy();
            assertThat(clientProcess.waitFor(5, TimeUnit.SECONDS)).isTrue();
            final long lastSync = source.drift().lastSyncMonotonicNs();
            assertThat(ErrorBounds.status(source.errorBound(lastSync + 2_000_000_000L)))
                .isEqualTo(ClockStatus.FREE_RUNNING);
            assertThat(ErrorBounds.boundNs(source.errorBound(lastSync + 2_000_000_000L)))
                .isGreaterThan(ErrorBounds.boundNs(source.errorBound(lastSync)));
            assertThat(source.errorBound(lastSync + 3_000_000_001L)).isEqualTo(ErrorBounds.UNKNOWN);
            final long failuresBefore = source.failures();
            assertThatThrownBy(source::refresh).isInstanceOf(IOException.class)
                .hasMessageContaining("127.0.0.1:" + commandPort);
            assertThat(source.failures()).isGreaterThan(failuresBefore);
        }
        finally
        {
            for (final Process p : new Process[]{clientProcess, serverProcess})
            {
                if (p != null)
                {
                    p.destroy();
                    if (!p.waitFor(3, TimeUnit.SECONDS))
                    {
                        p.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }

    @Test
    void decoderShouldReadChronysFloatsExactlyAndRoundMagnitudesUp()
    {
        assertThat(ChronyTrackingBound.floatValue(encode(1, 0))).isEqualTo(Math.scalb(1.0, -25));
        assertThat(ChronyTrackingBound.floatValue(encode(-3, 2))).isEqualTo(-3 * Math.scalb(1.0, -23));
        assertThat(ChronyTrackingBound.floatValue(encode(0x0FF_FFFF, 27))).isEqualTo(0x0FF_FFFF * 4.0);
        // 2.5 s as chronyd encodes it: the largest coefficient below 2^24, 10485760 × 2^(3 − 25)
        assertThat(ChronyTrackingBound.floatValue(encode(10_485_760, 3))).isEqualTo(2.5);
        assertThat(ChronyTrackingBound.floatValue(encode(20_971_520, 3))).as("25-bit coefficients are signed")
            .isEqualTo(-12_582_912 * Math.scalb(1.0, -22));
        final int rounded = encode(10_000_000, -2); // 10e6 × 2^-27 s ≈ 74.5 ms
        final double exactNs = 10_000_000 * Math.scalb(1.0, -27) * 1e9;
        assertThat(ChronyTrackingBound.magnitudeUpNs(rounded)).isGreaterThan((long)Math.ceil(exactNs))
            .isLessThanOrEqualTo((long)Math.ceil(exactNs + Math.scalb(1.0, -27) * 1e9) + 1);
        assertThat(ChronyTrackingBound.magnitudeUpNs(encode(-10_000_000, -2)))
            .isEqualTo(ChronyTrackingBound.magnitudeUpNs(rounded));
    }

    @Test
    void repliesThatFailValidationShouldBeRejectedWithTheirCause()
    {
        final int sequence = 0x1234_5678;
        final byte[] good = reply(sequence, 0, ChronyTrackingBound.RPY_TRACKING, 0);
        assertThat(parseMessage(good, 20, sequence)).contains("truncated: 20 bytes");
        assertThat(parseMessage(good, 60, sequence)).contains("tracking reply truncated: 60 bytes");
        assertThat(parseMessage(good, good.length, sequence + 1)).contains("answers another request");
        assertThat(parseMessage(reply(sequence, 2, ChronyTrackingBound.RPY_TRACKING, 0), 104, sequence))
            .contains("status 2 (unauthorised");
        assertThat(parseMessage(reply(sequence, 0, 1, 0), 104, sequence)).contains("reply type 1");
        final byte[] wrongVersion = good.clone();
        wrongVersion[0] = 5;
        assertThat(parseMessage(wrongVersion, 104, sequence)).contains("protocol version 6");
        final byte[] unsynchronised = reply(sequence, 0, ChronyTrackingBound.RPY_TRACKING, 3);
        Assertions.assertDoesNotThrow(() ->
            assertThat(ChronyTrackingBound.parse(unsynchronised, 104, sequence, 0).synchronised()).isFalse());
    }

    private static String parseMessage(final byte[] reply, final int length, final int sequence)
    {
        try
        {
            ChronyTrackingBound.parse(reply, length, sequence, 0);
            return "accepted";
        }
        catch (final IOException ex)
        {
            return ex.getMessage();
        }
    }

    private static byte[] reply(final int sequence, final int status, final int replyType, final int leap)
    {
        final byte[] bytes = new byte[ChronyTrackingBound.TRACKING_LENGTH];
        final ByteBuffer out = ByteBuffer.wrap(bytes);
        out.put(0, (byte)6).put(1, (byte)2).putShort(4, (short)ChronyTrackingBound.REQ_TRACKING)
            .putShort(6, (short)replyType).putShort(8, (short)status).putInt(16, sequence)
            .putShort(52, (short)3).putShort(54, (short)leap).putInt(68, encode(10_485_760, 3));
        return bytes;
    }

    /** chrony's Float: 7-bit signed exponent over a 25-bit signed coefficient; value = coef × 2^(exp − 25). */
    private static int encode(final int coefficient, final int exponent)
    {
        return (exponent << 25) | (coefficient & 0x1FF_FFFF);
    }

    private static String run(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
    }

    private static void requireTool(final boolean available, final String what)
    {
        if (available)
        {
            return;
        }
        final String message = "*** " + what + " is not installed: the chronyd tracking test did NOT run ***";
        System.err.println(message);
        if ("true".equalsIgnoreCase(System.getenv("CI")))
        {
            Assertions.fail(message + " (CI=true: failing instead of skipping)");
        }
        Assumptions.assumeTrue(false, message);
    }
}
