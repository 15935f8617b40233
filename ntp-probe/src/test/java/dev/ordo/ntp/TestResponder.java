package dev.ordo.ntp;

import org.agrona.concurrent.SystemEpochNanoClock;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A programmable NTP server on 127.0.0.1 for tests: any offset, asymmetric delays, Kiss-o'-Death, leap 3,
 * wrong origin, truncated or garbage replies, replies from another port, duplicates and replays, silence.
 * Its clock is the host's clock plus {@link #offsetNs}, so the true offset a probe should find is exactly that.
 */
public final class TestResponder implements AutoCloseable
{
    public enum Mode
    {
        NORMAL, SILENT, KISS, LEAP_UNSYNCHRONIZED, WRONG_ORIGIN, TRUNCATED, GARBAGE, FROM_OTHER_PORT,
        ZERO_TRANSMIT, REPLAY, CLIENT_MODE, VERSION_2, STRATUM_16, SENT_BEFORE_RECEIVED, HUGE_ROOT_DISPERSION,
        DUPLICATE
    }

    public volatile Mode mode = Mode.NORMAL;
    public volatile long offsetNs;
    public volatile long requestPathDelayNs;
    public volatile long replyPathDelayNs;
    public volatile String kissCode = "RATE";
    public volatile int stratum = 2;
    public volatile int precisionLog2 = -20;
    public volatile long rootDelayNs = 0;
    public volatile long rootDispersionNs = 0;
    /** Requests answered in NORMAL mode before switching to {@link #modeAfter}; -1 never switches. */
    public volatile int normalRepliesBeforeSwitch = -1;
    public volatile Mode modeAfter = Mode.NORMAL;
    public final AtomicInteger requests = new AtomicInteger();

    private final DatagramSocket socket;
    private final DatagramSocket otherSocket;
    private final Thread thread;
    private long previousTransmit;

    public TestResponder() throws SocketException
    {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        otherSocket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "test-ntp-responder-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    public int port()
    {
        return socket.getLocalPort();
    }

    public ServerSpec spec()
    {
        return new ServerSpec("127.0.0.1", port());
    }

    private static long now()
    {
        return SystemEpochNanoClock.INSTANCE.nanoTime();
    }

    private static void pause(final long ns)
    {
        if (ns > 0)
        {
            final long until = System.nanoTime() + ns;
            while (System.nanoTime() < until)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
            }
        }
    }

    private void serve()
    {
        final byte[] in = new byte[512];
        final DatagramPacket request = new DatagramPacket(in, in.length);
        while (!socket.isClosed())
        {
            try
            {
                request.setLength(in.length);
                socket.receive(request);
                pause(requestPathDelayNs);
                final long t2 = now() + offsetNs;
                final int count = requests.incrementAndGet();
                Mode current = mode;
                if (normalRepliesBeforeSwitch >= 0)
                {
                    current = count <= normalRepliesBeforeSwitch ? Mode.NORMAL : modeAfter;
                }
                if (current == Mode.SILENT || request.getLength() < NtpPacket.LENGTH)
                {
                    continue;
                }
                final long origin = ByteBuffer.wrap(in).getLong(NtpPacket.TRANSMIT_TIMESTAMP_OFFSET);
                final byte[] out = new byte[NtpPacket.LENGTH];
                final ByteBuffer reply = ByteBuffer.wrap(out);
                final int version = current == Mode.VERSION_2 ? 2 : 4;
                final int modeBits = current == Mode.CLIENT_MODE ? 3 : 4;
                final int leap = current == Mode.LEAP_UNSYNCHRONIZED ? 3 : 0;
                reply.put(0, (byte)((leap << 6) | (version << 3) | modeBits));
                reply.put(1, (byte)(current == Mode.KISS ? 0 : current == Mode.STRATUM_16 ? 16 : stratum));
                reply.put(2, (byte)4);
                reply.put(3, (byte)precisionLog2);
                reply.putInt(4, NtpPacket.nanosToShortFormatCeil(rootDelayNs));
                reply.putInt(8, NtpPacket.nanosToShortFormatCeil(
                    current == Mode.HUGE_ROOT_DISPERSION ? 20_000_000_000L : rootDispersionNs));
                reply.putInt(12, current == Mode.KISS ? (int)NtpPacket.kissCode(kissCode) : 0x7F000001);
                reply.putLong(16, NtpTimestamps.fromEpochNanos(t2 - 1_000_000_000L));
                reply.putLong(24, current == Mode.WRONG_ORIGIN ? origin ^ 0x100 : origin);
                long t3 = now() + offsetNs;
                if (current == Mode.SENT_BEFORE_RECEIVED)
                {
                    t3 = t2 - 50_000_000L;
                }
                long transmit = NtpTimestamps.fromEpochNanos(t3);
                if (current == Mode.ZERO_TRANSMIT)
                {
                    transmit = 0;
                }
                else if (current == Mode.REPLAY && previousTransmit != 0)
                {
                    transmit = previousTransmit;
                }
                reply.putLong(32, NtpTimestamps.fromEpochNanos(t2));
                reply.putLong(40, transmit);
                if (transmit != 0)
                {
                    previousTransmit = transmit;
                }
                pause(replyPathDelayNs);
                final DatagramPacket packet = new DatagramPacket(out, out.length, request.getSocketAddress());
                switch (current)
                {
                    case TRUNCATED -> packet.setLength(40);
                    case GARBAGE -> java.util.Arrays.fill(out, (byte)0x5A);
                    default ->
                    {
                    }
                }
                if (current == Mode.FROM_OTHER_PORT)
                {
                    otherSocket.send(packet);
                }
                else
                {
                    socket.send(packet);
                    if (current == Mode.DUPLICATE)
                    {
                        socket.send(packet);
                    }
                }
            }
            catch (final IOException ex)
            {
                if (!socket.isClosed())
                {
                    System.err.println("test responder: " + ex);
                }
            }
        }
    }

    @Override
    public void close()
    {
        socket.close();
        otherSocket.close();
        try
        {
            thread.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
